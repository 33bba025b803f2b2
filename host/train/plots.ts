// SPDX-License-Identifier: Apache-2.0
// Pictures of a trained spatial network: the learned positions of every population with its
// connections (coloured by the source's sign, shaded by |w|), before and after pruning, and spike
// rasters of one sample (from the simulator, or from a board run's output events).
//
// Projection to 2-D: the layer coordinate (when the model uses a layer axis) is dropped — each
// population gets its own panel — and the remaining d' coordinates are projected onto the first
// two principal axes of all neurons' positions together (PCA), so one picture shows every layer on
// the same axes; with d' = 2 (the paper's 3-D setting) the picture is the positions themselves.

import { expandCandidates } from "../../compiler/candidates.ts";
import type { InputSpikes } from "../../compiler/encoding.ts";
import type { LociModel } from "../../compiler/model-file.ts";
import { Svg, num } from "./svg.ts";

/** A spatial network as the pictures need it (a model file, or a saved spatial MLP). */
export interface SpatialPicture {
  readonly name: string;
  readonly dimensions: number;
  /** True when the last coordinate is the layer index (not drawn). */
  readonly layerAxis: boolean;
  readonly populations: readonly { readonly name: string; readonly positions: readonly (readonly number[])[]; readonly signs?: readonly number[] }[];
  /** Connections: source member, target member, weight (float units), per projection. */
  readonly projections: readonly { readonly from: string; readonly to: string; readonly pre: Int32Array; readonly post: Int32Array; readonly weight: Float64Array; readonly kept: Uint8Array }[];
}

/** Picture data of a model file: every candidate pair with its weight, and whether the model keeps it. */
export function pictureOfModel(model: LociModel): SpatialPicture {
  const unmasked: LociModel = { ...model, projections: model.projections.map((p) => ({ ...p, mask: undefined, pruned: undefined })) };
  const all = expandCandidates(unmasked);
  const layerAxis = (model.metadata?.training as { config?: { layerAxis?: boolean } } | undefined)?.config?.layerAxis ?? false;
  const projections = model.projections.map((p, k) => {
    const idx: number[] = [];
    for (let c = 0; c < all.count; c++) if (all.projection[c] === k) idx.push(c);
    const to = model.populations.find((q) => q.name === p.to)!;
    const keep = new Uint8Array(idx.length);
    if (p.mask !== undefined) {
      const set = new Set(p.mask.map(([i, j]) => i * to.size + j));
      idx.forEach((c, m) => (keep[m] = set.has(all.pre[c] * to.size + all.post[c]) ? 1 : 0));
    } else if (p.pruned !== undefined) {
      const set = new Set(p.pruned.map(([i, j]) => i * to.size + j));
      idx.forEach((c, m) => (keep[m] = set.has(all.pre[c] * to.size + all.post[c]) ? 0 : 1));
    } else keep.fill(1);
    return {
      from: p.from,
      to: p.to,
      pre: Int32Array.from(idx, (c) => all.pre[c]),
      post: Int32Array.from(idx, (c) => all.post[c]),
      weight: Float64Array.from(idx, (c) => all.weight[c]),
      kept: keep,
    };
  });
  return { name: model.metadata?.name ?? "model", dimensions: model.dimensions, layerAxis, populations: model.populations, projections };
}

/** Top-2 principal axes of points (rows), by power iteration on the covariance. */
export function principalAxes(points: readonly (readonly number[])[]): { mean: number[]; axes: number[][] } {
  const d = points[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const p of points) for (let c = 0; c < d; c++) mean[c] += p[c] / points.length;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const p of points) {
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a][b] += ((p[a] - mean[a]) * (p[b] - mean[b])) / points.length;
  }
  const axes: number[][] = [];
  for (let k = 0; k < Math.min(2, d); k++) {
    // Deterministic start; deflate the axes already found.
    let v = Array.from({ length: d }, (_, c) => 1 / Math.sqrt(d) + (c === k ? 0.5 : 0));
    for (let it = 0; it < 200; it++) {
      let w = cov.map((row) => row.reduce((s, x, c) => s + x * v[c], 0));
      for (const u of axes) {
        const dotp = w.reduce((s, x, c) => s + x * u[c], 0);
        w = w.map((x, c) => x - dotp * u[c]);
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      v = w.map((x) => x / norm);
    }
    axes.push(v);
  }
  return { mean, axes };
}

