// SPDX-License-Identifier: Apache-2.0
// `loci train <dataset>`: train a spatial SNN (or the spatial MLP of Erb et al.) on the host and
// write a model file. Progress bar with epoch, loss, accuracy and samples/s; a checkpoint after
// every epoch; `--resume`; Ctrl-C saves the checkpoint and the model before exiting.

import { InvalidArgumentError } from "commander";
import { LociError } from "../../../sim/errors.ts";
import { BACKEND_CHOICES, describeBackend, initBackend, type BackendChoice } from "../../train/backend.ts";
import { DATASET_NAMES, isDatasetName, type DatasetName } from "../../train/load-dataset.ts";
import { defaultSettings, loadResume, trainSession, type SessionResult, type TrainSettings } from "../../train/session.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar, type Progress } from "../progress.ts";

/** Options of `loci train` as commander parses them (undefined = the dataset's default). */
export interface TrainCommandOptions {
  readonly model?: "spatial-snn" | "spatial-mlp";
  readonly dims?: number;
  readonly hidden?: readonly number[];
  readonly epochs?: number;
  readonly seed?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly steps?: number;
  readonly maxRate?: number;
  readonly budget?: number | "none";
  readonly delays?: "fixed" | "distance";
  readonly velocity?: number;
  readonly tauMem?: number;
  readonly spread?: number;
  readonly float?: boolean;
  readonly limit?: number;
  readonly testLimit?: number;
  readonly dataDir?: string;
  readonly out?: string;
  readonly checkpoint?: string;
  readonly resume?: string;
  readonly backend: BackendChoice;
  readonly json: boolean;
}

