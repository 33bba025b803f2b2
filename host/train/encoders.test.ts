// SPDX-License-Identifier: Apache-2.0
// Training batches encode exactly as compiler/encoding.ts does (what the simulator and the board
// get), for the rate and latency codes and for event samples; the transposed layout matches.
import { describe, expect, it } from "vitest";
import { encodeIntensities, spikeRaster } from "../../compiler/encoding.ts";
import type { InputEncoding } from "../../sim/core-image.ts";
import type { ImageDataset } from "./dataset.ts";
import { encodeBatch, sampleSpikes } from "./encoders.ts";
import { loadMnist } from "./mnist.ts";
import { loadTemporal } from "./temporal.ts";

const { test } = loadMnist();

function checkBatch(data: ImageDataset, idx: number[], encoding: InputEncoding): void {
  const batch = encodeBatch(data, idx, encoding);
  const { steps, channels } = batch;
  idx.forEach((s, b) => {
    const ref = Array.from(spikeRaster(encodeIntensities(encoding, data.images.subarray(s * channels, (s + 1) * channels))));
    const mine: number[] = [];
    const mineT: number[] = [];
    for (let t = 0; t < steps; t++) {
      for (let c = 0; c < channels; c++) {
        mine.push(batch.data[(t * idx.length + b) * channels + c]);
        mineT.push(batch.transposed[c * steps * idx.length + t * idx.length + b]);
      }
    }
    expect(mine).toEqual(ref);
    expect(mineT).toEqual(ref);
    expect(ref.some((v) => v === 1)).toBe(true);
    expect(batch.labels[b]).toBe(data.labels[s]);
  });
}

describe("encodeBatch", () => {
  it("rate code equals compiler/encoding.ts bit for bit (several rates and lengths)", () => {
    for (const [steps, maxRate] of [[16, 1], [10, 0.5], [25, 0.3]] as const) checkBatch(test, [0, 7, 42], { kind: "rate", steps, maxRate });
  });

  it("latency code equals compiler/encoding.ts", () => {
    checkBatch(test, [3, 5], { kind: "latency", steps: 12 });
  });

  it("a full-intensity pixel spikes every step at rate 1; a dark one never", () => {
    const img: ImageDataset = { ...test, count: 1, images: Uint8Array.from({ length: 784 }, (_, c) => (c === 0 ? 255 : c === 1 ? 0 : 51)), labels: Uint8Array.of(3) };
    const b = encodeBatch(img, [0], { kind: "rate", steps: 20, maxRate: 0.5 });
    const at = (t: number, c: number): number => b.data[t * 784 + c];
    expect(Array.from({ length: 20 }, (_, t) => at(t, 0)).reduce((a, v) => a + v)).toBe(10);
    expect(Array.from({ length: 20 }, (_, t) => at(t, 1)).reduce((a, v) => a + v)).toBe(0);
    // The model file's worked example: maxRate 0.5, b = 51 spikes at steps 9 and 19.
    expect(Array.from({ length: 20 }, (_, t) => at(t, 2)).flatMap((v, t) => (v === 1 ? [t] : []))).toEqual([9, 19]);
  });

  it("event samples become their events; sampleSpikes gives the same steps", () => {
    const { test: events } = loadTemporal({ trainCount: 10, testCount: 10 });
    const b = encodeBatch(events, [4], { kind: "events", steps: events.steps });
    const spikes = sampleSpikes(events, 4, { kind: "events", steps: events.steps });
    for (let t = 0; t < events.steps; t++) {
      const fromBatch = [];
      for (let c = 0; c < events.channels; c++) if (b.data[t * events.channels + c] === 1) fromBatch.push(c);
      expect(fromBatch).toEqual(Array.from(spikes.spikes[t]));
    }
    expect(spikes.spikes.reduce((n, l) => n + l.length, 0)).toBe(events.offsets[5] - events.offsets[4]);
  });

  it("rejects an encoding that does not fit the data", () => {
    expect(() => encodeBatch(test, [0], { kind: "events", steps: 5 })).toThrow(/holds images/);
    const { test: events } = loadTemporal({ trainCount: 4, testCount: 4 });
    expect(() => encodeBatch(events, [0], { kind: "rate", steps: 5, maxRate: 1 })).toThrow(/must be "events"/);
    expect(() => encodeBatch(events, [0], { kind: "events", steps: 5 })).toThrow(/32 steps/);
  });
});
