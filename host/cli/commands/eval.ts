// SPDX-License-Identifier: Apache-2.0
// `loci eval <model-or-image> --dataset <name>`: test accuracy. A core image runs sample by sample
// in the bit-exact simulator (the number the board reproduces); a model file runs as the float
// model in TensorFlow.js (or, with --quantized, as the core's integers emulated in tensors).

import { InvalidArgumentError } from "commander";
import { readModelFile } from "../../../compiler/model-file.ts";
import { isCoreImage } from "../../../sim/core-image.ts";
import { LociError } from "../../../sim/errors.ts";
import { readFileBytes } from "../../../sim/json-file.ts";
import { BACKEND_CHOICES, initBackend, type BackendChoice } from "../../train/backend.ts";
import { limitDataset, type Dataset } from "../../train/dataset.ts";
import { evaluateCoreImage, evaluateModel, openCoreImage } from "../../train/eval.ts";
import { DATASET_NAMES, isDatasetName, loadDataset, type DatasetName } from "../../train/load-dataset.ts";
import { fromModelFile } from "../../train/model-io.ts";
import type { TemporalOptions } from "../../train/temporal.ts";
import { intOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";

/** Options of `loci eval`. */
export interface EvalCommandOptions {
  readonly dataset?: DatasetName;
  readonly split: "test" | "train";
  readonly limit?: number;
  readonly quantized?: boolean;
  readonly dataDir?: string;
  readonly backend: BackendChoice;
  readonly json: boolean;
}

/** What `loci eval` measured. */
export interface EvalOutcome {
  readonly accuracy: number;
  readonly samples: number;
  readonly correct: number;
  /** "core-image" (bit-exact simulator), "model-float" or "model-quantized". */
  readonly evaluated: "core-image" | "model-float" | "model-quantized";
  readonly file: string;
  readonly dataset: DatasetName;
  readonly split: "test" | "train";
  readonly seconds: number;
  /** Core images: mean clock cycles per sample (the cycle model). */
  readonly cyclesPerSample?: number;
}

function parseDataset(value: string): DatasetName {
  if (!isDatasetName(value)) throw new InvalidArgumentError(`--dataset must be one of ${DATASET_NAMES.join(", ")}, got "${value}"`);
  return value;
}

async function loadSplit(name: DatasetName, o: EvalCommandOptions, temporal: TemporalOptions | undefined): Promise<Dataset> {
  const splits = await loadDataset(name, { ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }), ...(temporal === undefined ? {} : { temporal }) });
  return limitDataset(o.split === "train" ? splits.train : splits.test, o.limit);
}

/** Evaluate a model file or a core image on a dataset split. */
export async function runEval(file: string, o: EvalCommandOptions, io: CliIO): Promise<EvalOutcome> {
  const bytes = readFileBytes(file);
  const progress = (label: string) => {
    const bar = progressBar(io, label, 1, !o.json);
    return { onProgress: (done: number, total: number) => bar.update(done / total), done: () => bar.done() };
  };
  if (isCoreImage(bytes)) {
    if (o.quantized === true) throw new LociError("E_USAGE", "--quantized applies to model files; a core image is always evaluated bit-exactly");
    if (o.dataset === undefined) throw new LociError("E_USAGE", "a core image does not name its dataset: pass --dataset", { suggestion: `loci eval ${file} --dataset mnist` });
    const core = openCoreImage(bytes);
    const data = await loadSplit(o.dataset, o, undefined);
    const p = progress("simulating");
    const r = await evaluateCoreImage(core, data, { onProgress: p.onProgress });
    p.done();
    return { accuracy: r.accuracy, samples: r.samples, correct: r.correct, evaluated: "core-image", file, dataset: o.dataset, split: o.split, seconds: r.seconds, cyclesPerSample: r.samples === 0 ? 0 : r.cycles / r.samples };
  }
  const model = readModelFile(file);
  const named = model.metadata?.dataset;
  const dataset = o.dataset ?? (named !== undefined && isDatasetName(named) ? named : undefined);
  if (dataset === undefined) throw new LociError("E_USAGE", `${file} does not name a dataset Loci knows: pass --dataset`, { suggestion: `loci eval ${file} --dataset mnist` });
  await initBackend(o.backend);
  const settings = (model.metadata?.training as { settings?: { temporal?: TemporalOptions | null } } | undefined)?.settings;
  const data = await loadSplit(dataset, o, settings?.temporal ?? undefined);
  const snn = fromModelFile(model);
  try {
    const p = progress(o.quantized === true ? "evaluating (core integers)" : "evaluating (float)");
    const r = await evaluateModel(snn, data, { quantize: o.quantized === true, onProgress: p.onProgress });
    p.done();
    return { accuracy: r.accuracy, samples: r.samples, correct: r.correct, evaluated: o.quantized === true ? "model-quantized" : "model-float", file, dataset, split: o.split, seconds: r.seconds };
  } finally {
    snn.dispose();
  }
}

/** Register `loci eval`. */
export const registerEval: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("eval")
    .description("accuracy of a core image (bit-exact simulator) or a model file (float model) on a dataset")
    .argument("<model-or-image>", "core image (*.loci) or model file (*.model.json)")
    .option("--dataset <name>", `dataset: ${DATASET_NAMES.join(", ")} (default for a model file: the one it was trained on)`, parseDataset)
    .option("--split <split>", "test or train", (v: string) => {
      if (v !== "test" && v !== "train") throw new InvalidArgumentError(`--split must be test or train, got "${v}"`);
      return v;
    }, "test")
    .option("--limit <n>", "evaluate the first n samples", intOption("--limit", 1))
    .option("--quantized", "model file: run the core's integer arithmetic (emulated in tensors) instead of the float model")
    .option("--data-dir <dir>", "folder with the dataset's files")
    .option("--backend <name>", `TensorFlow.js backend for model files: ${BACKEND_CHOICES.join(", ")}`, (v: string) => {
      if (!(BACKEND_CHOICES as readonly string[]).includes(v)) throw new InvalidArgumentError(`--backend must be one of ${BACKEND_CHOICES.join(", ")}`);
      return v as BackendChoice;
    }, "auto" as BackendChoice)
    .option("--json", "print one JSON document", false)
    .action(async (file: string, opts: EvalCommandOptions) => {
      const r = await runEval(file, opts, io);
      if (opts.json) printJson(io, r);
      else {
        const what = r.evaluated === "core-image" ? "bit-exact simulator" : r.evaluated === "model-float" ? "float model" : "core integers (tensors)";
        io.out(`${file}: accuracy ${(r.accuracy * 100).toFixed(2)} % (${r.correct}/${r.samples}) on ${r.dataset} ${r.split}, ${what}, ${r.seconds.toFixed(1)} s\n`);
        if (r.cyclesPerSample !== undefined) io.out(`  ${Math.round(r.cyclesPerSample)} core cycles per sample (cycle model)\n`);
      }
    });
};
