// SPDX-License-Identifier: Apache-2.0
// Batches of input spikes for training, time-major `[T, B, channels]`, from images (through the
// model's input encoding, bit-identical to compiler/encoding.ts, which `loci eval` and the board
// use) or from spike-event samples.

import { MAX_INTENSITY, RATE_ONE, encodeEvents, encodeIntensities, rateFixed, type InputSpikes } from "../../compiler/encoding.ts";
import type { InputEncoding } from "../../sim/core-image.ts";
import { LociError } from "../../sim/errors.ts";
import type { Dataset, ImageDataset, SpikeDataset } from "./dataset.ts";

/** A batch of input spikes: `data[(t · batch + b) · channels + c]` is 1 when channel c of sample b spikes at step t. */
export interface SpikeBatch {
  readonly steps: number;
  readonly batch: number;
  readonly channels: number;
  readonly data: Float32Array;
  /** The same spikes transposed, `[channels, T · B]`: `transposed[c · T·B + t · batch + b]`. */
  readonly transposed: Float32Array;
  /** Labels of the samples, in batch order. */
  readonly labels: Int32Array;
}

/**
 * Rate code of one intensity (docs/formats/model-file.md §5): call `emit(t)` for every step t at
 * which ⌊(t+1)·b·R / D⌋ > ⌊t·b·R / D⌋ (the accumulator form, on exact integers).
 */
function rateSteps(intensity: number, rate: number, steps: number, emit: (t: number) => void): void {
  const full = MAX_INTENSITY * RATE_ONE;
  const inc = intensity * rate;
  let acc = 0;
  for (let t = 0; t < steps; t++) {
    acc += inc;
    if (acc >= full) {
      acc -= full;
      emit(t);
    }
  }
}

function checkEncodingFits(data: Dataset, encoding: InputEncoding): void {
  if (data.kind === "images" && encoding.kind === "events") {
    throw new LociError("E_USAGE", `the ${data.name} dataset holds images; the model's encoding "events" needs spike samples`, {
      suggestion: 'Use a "rate" or "latency" encoding for image datasets.',
    });
  }
  if (data.kind === "spikes" && encoding.kind !== "events") {
    throw new LociError("E_USAGE", `the ${data.name} dataset holds spike events; the model's encoding must be "events", not "${encoding.kind}"`);
  }
  if (data.kind === "spikes" && encoding.steps !== data.steps) {
    throw new LociError("E_USAGE", `the ${data.name} samples have ${data.steps} steps but the model's encoding has ${encoding.steps}`);
  }
}

/** Encode the samples at `indices` into a time-major batch. */
export function encodeBatch(data: Dataset, indices: ArrayLike<number>, encoding: InputEncoding): SpikeBatch {
  checkEncodingFits(data, encoding);
  const steps = encoding.steps;
  const batch = indices.length;
  const channels = data.channels;
  const out = new Float32Array(steps * batch * channels);
  const transposed = new Float32Array(out.length);
  const rows = steps * batch;
  // Spikes are sparse: set both layouts at each spike.
  const set = (t: number, b: number, c: number): void => {
    out[(t * batch + b) * channels + c] = 1;
    transposed[c * rows + t * batch + b] = 1;
  };
  const labels = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const s = indices[b];
    labels[b] = data.labels[s];
    if (data.kind === "spikes") {
      for (let e = data.offsets[s]; e < data.offsets[s + 1]; e++) set(data.step[e], b, data.channel[e]);
      continue;
    }
    const base = s * channels;
    if (encoding.kind === "rate") {
      const rate = rateFixed(encoding);
      for (let c = 0; c < channels; c++) {
        const intensity = data.images[base + c];
        if (intensity !== 0) rateSteps(intensity, rate, steps, (t) => set(t, b, c));
      }
    } else {
      for (let c = 0; c < channels; c++) {
        const intensity = data.images[base + c];
        if (intensity === 0) continue;
        const num = (MAX_INTENSITY - intensity) * (steps - 1);
        set((num - (num % MAX_INTENSITY)) / MAX_INTENSITY, b, c);
      }
    }
  }
  return { steps, batch, channels, data: out, transposed, labels };
}

/** The input spikes of one sample as `compiler/encoding.ts` gives them (for the simulator and the board). */
export function sampleSpikes(data: Dataset, index: number, encoding: InputEncoding): InputSpikes {
  checkEncodingFits(data, encoding);
  if (data.kind === "images") return encodeIntensities(encoding, (data as ImageDataset).images.subarray(index * data.channels, (index + 1) * data.channels));
  const d = data as SpikeDataset;
  const events = [];
  for (let e = d.offsets[index]; e < d.offsets[index + 1]; e++) events.push({ step: d.step[e], channel: d.channel[e] });
  return encodeEvents(encoding.steps, d.channels, events);
}
