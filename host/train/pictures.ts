// SPDX-License-Identifier: Apache-2.0
// Writing the pictures to files: positions before and after pruning, and spike rasters of one
// sample (simulator run, or a board run's output events), as SVG and PNG.

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { LociModel } from "../../compiler/model-file.ts";
import { writeFileAtomic } from "../../sim/json-file.ts";
import type { Dataset } from "./dataset.ts";
import { sampleSpikes } from "./encoders.ts";
import { classifyOnCore, type CoreClassifier } from "./eval.ts";
import { pictureOfModel, positionsSvg, rasterSvg, type RasterGroup, type SpatialPicture } from "./plots.ts";
import { svgToPng } from "./svg.ts";

/** Options of the picture writers. */
export interface PictureOptions {
  /** Also write a PNG next to each SVG (default true). */
  readonly png?: boolean;
  /** Most connections drawn per picture (default 4000). */
  readonly maxLines?: number;
  /** File name prefix (default: the model's name). */
  readonly prefix?: string;
}

function write(file: string, svg: string, png: boolean): string[] {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, svg);
  if (!png) return [file];
  const pngFile = file.replace(/\.svg$/, ".png");
  writeFileAtomic(pngFile, svgToPng(svg));
  return [file, pngFile];
}

/** Write `<prefix>-positions.svg` (after pruning) and `<prefix>-positions-unpruned.svg` (+ PNGs). */
export function writePositionPictures(source: LociModel | SpatialPicture, outDir: string, options: PictureOptions = {}): string[] {
  const pic = "format" in source ? pictureOfModel(source) : source;
  const prefix = options.prefix ?? pic.name;
  const png = options.png ?? true;
  const maxLines = options.maxLines ?? 4000;
  return [
    ...write(path.join(outDir, `${prefix}-positions.svg`), positionsSvg(pic, { connections: "after", maxLines }), png),
    ...write(path.join(outDir, `${prefix}-positions-unpruned.svg`), positionsSvg(pic, { connections: "before", maxLines }), png),
  ];
}

/** Neuron groups of a core image, from its population map (output first on the core). */
export function rasterGroups(core: CoreClassifier): RasterGroup[] {
  return (core.image.meta.populations ?? []).filter((p) => p.kind === "lif").sort((a, b) => b.first - a.first).map((p) => ({ name: p.name, first: p.first, size: p.size }));
}

/** What a raster picture shows. */
export interface RasterPicture {
  readonly files: string[];
  readonly sample: number;
  readonly label: number;
  /** Class read out by the simulator (undefined for board events). */
  readonly predicted?: number;
  readonly spikes: number;
}

/**
 * Raster of sample `sample` of `data`: the simulator's run of the image (every neuron), or, with
 * `events` (`[step, neuron]` from a board run), those events over the same input.
 */
export function writeRasterPicture(core: CoreClassifier, data: Dataset, sample: number, file: string, options: PictureOptions & { events?: readonly (readonly [number, number])[]; source?: string } = {}): RasterPicture {
  const input = sampleSpikes(data, sample, core.encoding);
  const label = data.labels[sample];
  let events: readonly (readonly [number, number])[];
  let subtitle: string;
  let predicted: number | undefined;
  let scores: { values: number[]; label: string; predicted: number } | undefined;
  if (options.events === undefined) {
    const run = classifyOnCore(core, input, true);
    events = run.raster!;
    predicted = run.predicted;
    const values = Array.from(core.readout === "spike-count" ? run.outputSpikes : run.outputMembrane);
    scores = { values, label: core.readout === "spike-count" ? "output spikes" : "output membrane (LSB)", predicted: run.predicted };
    subtitle = `${data.name} test sample ${sample}, label ${label}, read out ${run.predicted} (${core.readout}); ${events.length} spikes, ${run.cycles} core cycles`;
  } else {
    events = options.events;
    subtitle = `${data.name} test sample ${sample}, label ${label}; ${events.length} output events from ${options.source ?? "the board"}`;
  }
  const svg = rasterSvg(events, {
    title: options.events === undefined ? "Spike raster (bit-exact simulator)" : "Spike raster (board output events)",
    subtitle,
    steps: input.steps,
    groups: rasterGroups(core),
    input,
    ...(scores === undefined ? {} : { scores }),
  });
  return { files: write(file, svg, options.png ?? true), sample, label, ...(predicted === undefined ? {} : { predicted }), spikes: events.length };
}
