// SPDX-License-Identifier: Apache-2.0
// One training run from settings to files: load the dataset, build (or resume) the model, train
// with checkpoints, evaluate on the test set, write the model file. Used by `loci train` and by
// scripts; everything the CLI prints comes from the returned summary.

import { writeModelFile } from "../../compiler/model-file.ts";
import type { JsonValue } from "../../compiler/model-file.ts";
import { LociError } from "../../sim/errors.ts";
import { limitDataset } from "./dataset.ts";
import { evaluateModel } from "./eval.ts";
import { isDatasetName, loadDataset, type DatasetName } from "./load-dataset.ts";
import { fromModelFile, toModelFile } from "./model-io.ts";
import { SNN_DEFAULTS, SpatialSnn } from "./spatial-snn.ts";
import { SpatialMlp, evaluateMlp, saveMlp, trainMlp } from "./spatial-mlp.ts";
import { inputRates, trainSnn, type BatchEvent, type EpochEvent, type TrainState } from "./train-loop.ts";
import { readCheckpoint, variableValues, writeCheckpoint, type Checkpoint } from "./checkpoint.ts";
import type { TemporalOptions } from "./temporal.ts";
import * as tf from "@tensorflow/tfjs";
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Everything that defines a training run (JSON-able, stored in checkpoints and model metadata). */
export interface TrainSettings {
  readonly dataset: DatasetName;
  readonly model: "spatial-snn" | "spatial-mlp";
  /** Dimensions d of the positions. */
  readonly dims: number;
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Steps per sample (rate code of images; events datasets use their own length). */
  readonly steps: number;
  /** Rate code: spikes per step at intensity 255. */
  readonly maxRate: number;
  /** Total synapses to prune to (null: no pruning). */
  readonly synapseBudget: number | null;
  /** Rank first-layer synapses by |w| · input rate when pruning (images). */
  readonly activityPruning: boolean;
  readonly delays: "fixed" | "distance";
  /** Conduction velocity (distance units per step). */
  readonly velocity: number;
  readonly tauMemShift: number;
  readonly tauSynShift: number;
  readonly resetMode: "zero" | "subtract";
  readonly initSpread: number;
  readonly layerAxis: boolean;
  readonly minDistance: number;
  /** Quantization-aware training on the core's integers. */
  readonly quantize: boolean;
  /** Use the first n training samples (null: all). */
  readonly limit: number | null;
  /** Evaluate on the first n test samples (null: all). */
  readonly testLimit: number | null;
  readonly dataDir: string | null;
  /** Options of the generated temporal dataset. */
  readonly temporal: TemporalOptions | null;
  /** Start each neuron next to a random neuron of the layer before (SpatialSnnConfig.anchoredInit). */
  readonly anchoredInit: boolean;
  /** Weight of the penalty on hidden neurons that fall silent (0: off). */
  readonly activityPenalty: number;
}

/** Defaults per dataset (the CLI's defaults). */
export function defaultSettings(dataset: DatasetName): TrainSettings {
  const images = dataset === "mnist" || dataset === "fashion";
  return {
    dataset,
    model: "spatial-snn",
    // Events datasets need many delays per hidden neuron to line up: more dimensions give the
    // positions the freedom (in 3-D, 2 learned coordinates set all of a neuron's distances).
    dims: images ? 3 : 8,
    hidden: images ? [128] : dataset === "temporal" ? [16] : [128],
    epochs: images ? 12 : dataset === "temporal" ? 30 : 20,
    seed: 1,
    batchSize: images ? 128 : 64,
    learningRate: 0.01,
    steps: images ? 16 : dataset === "shd" ? 100 : 32,
    maxRate: 1,
    synapseBudget: 16384,
    activityPruning: images,
    delays: images ? "fixed" : "distance",
    velocity: 0.5,
    tauMemShift: images ? 3 : dataset === "temporal" ? 1 : 2,
    tauSynShift: 0,
    // Temporal data: reset to zero, so a neuron carries nothing across the gap between pattern
    // spikes (with subtraction a strong input leaves a burst that bridges the gap).
    resetMode: dataset === "temporal" ? "zero" : "subtract",
    initSpread: images ? 1 : 2,
    layerAxis: true,
    minDistance: SNN_DEFAULTS.minDistance,
    quantize: true,
    limit: null,
    testLimit: null,
    dataDir: null,
    temporal: null,
    anchoredInit: !images,
    activityPenalty: images ? 0 : 0.1,
  };
}

