// SPDX-License-Identifier: Apache-2.0
// `loci compile <model> -o <image>`: a trained model file becomes a core image (weights from inverse
// distance, delays from distance, quantized, pruned, mapped). Prints the compile report.

import { BOARDS, compileModel, type ScaleMode } from "../../../compiler/compile.ts";
import { readModelFile } from "../../../compiler/model-file.ts";
import { DEFAULT_ACTIVITY, compileReport, formatCompileReport, type CompileReport } from "../../../compiler/report.ts";
import { LociError } from "../../../sim/errors.ts";
import { writeFileAtomic } from "../../../sim/json-file.ts";
import { DEFAULT_CORE_CLOCK_HZ } from "../../../sim/spec.ts";
import { InvalidArgumentError } from "commander";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";

/** Options of `loci compile`, as commander parses them. */
export interface CompileCommandOptions {
  /** Image path (default: the model path with `.loci` for `.model.json`). */
  readonly output?: string;
  /** Board to fit (prune just enough). */
  readonly fit?: string;
  /** Fraction of candidate synapses to remove (0..1). */
  readonly sparsity?: number;
  readonly scale: ScaleMode;
  readonly headroom: number;
  /** Activity assumed for the timing estimate (spikes per axon / neuron per step). */
  readonly inputRate: number;
  readonly neuronRate: number;
  /** Core clock for steps per second (Hz). */
  readonly clockHz: number;
  readonly json: boolean;
}

/** What `loci compile` did. */
export interface CompileOutcome {
  readonly imagePath: string;
  readonly report: CompileReport;
}

/** The default image path for a model path: `x.model.json` → `x.loci`, `x.json` → `x.loci`, else `x.loci` appended. */
export function defaultImagePath(modelPath: string): string {
  return /\.model\.json$/i.test(modelPath) ? modelPath.replace(/\.model\.json$/i, ".loci") : /\.json$/i.test(modelPath) ? modelPath.replace(/\.json$/i, ".loci") : `${modelPath}.loci`;
}

function parseBoard(value: string): string {
  if (!(value in BOARDS)) throw new InvalidArgumentError(`unknown board "${value}" (known: ${Object.keys(BOARDS).join(", ")})`);
  return value;
}

function parseScale(value: string): ScaleMode {
  if (value !== "population" && value !== "core") throw new InvalidArgumentError(`--scale must be "population" or "core", got "${value}"`);
  return value;
}

/** Compile a model file to an image file; returns the report. */
export function runCompile(modelPath: string, opts: CompileCommandOptions): CompileOutcome {
  const model = readModelFile(modelPath);
  const imagePath = opts.output ?? defaultImagePath(modelPath);
  const board = opts.fit ?? "icebreaker";
  if (!(board in BOARDS)) throw new LociError("E_USAGE", `unknown board "${board}" (known: ${Object.keys(BOARDS).join(", ")})`);
  const compiled = compileModel(model, {
    capacity: BOARDS[board],
    boardName: board,
    fit: opts.fit !== undefined,
    sparsity: opts.sparsity ?? 0,
    scale: opts.scale,
    headroom: opts.headroom,
    where: { file: modelPath },
  });
  writeFileAtomic(imagePath, compiled.image);
  return { imagePath, report: compileReport(compiled, { inputRate: opts.inputRate, neuronRate: opts.neuronRate }, opts.clockHz) };
}

/** Register `loci compile`. */
export const registerCompile: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("compile")
    .description("compile a model file (positions → weights and delays) into a core image; print the compile report")
    .argument("<model>", "model file (*.model.json, docs/formats/model-file.md)")
    .option("-o, --output <image>", "core image to write (default: <model>.loci)")
    .option("--fit <board>", `prune just enough to fit a board (${Object.keys(BOARDS).join(", ")})`, parseBoard)
    .option("--sparsity <s>", "remove this fraction of the candidate synapses, weakest (longest) first (0..1)", numberOption("--sparsity", 0, 1))
    .option("--scale <mode>", 'weight scale per target "population" or one for the "core"', parseScale, "population" as ScaleMode)
    .option("--headroom <h>", "thresholds of range the 16-bit membrane keeps before saturating (1..64)", numberOption("--headroom", 1, 64), 4)
    .option("--input-rate <r>", "assumed spikes per input axon per step, for the timing estimate", numberOption("--input-rate", 0, 1), DEFAULT_ACTIVITY.inputRate)
    .option("--neuron-rate <r>", "assumed spikes per neuron per step, for the timing estimate", numberOption("--neuron-rate", 0, 1), DEFAULT_ACTIVITY.neuronRate)
    .option("--clock-hz <hz>", "core clock for the predicted steps/s", intOption("--clock-hz", 1, 1e9), DEFAULT_CORE_CLOCK_HZ)
    .option("--json", "print one JSON document (the report)", false)
    .action((modelPath: string, opts: CompileCommandOptions) => {
      const { imagePath, report } = runCompile(modelPath, opts);
      if (opts.json) printJson(io, { image: imagePath, report });
      else io.out(`${formatCompileReport(report, imagePath).join("\n")}\n`);
    });
};
