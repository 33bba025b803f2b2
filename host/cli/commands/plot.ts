// SPDX-License-Identifier: Apache-2.0
// `loci plot <model|image>`: pictures of a trained spatial network — learned neuron positions
// with connections before and after pruning (model files, saved MLPs) and spike rasters of one
// sample (core images, or model files compiled for the iCEBreaker) from the simulator or from a
// board run's output events (--events run.json). SVG, and PNG unless --no-png.

import path from "node:path";
import { compileModel } from "../../../compiler/compile.ts";
import { readModelFile } from "../../../compiler/model-file.ts";
import { isCoreImage } from "../../../sim/core-image.ts";
import { LociError } from "../../../sim/errors.ts";
import { parseJsonText, readFileBytes } from "../../../sim/json-file.ts";
import { limitDataset } from "../../train/dataset.ts";
import { openCoreImage } from "../../train/eval.ts";
import { DATASET_NAMES, isDatasetName, loadDataset, type DatasetName } from "../../train/load-dataset.ts";
import { writePositionPictures, writeRasterPicture } from "../../train/pictures.ts";
import { parseEvents, type SpatialPicture } from "../../train/plots.ts";
import { MLP_FORMAT, readMlp } from "../../train/spatial-mlp.ts";
import { intOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import type { TemporalOptions } from "../../train/temporal.ts";

/** Options of `loci plot`. */
export interface PlotOptions {
  readonly dataset?: string;
  readonly sample: number;
  readonly events?: string;
  readonly outDir: string;
  readonly png: boolean;
  readonly maxLines: number;
  readonly dataDir?: string;
  readonly json: boolean;
}

/** What `loci plot` wrote. */
export interface PlotOutcome {
  readonly files: string[];
  readonly raster?: { sample: number; label: number; predicted?: number; spikes: number };
}

function datasetName(o: PlotOptions, fallback: string | undefined): DatasetName | undefined {
  const name = o.dataset ?? fallback;
  if (name === undefined) return undefined;
  if (!isDatasetName(name)) throw new LociError("E_USAGE", `unknown dataset "${name}" (known: ${DATASET_NAMES.join(", ")})`);
  return name;
}

/** Write the pictures of a model file, saved MLP or core image. */
export async function runPlot(file: string, o: PlotOptions): Promise<PlotOutcome> {
  const bytes = readFileBytes(file);
  const files: string[] = [];
  const base = path.basename(file).replace(/\.(model\.json|mlp\.json|json|loci)$/, "");
  let core;
  let fallback: string | undefined;
  let temporal: TemporalOptions | undefined;
  if (isCoreImage(bytes)) {
    core = openCoreImage(bytes);
  } else {
    const doc = parseJsonText(bytes.toString("utf8"), { file }) as { format?: unknown };
    if (doc.format === MLP_FORMAT) {
      const mlp = readMlp(file);
      const pic: SpatialPicture = {
        name: base,
        dimensions: mlp.dimensions,
        layerAxis: true,
        populations: mlp.populations,
        projections: mlp.projections.map((p) => {
          const from = mlp.populations.find((q) => q.name === p.from)!;
          const to = mlp.populations.find((q) => q.name === p.to)!;
          const pre: number[] = [];
          const post: number[] = [];
          const weight: number[] = [];
          const keep = new Set((p.mask ?? []).map(([i, j]) => i * to.size + j));
          for (let i = 0; i < from.size; i++) {
            for (let j = 0; j < to.size; j++) {
              const d = Math.max(Math.hypot(...from.positions[i].map((x, c) => x - to.positions[j][c])), mlp.minDistance);
              pre.push(i);
              post.push(j);
              weight.push(((from.signs?.[i] ?? 1) * p.gain) / d);
            }
          }
          return { from: p.from, to: p.to, pre: Int32Array.from(pre), post: Int32Array.from(post), weight: Float64Array.from(weight), kept: Uint8Array.from(pre, (i, k) => (p.mask === undefined || keep.has(i * to.size + post[k]) ? 1 : 0)) };
        }),
      };
      return { files: writePositionPictures(pic, o.outDir, { png: o.png, maxLines: o.maxLines, prefix: base }) };
    }
    const model = readModelFile(file);
    files.push(...writePositionPictures(model, o.outDir, { png: o.png, maxLines: o.maxLines, prefix: base }));
    fallback = model.metadata?.dataset;
    temporal = (model.metadata?.training as { settings?: { temporal?: TemporalOptions | null } } | undefined)?.settings?.temporal ?? undefined;
    if (datasetName(o, fallback) === undefined) return { files };
    core = openCoreImage(compileModel(model, { fit: true, where: { file } }).image);
  }
  const name = datasetName(o, fallback);
  if (name === undefined) throw new LociError("E_USAGE", "a raster needs a dataset: pass --dataset", { suggestion: `loci plot ${file} --dataset mnist` });
  const splits = await loadDataset(name, { ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }), ...(temporal === undefined ? {} : { temporal }) });
  const test = limitDataset(splits.test, o.sample + 1);
  if (o.sample >= test.count) throw new LociError("E_USAGE", `--sample ${o.sample} is beyond the ${test.count} test samples`);
  const events = o.events === undefined ? undefined : parseEventsFile(o.events);
  const raster = writeRasterPicture(core, test, o.sample, path.join(o.outDir, `${base}-raster${events === undefined ? "" : "-board"}.svg`), {
    png: o.png,
    ...(events === undefined ? {} : { events, source: o.events }),
  });
  files.push(...raster.files);
  return { files, raster: { sample: raster.sample, label: raster.label, ...(raster.predicted === undefined ? {} : { predicted: raster.predicted }), spikes: raster.spikes } };
}

function parseEventsFile(file: string): [number, number][] {
  try {
    return parseEvents(parseJsonText(readFileBytes(file).toString("utf8"), { file }));
  } catch (error) {
    if (error instanceof LociError) throw error;
    throw new LociError("E_FORMAT", `${file}: ${(error as Error).message}`, { context: { file }, suggestion: "Save a board run with loci run ... --json > run.json." });
  }
}

/** Register `loci plot`. */
export const registerPlot: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("plot")
    .description("pictures of a spatial network: learned positions and connections (before/after pruning), spike rasters")
    .argument("<file>", "model file (*.model.json), saved spatial MLP (*.mlp.json) or core image (*.loci)")
    .option("--dataset <name>", `dataset for the raster (${DATASET_NAMES.join(", ")}; default for a model file: its own)`)
    .option("--sample <i>", "test sample shown in the raster", intOption("--sample", 0), 0)
    .option("--events <run.json>", "raster of a board run's output events (loci run --json) instead of the simulator")
    .option("--out-dir <dir>", "folder for the pictures", ".")
    .option("--no-png", "write SVG only")
    .option("--max-lines <n>", "most connections drawn per picture (strongest first)", intOption("--max-lines", 0, 1_000_000), 4000)
    .option("--data-dir <dir>", "folder with the dataset's files")
    .option("--json", "print one JSON document", false)
    .action(async (file: string, opts: PlotOptions) => {
      const r = await runPlot(file, opts);
      if (opts.json) printJson(io, r);
      else {
        for (const f of r.files) io.out(`wrote ${f}\n`);
        if (r.raster !== undefined) {
          io.out(`raster: sample ${r.raster.sample} (label ${r.raster.label}${r.raster.predicted === undefined ? "" : `, read out ${r.raster.predicted}`}), ${r.raster.spikes} spikes\n`);
        }
      }
    });
};
