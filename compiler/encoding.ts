// SPDX-License-Identifier: Apache-2.0
// Input encodings of the model file: a sample (pixel intensities 0..255, or events) becomes the
// input spikes of each step. Integer arithmetic only, so training, `loci eval`, the simulator
// and the board see the same spike at the same step, bit for bit (docs/formats/model-file.md §5).

import { RangeValueError } from "../sim/errors.ts";
import type { InputEncoding, RateEncoding } from "./model-file.ts";

/** Denominator of the rate code's fixed-point rate: R = round(maxRate · RATE_ONE). */
export const RATE_ONE = 65536;
/** Largest intensity of a rate or latency sample. */
export const MAX_INTENSITY = 255;

/** Input spikes of one sample: `spikes[t]` holds the channels that spike at step t, ascending. */
export interface InputSpikes {
  readonly steps: number;
  readonly channels: number;
  readonly spikes: readonly Int32Array[];
}

/** One spike event of an "events" sample. */
export interface InputEvent {
  /** Step, 0..steps−1. */
  readonly step: number;
  /** Input channel (index over the input populations, in model order). */
  readonly channel: number;
}

/** The rate code's integer rate R = round(maxRate · 65536), 1..65536. */
export function rateFixed(encoding: Pick<RateEncoding, "maxRate">): number {
  return Math.min(RATE_ONE, Math.max(1, Math.round(encoding.maxRate * RATE_ONE)));
}

function checkIntensities(sample: ArrayLike<number>): void {
  for (let c = 0; c < sample.length; c++) {
    const b = sample[c];
    if (!Number.isInteger(b) || b < 0 || b > MAX_INTENSITY) {
      throw new RangeValueError(`sample[${c}]`, b, `integer 0..${MAX_INTENSITY}`);
    }
  }
}

/**
 * Rate code: channel c with intensity b spikes at step t iff
 * ⌊(t+1)·b·R / D⌋ > ⌊t·b·R / D⌋ with D = 255 · 65536, i.e. an accumulator that adds b·R each step
 * and spikes (subtracting D) when it reaches D. At most one spike per step; b = 255 with
 * maxRate 1 spikes every step; b = 0 never spikes.
 */
function rateSpikes(encoding: RateEncoding, sample: ArrayLike<number>): Int32Array[] {
  const rate = rateFixed(encoding);
  const full = MAX_INTENSITY * RATE_ONE;
  const acc = new Float64Array(sample.length); // values < 2^25: exact
  const out: Int32Array[] = [];
  const buf = new Int32Array(sample.length);
  for (let t = 0; t < encoding.steps; t++) {
    let n = 0;
    for (let c = 0; c < sample.length; c++) {
      const a = acc[c] + sample[c] * rate;
      if (a >= full) {
        acc[c] = a - full;
        buf[n++] = c;
      } else {
        acc[c] = a;
      }
    }
    out.push(buf.slice(0, n));
  }
  return out;
}

/** Latency code: channel c with intensity b > 0 spikes once, at step ⌊(255 − b)·(steps − 1) / 255⌋. */
function latencySpikes(steps: number, sample: ArrayLike<number>): Int32Array[] {
  const lists: number[][] = Array.from({ length: steps }, () => []);
  for (let c = 0; c < sample.length; c++) {
    const b = sample[c];
    if (b === 0) continue;
    const num = (MAX_INTENSITY - b) * (steps - 1);
    lists[(num - (num % MAX_INTENSITY)) / MAX_INTENSITY].push(c);
  }
  return lists.map((l) => Int32Array.from(l));
}

/**
 * Encode one sample of intensities (one per input channel, 0..255) with a "rate" or "latency"
 * encoding. Returns the spikes of each of the `encoding.steps` steps.
 */
export function encodeIntensities(encoding: InputEncoding, sample: ArrayLike<number>): InputSpikes {
  if (encoding.kind === "events") {
    throw new RangeValueError("encoding.kind", encoding.kind, '"rate" or "latency" for intensity samples (use encodeEvents)');
  }
  checkIntensities(sample);
  const spikes = encoding.kind === "rate" ? rateSpikes(encoding, sample) : latencySpikes(encoding.steps, sample);
  return { steps: encoding.steps, channels: sample.length, spikes };
}

/**
 * Bucket an "events" sample by step. Events must lie inside `steps` and `channels`; an event
 * listed twice is kept once (the core takes each axon at most once per step).
 */
export function encodeEvents(steps: number, channels: number, events: readonly InputEvent[]): InputSpikes {
  const lists: Set<number>[] = Array.from({ length: steps }, () => new Set<number>());
  events.forEach((e, k) => {
    if (!Number.isInteger(e.step) || e.step < 0 || e.step >= steps) throw new RangeValueError(`events[${k}].step`, e.step, `integer 0..${steps - 1}`);
    if (!Number.isInteger(e.channel) || e.channel < 0 || e.channel >= channels) {
      throw new RangeValueError(`events[${k}].channel`, e.channel, `integer 0..${channels - 1}`);
    }
    lists[e.step].add(e.channel);
  });
  return { steps, channels, spikes: lists.map((s) => Int32Array.from(s).sort()) };
}

/** The spikes as a 0/1 raster, row-major by step: `raster[t · channels + c]` (for training tensors). */
export function spikeRaster(input: InputSpikes): Uint8Array {
  const raster = new Uint8Array(input.steps * input.channels);
  input.spikes.forEach((list, t) => {
    for (let k = 0; k < list.length; k++) raster[t * input.channels + list[k]] = 1;
  });
  return raster;
}