/** 2-D coordinates of every population's members (see the file comment). */
export function project2d(pic: SpatialPicture): { points: [number, number][][]; method: string } {
  const drop = pic.layerAxis ? 1 : 0;
  const learned = pic.populations.map((p) => p.positions.map((x) => x.slice(0, x.length - drop)));
  const dims = pic.dimensions - drop;
  if (dims <= 2) {
    return { points: learned.map((pts) => pts.map((x) => [x[0] ?? 0, x[1] ?? 0] as [number, number])), method: dims === 2 ? "learned coordinates" : "learned coordinate" };
  }
  const { mean, axes } = principalAxes(learned.flat());
  const proj = (x: readonly number[]): [number, number] => [
    x.reduce((s, v, c) => s + (v - mean[c]) * axes[0][c], 0),
    x.reduce((s, v, c) => s + (v - mean[c]) * (axes[1]?.[c] ?? 0), 0),
  ];
  return { points: learned.map((pts) => pts.map(proj)), method: `PCA of ${dims}-D learned coordinates` };
}

const POSITIVE = "#c0392b";
const NEGATIVE = "#2471a3";

/** Options of the positions picture. */
export interface PositionsPictureOptions {
  /** "after": the connections the model keeps; "before": every candidate pair (default "after"). */
  readonly connections?: "after" | "before";
  /** Draw at most this many connections, strongest first (default 4000). */
  readonly maxLines?: number;
  /** Panel size in pixels (default 320). */
  readonly panel?: number;
}

/** The positions picture: one panel per population, left to right, connections between panels. */
export function positionsSvg(pic: SpatialPicture, options: PositionsPictureOptions = {}): string {
  const which = options.connections ?? "after";
  const maxLines = options.maxLines ?? 4000;
  const size = options.panel ?? 320;
  const gap = 60;
  const top = 95;
  const n = pic.populations.length;
  const svg = new Svg(n * size + (n + 1) * gap, size + top + 70);
  const { points, method } = project2d(pic);
  // One scale for every panel, so distances compare across layers.
  const all = points.flat();
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 1e-9);
  const at = (layer: number, p: [number, number]): [number, number] => [
    gap + layer * (size + gap) + ((p[0] - x0) / span) * (size - 20) + 10,
    top + ((p[1] - y0) / span) * (size - 20) + 10,
  ];
  const byName = new Map(pic.populations.map((p, k) => [p.name, k]));
  let shown = 0;
  let total = 0;
  let maxW = 0;
  const lines: { w: number; a: [number, number]; b: [number, number]; sign: number }[] = [];
  for (const proj of pic.projections) {
    const fi = byName.get(proj.from)!;
    const ti = byName.get(proj.to)!;
    for (let k = 0; k < proj.weight.length; k++) {
      if (which === "after" && proj.kept[k] === 0) continue;
      total++;
      const w = Math.abs(proj.weight[k]);
      maxW = Math.max(maxW, w);
      lines.push({ w, a: at(fi, points[fi][proj.pre[k]]), b: at(ti, points[ti][proj.post[k]]), sign: Math.sign(proj.weight[k]) });
    }
  }
  lines.sort((p, q) => q.w - p.w);
  const drawn = lines.slice(0, maxLines).reverse(); // weakest first, strongest on top
  for (const l of drawn) {
    svg.line(l.a[0], l.a[1], l.b[0], l.b[1], l.sign >= 0 ? POSITIVE : NEGATIVE, 0.6, 0.05 + 0.6 * (l.w / Math.max(maxW, 1e-12)));
    shown++;
  }
  pic.populations.forEach((pop, layer) => {
    const ox = gap + layer * (size + gap);
    svg.rect(ox, top, size, size, "none", 1, "#bbbbbb");
    svg.text(ox + size / 2, top - 10, `${pop.name} (${pop.positions.length})`, 14, "middle", "#222222", "bold");
    const r = pop.positions.length > 300 ? 1.6 : pop.positions.length > 50 ? 2.6 : 4.5;
    points[layer].forEach((p, k) => {
      const [x, y] = at(layer, p);
      const s = pop.signs?.[k];
      svg.circle(x, y, r, s === undefined ? "#333333" : s > 0 ? POSITIVE : NEGATIVE, 0.9);
    });
  });
  const title = `${pic.name}: neuron positions (${method}), ${which === "after" ? "after pruning" : "before pruning"}`;
  svg.text(gap, 28, title, 16, "start", "#111111", "bold");
  svg.text(gap, 48, `${total} connections${shown < total ? `, strongest ${shown} drawn` : ""}; red: excitatory source (+), blue: inhibitory (−); darker = larger |w| = shorter distance`, 12);
  svg.text(gap, size + top + 30, `positions in ${pic.dimensions}-D${pic.layerAxis ? " (last coordinate = layer, one panel per layer)" : ""}; dots coloured by the neuron's sign`, 11, "start", "#555555");
  return svg.toString();
}

/** A neuron group of a raster (core neuron numbering). */
export interface RasterGroup {
  readonly name: string;
  readonly first: number;
  readonly size: number;
}

