// SPDX-License-Identifier: Apache-2.0
// Tests of the input encodings: hand-checked spike times and the closed forms of the docs.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LociError } from "../sim/errors.ts";
import { RATE_ONE, encodeEvents, encodeIntensities, rateFixed, spikeRaster } from "./encoding.ts";

const steps = (s: { spikes: readonly Int32Array[] }, channel: number): number[] =>
  s.spikes.flatMap((list, t) => (list.includes(channel) ? [t] : []));

describe("rate encoding", () => {
  it("gives the hand-checked spike times", () => {
    const enc = encodeIntensities({ kind: "rate", steps: 20, maxRate: 0.5 }, [255, 51, 0, 128]);
    expect(steps(enc, 0)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(steps(enc, 1)).toEqual([9, 19]); // rate 0.1 per step
    expect(steps(enc, 2)).toEqual([]);
    // b = 128: rate 128/510 per step; spikes where floor((t+1)·128/510) steps up.
    expect(steps(enc, 3)).toEqual([3, 7, 11, 15, 19]);
    const full = encodeIntensities({ kind: "rate", steps: 5, maxRate: 1 }, [255]);
    expect(steps(full, 0)).toEqual([0, 1, 2, 3, 4]);
  });

  it("matches the closed form ⌊(t+1)·b·R/D⌋ > ⌊t·b·R/D⌋ for any intensity and rate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.double({ min: 1 / 65536, max: 1, noNaN: true }), fc.integer({ min: 1, max: 300 }), (b, maxRate, T) => {
        const enc = encodeIntensities({ kind: "rate", steps: T, maxRate }, [b]);
        const R = rateFixed({ maxRate });
        const D = 255 * RATE_ONE;
        const expected: number[] = [];
        for (let t = 0; t < T; t++) if (Math.floor(((t + 1) * b * R) / D) > Math.floor((t * b * R) / D)) expected.push(t);
        expect(steps(enc, 0)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe("latency encoding", () => {
  it("spikes once at ⌊(255 − b)·(steps − 1)/255⌋, never for b = 0", () => {
    const enc = encodeIntensities({ kind: "latency", steps: 10 }, [255, 1, 128, 0]);
    expect(enc.spikes.map((l) => [...l])).toEqual([[0], [], [], [], [2], [], [], [], [1], []]);
    expect(steps(encodeIntensities({ kind: "latency", steps: 1 }, [7]), 0)).toEqual([0]);
  });
});

describe("events and rasters", () => {
  it("buckets events by step, drops duplicates, sorts channels", () => {
    const enc = encodeEvents(3, 4, [{ step: 2, channel: 3 }, { step: 0, channel: 1 }, { step: 2, channel: 0 }, { step: 2, channel: 3 }]);
    expect(enc.spikes.map((l) => [...l])).toEqual([[1], [], [0, 3]]);
    expect([...spikeRaster(enc)]).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
  });

  it("rejects out-of-range intensities and events with the field named", () => {
    expect(() => encodeIntensities({ kind: "rate", steps: 2, maxRate: 1 }, [0, 256])).toThrow(/sample\[1\] = 256 is out of range \(allowed: integer 0\.\.255\)/);
    expect(() => encodeIntensities({ kind: "latency", steps: 2 }, [1.5])).toThrow(LociError);
    expect(() => encodeEvents(3, 2, [{ step: 3, channel: 0 }])).toThrow(/events\[0\]\.step = 3 .*integer 0\.\.2/);
    expect(() => encodeEvents(3, 2, [{ step: 0, channel: 2 }])).toThrow(/events\[0\]\.channel = 2/);
    expect(() => encodeIntensities({ kind: "events", steps: 2 }, [0])).toThrow(/use encodeEvents/);
  });
});