/** What a run reports. */
export interface SessionResult {
  readonly settings: TrainSettings;
  /** File written: the model file (SNN) or the saved MLP. */
  readonly out: string;
  readonly checkpoint: string;
  readonly stopped: boolean;
  readonly epochs: readonly Omit<EpochEvent, "state">[];
  readonly samplesPerSecond: number;
  readonly parameters: number;
  /** Synapses kept per projection. */
  readonly synapses: readonly number[];
  /** Test accuracies: float model, and (SNN) the core's integers. */
  readonly accuracy: { readonly float: number; readonly quantized?: number; readonly samples: number };
  readonly seconds: number;
}

/** Hooks of a run. */
export interface SessionHooks {
  readonly onBatch?: (event: BatchEvent, settings: TrainSettings) => void;
  readonly onEpoch?: (event: EpochEvent) => void;
  /** Short status lines ("evaluating ..."). */
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Tool name for metadata.createdBy. */
  readonly createdBy?: string;
  /** Backend name for metadata. */
  readonly backend?: string;
}

function epochSummary(e: EpochEvent): Omit<EpochEvent, "state"> {
  const { state: _state, ...rest } = e;
  return rest;
}

/** Train from `settings` (or resume a checkpoint), evaluate, write `out` and the checkpoint. */
export async function trainSession(settings: TrainSettings, out: string, checkpointPath: string, hooks: SessionHooks = {}, resume?: Checkpoint): Promise<SessionResult> {
  const t0 = performance.now();
  const log = hooks.log ?? (() => undefined);
  for (const file of [out, checkpointPath]) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const splits = await loadDataset(settings.dataset, { ...(settings.dataDir === null ? {} : { dataDir: settings.dataDir }), ...(settings.temporal === null ? {} : { temporal: settings.temporal }) });
  const train = limitDataset(splits.train, settings.limit ?? undefined);
  const test = limitDataset(splits.test, settings.testLimit ?? undefined);
  const history: Omit<EpochEvent, "state">[] = (resume?.history ?? []) as unknown as Omit<EpochEvent, "state">[];
  const common = {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    seed: settings.seed,
    ...(settings.synapseBudget === null ? {} : { synapseBudget: settings.synapseBudget }),
    ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
    ...(resume === undefined ? {} : { resume: resume.state }),
    onBatch: (e: BatchEvent) => hooks.onBatch?.(e, settings),
  };
  const meta = (accuracy: Record<string, number>, result: { epochs: number; samplesPerSecond: number }) => ({
    name: `${settings.dataset}-${settings.model}-${settings.dims}d`,
    dataset: settings.dataset,
    accuracy,
    training: { settings: settings as unknown as JsonValue, backend: hooks.backend ?? "unknown", epochsCompleted: history.length, ...(resume === undefined ? {} : { resumedAtEpoch: resume.state.epoch }), samplesPerSecond: Math.round(result.samplesPerSecond) } as Record<string, JsonValue>,
    createdBy: hooks.createdBy ?? "loci train",
    createdAt: new Date().toISOString(),
  });

  if (settings.model === "spatial-mlp") {
    if (resume !== undefined) throw new LociError("E_USAGE", "--resume is supported for spatial-snn runs only");
    const mlp = new SpatialMlp(
      { inputs: train.channels, hidden: settings.hidden, outputs: train.classes, minDistance: settings.minDistance, space: { dimensions: settings.dims, layerAxis: settings.layerAxis, layerSpacing: 1, initSpread: settings.initSpread, signSteepness: 10 } },
      settings.seed,
    );
    try {
      const result = await trainMlp(mlp, train, { ...common, onEpoch: (e) => { history.push(epochSummary(e)); hooks.onEpoch?.(e); } });
      log(`evaluating on ${test.count} test samples`);
      const acc = evaluateMlp(mlp, test);
      saveMlp(mlp, out, { ...meta({ "test-float": acc.accuracy }, result), parameters: mlp.parameterCount() });
      return { settings, out, checkpoint: checkpointPath, stopped: result.stopped, epochs: history, samplesPerSecond: result.samplesPerSecond, parameters: mlp.parameterCount(), synapses: mlp.keptCounts(), accuracy: { float: acc.accuracy, samples: acc.samples }, seconds: (performance.now() - t0) / 1000 };
    } finally {
      mlp.dispose();
    }
  }

  const encoding = train.kind === "images" ? ({ kind: "rate", steps: settings.steps, maxRate: settings.maxRate } as const) : ({ kind: "events", steps: train.steps } as const);
  const model =
    resume === undefined
      ? new SpatialSnn(
          {
            ...SNN_DEFAULTS,
            inputs: train.channels,
            hidden: settings.hidden,
            outputs: train.classes,
            space: { ...SNN_DEFAULTS.space, dimensions: settings.dims, layerAxis: settings.layerAxis, initSpread: settings.initSpread },
            minDistance: settings.minDistance,
            delays: settings.delays,
            velocity: settings.velocity,
            encoding,
            hiddenNeuron: { tauMemShift: settings.tauMemShift, tauSynShift: settings.tauSynShift, refractoryPeriod: 0, resetMode: settings.resetMode },
            anchoredInit: settings.anchoredInit,
          },
          settings.seed,
        )
      : fromModelFile(resume.model);
  try {
    if (resume !== undefined) {
      const vars = model.variables();
      if (vars.length !== resume.variables.length || vars.some((v, k) => v.size !== resume.variables[k].length)) {
        throw new LociError("E_FORMAT", `${checkpointPath}: the checkpoint's variables do not match its model`, { suggestion: "Start the run again without --resume." });
      }
      vars.forEach((v, k) => tf.tidy(() => v.assign(tf.tensor(resume.variables[k] as number[], v.shape))));
    }
    const save = (state: TrainState): void => {
      writeCheckpoint(checkpointPath, {
        settings: settings as unknown as { [key: string]: JsonValue },
        model: toModelFile(model, { name: "checkpoint", dataset: settings.dataset }),
        variables: variableValues(model.variables()),
        state,
        history: history as unknown as { [key: string]: JsonValue }[],
      });
    };
    const rates = settings.activityPruning && train.kind === "images" ? inputRates(model, train) : undefined;
    const result = await trainSnn(model, train, {
      ...common,
      quantize: settings.quantize,
      activityPenalty: settings.activityPenalty,
      ...(rates === undefined ? {} : { inputRates: rates }),
      onEpoch: (e) => {
        history.push(epochSummary(e));
        save(e.state);
        hooks.onEpoch?.(e);
      },
    });
    if (result.stopped) {
      // Stopped (Ctrl-C): save quickly; the test evaluation is skipped.
      writeModelFile(out, toModelFile(model, meta({}, result)));
      return { settings, out, checkpoint: checkpointPath, stopped: true, epochs: history, samplesPerSecond: result.samplesPerSecond, parameters: model.parameterCount(), synapses: model.keptCounts(), accuracy: { float: Number.NaN, samples: 0 }, seconds: (performance.now() - t0) / 1000 };
    }
    log(`evaluating on ${test.count} test samples (float model, then the core's integers)`);
    const float = await evaluateModel(model, test, { quantize: false });
    const quantized = await evaluateModel(model, test, { quantize: true });
    writeModelFile(out, toModelFile(model, meta({ "test-float": float.accuracy, "test-quantized": quantized.accuracy }, result)));
    return {
      settings,
      out,
      checkpoint: checkpointPath,
      stopped: result.stopped,
      epochs: history,
      samplesPerSecond: result.samplesPerSecond,
      parameters: model.parameterCount(),
      synapses: model.keptCounts(),
      accuracy: { float: float.accuracy, quantized: quantized.accuracy, samples: float.samples },
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}

/** Read a checkpoint and its settings for `--resume`. */
export function loadResume(path: string): { checkpoint: Checkpoint; settings: TrainSettings } {
  const checkpoint = readCheckpoint(path);
  const saved = checkpoint.settings as unknown as Partial<TrainSettings>;
  if (saved.dataset === undefined || !isDatasetName(saved.dataset)) {
    throw new LociError("E_FORMAT", `${path}: the checkpoint's settings name no dataset Loci knows`, { context: { file: path }, suggestion: "Start the run again without --resume." });
  }
  // Settings added after the checkpoint was written take their defaults.
  return { checkpoint, settings: { ...defaultSettings(saved.dataset), ...saved } };
}