/** Options of a spike raster. */
export interface RasterOptions {
  readonly title: string;
  readonly steps: number;
  /** Neuron groups, drawn bottom to top after the input. */
  readonly groups: readonly RasterGroup[];
  /** Input spikes of the sample (drawn in the bottom band). */
  readonly input?: InputSpikes;
  /** A line under the title (e.g. the class read out). */
  readonly subtitle?: string;
  /** Readout scores of the output neurons (membranes or spike counts), drawn as bars on the right. */
  readonly scores?: { readonly values: readonly number[]; readonly label: string; readonly predicted: number };
}

/** A spike raster: x = step, one band per group (input at the bottom), one dot per spike. */
export function rasterSvg(events: readonly (readonly [number, number])[], options: RasterOptions): string {
  const width = options.scores === undefined ? 900 : 1060;
  const left = 110;
  const right = options.scores === undefined ? 20 : 180;
  const bands = [...(options.input === undefined ? [] : [{ name: "input", first: -1, size: options.input.channels }]), ...options.groups];
  const bandHeight = (b: { size: number }): number => Math.max(40, Math.min(260, b.size * 0.6));
  const heights = bands.map(bandHeight);
  const top = 70;
  const height = top + heights.reduce((a, b) => a + b + 16, 0) + 40;
  const svg = new Svg(width, height);
  const xOf = (step: number): number => left + ((step + 0.5) / options.steps) * (width - left - right);
  let y = height - 40;
  const colors = ["#7f8c8d", "#8e44ad", "#c0392b", "#16a085", "#d35400"];
  bands.forEach((band, k) => {
    const h = heights[k];
    const yTop = y - h;
    svg.rect(left, yTop, width - left - right, h, "#f7f7f7", 1, "#dddddd");
    svg.text(left - 8, yTop + h / 2 + 4, `${band.name} (${band.size})`, 11, "end");
    const rowY = (row: number): number => y - ((row + 0.5) / band.size) * h;
    const dot = Math.max(0.8, Math.min(3, (width - left - right) / options.steps / 3));
    const color = colors[k % colors.length];
    if (band.first < 0 && options.input !== undefined) {
      const mark = Math.max(1, Math.min(8, (h / band.size) * 0.8));
      options.input.spikes.forEach((list, t) => list.forEach((c) => svg.rect(xOf(t) - dot / 2, rowY(c) - mark / 2, dot, mark, color)));
    } else {
      for (const [t, j] of events) if (j >= band.first && j < band.first + band.size) svg.circle(xOf(t), rowY(j - band.first), dot, color, 0.9);
    }
    y = yTop - 16;
  });
  for (let t = 0; t <= options.steps; t += Math.max(1, Math.ceil(options.steps / 16))) {
    svg.text(xOf(t) - (width - left - right) / options.steps / 2, height - 22, String(t), 10, "middle", "#555555");
  }
  svg.text(left + (width - left - right) / 2, height - 6, "step", 11, "middle", "#555555");
  svg.text(20, 28, options.title, 16, "start", "#111111", "bold");
  if (options.subtitle !== undefined) svg.text(20, 48, options.subtitle, 12);
  if (options.scores !== undefined) {
    const { values, label, predicted } = options.scores;
    const x0 = width - right + 40;
    const barMax = right - 70;
    const peak = Math.max(1, ...values.map(Math.abs));
    svg.text(x0, top + 4, label, 11, "start", "#555555");
    values.forEach((v, k) => {
      const y = top + 16 + k * 16;
      const w = (Math.abs(v) / peak) * barMax;
      svg.text(x0 - 6, y + 10, String(k), 10, "end");
      svg.rect(v >= 0 ? x0 : x0 - 0, y, Math.max(0.5, w), 11, k === predicted ? "#c0392b" : v >= 0 ? "#95a5a6" : "#d5dbdb");
      svg.text(x0 + w + 4, y + 10, String(v), 9, "start", "#555555");
    });
  }
  return svg.toString();
}

/** Read output events from a board run: `loci run --json` / `loci sim --json` (`spikes: [[step, neuron]]`) or a bare array of pairs. */
export function parseEvents(doc: unknown): [number, number][] {
  const list = Array.isArray(doc) ? doc : (doc as { spikes?: unknown; events?: unknown } | null)?.spikes ?? (doc as { events?: unknown } | null)?.events;
  if (!Array.isArray(list) || !list.every((e) => Array.isArray(e) && e.length === 2 && e.every((x) => Number.isInteger(x) && (x as number) >= 0))) {
    throw new Error('expected "spikes": [[step, neuron], ...] (loci run --json) or an array of [step, neuron] pairs');
  }
  return list as [number, number][];
}

/** A one-line description of a picture for logs. */
export function describePicture(path: string, svgText: string): string {
  return `${path} (${num(svgText.length / 1024)} KiB)`;
}
