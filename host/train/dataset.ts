// SPDX-License-Identifier: Apache-2.0
// The two dataset shapes training uses: images (intensities 0..255 per input channel, encoded to
// spikes by the model's input encoding) and spike events (already spikes, per step and channel).

import { LociError } from "../../sim/errors.ts";
import { Random } from "../../sim/random.ts";

/** Images with one intensity 0..255 per input channel (row-major pixels), and a label each. */
export interface ImageDataset {
  readonly kind: "images";
  /** Dataset name, e.g. "mnist". */
  readonly name: string;
  readonly count: number;
  /** Input channels per sample (pixels: 784 for 28 × 28). */
  readonly channels: number;
  /** Image width and height in pixels (channels = width · height). */
  readonly width: number;
  readonly height: number;
  /** `count · channels` intensities, sample-major. */
  readonly images: Uint8Array;
  /** One class index per sample. */
  readonly labels: Uint8Array;
  readonly classes: number;
  /** Human-readable class names (optional). */
  readonly classNames?: readonly string[];
}

/**
 * Samples that are spike events: sample k's events are `offsets[k] .. offsets[k+1]−1` of
 * `step`/`channel`, sorted by step then channel, each (step, channel) at most once.
 */
export interface SpikeDataset {
  readonly kind: "spikes";
  readonly name: string;
  readonly count: number;
  readonly channels: number;
  /** Steps per sample; every event has 0 ≤ step < steps. */
  readonly steps: number;
  readonly offsets: Int32Array;
  readonly step: Int32Array;
  readonly channel: Int32Array;
  readonly labels: Uint8Array;
  readonly classes: number;
  readonly classNames?: readonly string[];
}

export type Dataset = ImageDataset | SpikeDataset;

/** A train and a test split of one dataset. */
export interface DatasetSplits<D extends Dataset = Dataset> {
  readonly train: D;
  readonly test: D;
}

/** The first `limit` samples (or all of them). Shares storage with `data`. */
export function limitDataset<D extends Dataset>(data: D, limit: number | undefined): D {
  if (limit === undefined || limit >= data.count) return data;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new LociError("E_USAGE", `limit must be a positive integer, got ${limit}`, { context: { field: "limit", value: limit } });
  }
  return selectSamples(data, Int32Array.from({ length: limit }, (_, k) => k));
}

/** A new dataset holding the samples at `indices`, in that order (copies the data). */
export function selectSamples<D extends Dataset>(data: D, indices: ArrayLike<number>): D {
  const n = indices.length;
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) labels[k] = data.labels[indices[k]];
  if (data.kind === "images") {
    const c = data.channels;
    const images = new Uint8Array(n * c);
    for (let k = 0; k < n; k++) images.set(data.images.subarray(indices[k] * c, indices[k] * c + c), k * c);
    return { ...data, count: n, images, labels };
  }
  let total = 0;
  for (let k = 0; k < n; k++) total += data.offsets[indices[k] + 1] - data.offsets[indices[k]];
  const offsets = new Int32Array(n + 1);
  const step = new Int32Array(total);
  const channel = new Int32Array(total);
  let at = 0;
  for (let k = 0; k < n; k++) {
    const lo = data.offsets[indices[k]];
    const hi = data.offsets[indices[k] + 1];
    step.set(data.step.subarray(lo, hi), at);
    channel.set(data.channel.subarray(lo, hi), at);
    at += hi - lo;
    offsets[k + 1] = at;
  }
  return { ...data, count: n, offsets, step, channel, labels };
}

/** A seeded permutation of 0..count−1 (Fisher-Yates with the project PRNG). */
export function permutation(count: number, seed: number): Int32Array {
  return new Random(seed).shuffle(Int32Array.from({ length: count }, (_, k) => k));
}

/** Split off the last `fraction` of a seeded shuffle as a validation set. */
export function splitValidation<D extends Dataset>(data: D, fraction: number, seed: number): { train: D; validation: D } {
  const order = permutation(data.count, seed);
  const nVal = Math.round(data.count * fraction);
  return { train: selectSamples(data, order.subarray(0, data.count - nVal)), validation: selectSamples(data, order.subarray(data.count - nVal)) };
}

/** Count of samples per class. */
export function classCounts(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (const y of data.labels) counts[y]++;
  return counts;
}