function choice<T extends string>(name: string, allowed: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`${name} must be one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };
}

/** "128" or "128,64" → hidden layer sizes (1..16384 each; the core holds 256 neurons). */
export function parseHidden(value: string): number[] {
  const parts = value.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 16384)) {
    throw new InvalidArgumentError(`--hidden must be sizes 1..16384 separated by commas, got "${value}"`);
  }
  return parts.map(Number);
}

function parseBudget(value: string): number | "none" {
  if (value === "none") return "none";
  return intOption("--budget", 1, 1 << 26)(value);
}

/** The settings of a run: the dataset's defaults, overridden by the options given. */
export function settingsFrom(dataset: DatasetName, o: TrainCommandOptions): TrainSettings {
  const d = defaultSettings(dataset);
  return {
    ...d,
    ...(o.model === undefined ? {} : { model: o.model }),
    ...(o.dims === undefined ? {} : { dims: o.dims }),
    ...(o.hidden === undefined ? {} : { hidden: o.hidden }),
    ...(o.epochs === undefined ? {} : { epochs: o.epochs }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.batch === undefined ? {} : { batchSize: o.batch }),
    ...(o.lr === undefined ? {} : { learningRate: o.lr }),
    ...(o.steps === undefined ? {} : { steps: o.steps }),
    ...(o.maxRate === undefined ? {} : { maxRate: o.maxRate }),
    ...(o.budget === undefined ? {} : { synapseBudget: o.budget === "none" ? null : o.budget }),
    ...(o.delays === undefined ? {} : { delays: o.delays }),
    ...(o.velocity === undefined ? {} : { velocity: o.velocity }),
    ...(o.tauMem === undefined ? {} : { tauMemShift: o.tauMem }),
    ...(o.spread === undefined ? {} : { initSpread: o.spread }),
    ...(o.float === true ? { quantize: false } : {}),
    ...(o.limit === undefined ? {} : { limit: o.limit }),
    ...(o.testLimit === undefined ? {} : { testLimit: o.testLimit }),
    ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
    ...(o.model === "spatial-mlp" && o.budget === undefined ? { synapseBudget: null } : {}),
  };
}

/** Default output path: `<dataset>-<model>.model.json` (SNN) or `<dataset>-spatial-mlp.mlp.json`. */
export function defaultOutPath(s: TrainSettings): string {
  return s.model === "spatial-mlp" ? `${s.dataset}-spatial-mlp.mlp.json` : `${s.dataset}-snn.model.json`;
}

/** Run `loci train`: settings (or the checkpoint's), backend, training, files. */
export async function runTrain(datasetArg: string | undefined, o: TrainCommandOptions, io: CliIO, signal?: AbortSignal): Promise<SessionResult & { backend: string }> {
  const resumed = o.resume === undefined ? undefined : loadResume(o.resume);
  let settings: TrainSettings;
  if (resumed !== undefined) {
    settings = o.epochs === undefined ? resumed.settings : { ...resumed.settings, epochs: o.epochs };
  } else {
    if (datasetArg === undefined || !isDatasetName(datasetArg)) {
      throw new LociError("E_USAGE", `unknown dataset "${datasetArg ?? ""}" (known: ${DATASET_NAMES.join(", ")})`, { suggestion: "loci train mnist --out mnist.model.json" });
    }
    settings = settingsFrom(datasetArg, o);
  }
  const out = o.out ?? defaultOutPath(settings);
  const checkpoint = o.checkpoint ?? o.resume ?? `${out.replace(/\.(model|mlp)\.json$|\.json$/, "")}.ckpt.json`;
  const backend = await initBackend(o.backend);
  if (!o.json) io.err(`${describeBackend(backend)}\n`);
  let bar: Progress | undefined;
  let barEpoch = -1;
  const result = await trainSession(
    settings,
    out,
    checkpoint,
    {
      backend: backend.name,
      createdBy: "loci train",
      ...(signal === undefined ? {} : { signal }),
      log: (line) => {
        if (!o.json) io.err(`${line}\n`);
      },
      onBatch: (e) => {
        if (e.epoch !== barEpoch) {
          bar?.done();
          bar = progressBar(io, `epoch ${e.epoch + 1}/${settings.epochs}`, e.batches, !o.json);
          barEpoch = e.epoch;
        }
        bar?.update(e.batch, `loss ${e.loss.toFixed(3)} acc ${(e.accuracy * 100).toFixed(1)}% ${Math.round(e.samplesPerSecond)} samples/s`);
      },
      onEpoch: (e) => {
        bar?.done();
        bar = undefined;
        barEpoch = -1;
        if (!o.json) io.err(`epoch ${e.epoch + 1}/${settings.epochs}: loss ${e.loss.toFixed(4)}, train accuracy ${(e.accuracy * 100).toFixed(2)}%, ${Math.round(e.samplesPerSecond)} samples/s, synapses ${e.kept.join(" + ")}\n`);
      },
    },
    resumed?.checkpoint,
  );
  return { ...result, backend: backend.name };
}

/** Print the text summary of a run. */
export function printTrainText(io: CliIO, r: SessionResult & { backend: string }): void {
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  if (r.stopped) io.out(`stopped after ${r.epochs.length} epoch(s); saved ${r.out} and ${r.checkpoint} (continue with --resume ${r.checkpoint})\n`);
  else io.out(`trained ${r.settings.model} on ${r.settings.dataset}: ${r.epochs.length} epochs, ${Math.round(r.samplesPerSecond)} samples/s on ${r.backend}\n`);
  io.out(`  parameters   ${r.parameters}\n  synapses     ${r.synapses.join(" + ")} = ${r.synapses.reduce((a, b) => a + b, 0)}\n`);
  if (!r.stopped) {
    io.out(`  test         ${pct(r.accuracy.float)} float${r.accuracy.quantized === undefined ? "" : `, ${pct(r.accuracy.quantized)} on the core's integers`} (${r.accuracy.samples} samples)\n`);
  }
  io.out(`  wrote        ${r.out}\n  checkpoint   ${r.checkpoint}\n`);
}

/** Register `loci train`. */
export const registerTrain: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("train")
    .description("train a spatial network (learned neuron positions → weights and delays) and write a model file")
    .argument("[dataset]", `dataset: ${DATASET_NAMES.join(", ")} (not needed with --resume)`)
    .option("--model <kind>", "spatial-snn (runs on the core) or spatial-mlp (the paper's MLP, host only)", choice("--model", ["spatial-snn", "spatial-mlp"] as const))
    .option("--dims <d>", "dimensions of the positions (default 3 for images, 8 for spike data; the last one is the layer axis)", intOption("--dims", 2, 64))
    .option("--hidden <n[,n]>", "hidden layer sizes (default: 128 for images and SHD, 16 for temporal)", parseHidden)
    .option("--epochs <e>", "epochs (default 12 images, 30 temporal, 20 SHD)", intOption("--epochs", 1, 10000))
    .option("--seed <s>", "seed of initialisation and shuffles", intOption("--seed", 0, 2 ** 31 - 1))
    .option("--batch <b>", "batch size", intOption("--batch", 1, 65536))
    .option("--lr <rate>", "peak learning rate (Adam, cosine decay)", numberOption("--lr", 1e-6, 10))
    .option("--steps <t>", "steps per image (rate code)", intOption("--steps", 1, 1000))
    .option("--max-rate <r>", "rate code: spikes per step at full intensity", numberOption("--max-rate", 1 / 65536, 1))
    .option("--budget <n|none>", "total synapses to prune to (default 16384, the iCEBreaker core)", parseBudget)
    .option("--delays <rule>", "fixed (1 step) or distance (distance / velocity)", choice("--delays", ["fixed", "distance"] as const))
    .option("--velocity <v>", "conduction velocity, distance units per step", numberOption("--velocity", 1e-6, 1e6))
    .option("--tau-mem <k>", "hidden membrane decay shift (0..15)", intOption("--tau-mem", 0, 15))
    .option("--spread <s>", "initial spread of learned coordinates (distance units)", numberOption("--spread", 1e-6, 1e6))
    .option("--float", "train the float model instead of the core's integers (no quantization-aware training)")
    .option("--limit <n>", "train on the first n samples", intOption("--limit", 1))
    .option("--test-limit <n>", "evaluate on the first n test samples", intOption("--test-limit", 1))
    .option("--data-dir <dir>", "folder with the dataset's files (MNIST/Fashion IDX, SHD .h5)")
    .option("-o, --out <file>", "model file to write (default <dataset>-snn.model.json)")
    .option("--checkpoint <file>", "checkpoint written after every epoch (default <out>.ckpt.json)")
    .option("--resume <ckpt>", "continue a run from its checkpoint (settings come from it)")
    .option("--backend <name>", `TensorFlow.js backend: ${BACKEND_CHOICES.join(", ")}`, choice("--backend", BACKEND_CHOICES), "auto" as BackendChoice)
    .option("--json", "print one JSON document (settings, epochs, accuracies)", false)
    .action(async (dataset: string | undefined, opts: TrainCommandOptions) => {
      const controller = new AbortController();
      const onSigint = (): void => {
        if (!opts.json) io.err("\ninterrupted: finishing the batch, then saving the checkpoint and the model\n");
        controller.abort();
      };
      process.once("SIGINT", onSigint);
      try {
        const result = await runTrain(dataset, opts, io, controller.signal);
        if (opts.json) printJson(io, result);
        else printTrainText(io, result);
      } finally {
        process.removeListener("SIGINT", onSigint);
      }
    });
};
