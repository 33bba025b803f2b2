// SPDX-License-Identifier: Apache-2.0
// Training checkpoints (`*.ckpt.json`): the model (as a model file), the raw value of every
// trainable variable, the optimizer state and the settings of the run, so `--resume` continues
// exactly where a run stopped (after an epoch, or after Ctrl-C).

import { validateModel, type LociModel } from "../../compiler/model-file.ts";
import { FormatError } from "../../sim/errors.ts";
import { checkFormatHeader, parseJsonText, readFileBytes, writeFileAtomic } from "../../sim/json-file.ts";
import type * as tf from "@tensorflow/tfjs";
import type { JsonValue } from "../../compiler/model-file.ts";
import type { TrainState } from "./train-loop.ts";

/** The `format` tag of checkpoints. */
export const CHECKPOINT_FORMAT = "loci-train-checkpoint";
/** The checkpoint version this code reads and writes. */
export const CHECKPOINT_VERSION = 1;

/** A saved training run. */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  /** The settings the run was started with (dataset, architecture, schedule). */
  readonly settings: { readonly [key: string]: JsonValue };
  /** The model as a model file (positions, signs, gains, thresholds, masks). */
  readonly model: LociModel;
  /** Raw values of the model's trainable variables, in `variables()` order. */
  readonly variables: readonly (readonly number[])[];
  readonly state: TrainState;
  /** One entry per completed epoch: loss, accuracy, samples/s. */
  readonly history: readonly { readonly [key: string]: JsonValue }[];
}

/** Snapshot variables as plain arrays. */
export function variableValues(variables: readonly tf.Variable[]): number[][] {
  return variables.map((v) => Array.from(v.dataSync()));
}

/** Write a checkpoint atomically. */
export function writeCheckpoint(path: string, checkpoint: Omit<Checkpoint, "format" | "version">): void {
  writeFileAtomic(path, `${JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, ...checkpoint })}\n`);
}

/** Read and check a checkpoint. */
export function readCheckpoint(path: string): Checkpoint {
  const where = { file: path };
  const doc = checkFormatHeader(parseJsonText(readFileBytes(path).toString("utf8"), where), CHECKPOINT_FORMAT, CHECKPOINT_VERSION, where);
  const fail = (what: string): never => {
    throw new FormatError(`not a complete training checkpoint: ${what}`, { context: { ...where }, suggestion: "Start the run again without --resume." });
  };
  if (typeof doc.settings !== "object" || doc.settings === null) fail("settings missing");
  validateModel(doc.model, where);
  const vars = doc.variables;
  if (!Array.isArray(vars) || !vars.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)))) fail("variables missing or not finite numbers");
  const state = doc.state as TrainState | undefined;
  if (state === undefined || !Number.isInteger(state.epoch) || typeof state.optimizer !== "object") fail("state missing");
  if (!Array.isArray(doc.history)) fail("history missing");
  return doc as unknown as Checkpoint;
}
