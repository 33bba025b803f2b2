// SPDX-License-Identifier: Apache-2.0
// Tests of the fixed-point rules: rounding, scale and shift choice, delays, error meters.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DelayErrorMeter,
  WeightErrorMeter,
  delaySteps,
  fakeQuantizeWeight,
  quantizeThreshold,
  quantizeWeight,
  roundHalfAwayFromZero,
  weightScaleFor,
  weightShiftFor,
} from "./quantize.ts";

describe("rounding", () => {
  it("rounds halves away from zero and nothing else", () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.4999, -1.5001, 0.49999999999999994, -0].map(roundHalfAwayFromZero)).toEqual([3, -3, 1, -1, 1, -2, 0, 0]);
  });

  it("is odd-symmetric and within half an LSB", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfAwayFromZero(x);
        expect(roundHalfAwayFromZero(-x)).toBe(r === 0 ? 0 : -r);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});

describe("scale choice", () => {
  it("maps the largest weight to 127 and picks the largest shift that keeps 4 thresholds of headroom", () => {
    const s = weightScaleFor(0.8944, 1.5);
    expect(s.weightScale).toBeCloseTo(127 / 0.8944, 12);
    expect(s.weightShift).toBe(5); // 1.5 · 141.99 · 32 = 6815.7 ≤ 8191.75; · 64 would be 13631
    expect(s.thresholdLimited).toBe(false);
    expect(quantizeWeight(0.8944, s.weightScale)).toBe(127);
    expect(quantizeWeight(-0.8944, s.weightScale)).toBe(-127);
    expect(quantizeThreshold(1.5, s.weightScale, s.weightShift)).toBe(6816);
  });

  it("lets the threshold limit the scale when it is more than 258 largest weights", () => {
    const s = weightScaleFor(1, 1000);
    expect(s).toEqual({ weightScale: 32.767, weightShift: 0, thresholdLimited: true });
    expect(quantizeThreshold(1000, s.weightScale, 0)).toBe(32767);
    expect(quantizeWeight(1, s.weightScale)).toBe(33);
    expect(weightScaleFor(0, 2).weightScale).toBe(32767 / 2);
  });

  it("caps the shift at 7 and honours the headroom", () => {
    expect(weightShiftFor(1)).toBe(7);
    expect(weightShiftFor(8191.75)).toBe(0);
    expect(weightShiftFor(4095, 4)).toBe(1);
    expect(weightShiftFor(4095, 8)).toBe(0);
  });

  it("clamps weights and thresholds into the core's ranges", () => {
    expect(quantizeWeight(1.01, 127)).toBe(127);
    expect(quantizeWeight(-1.02, 127)).toBe(-128);
    expect(quantizeWeight(-1.1, 127)).toBe(-128);
    expect(quantizeThreshold(1e-9, 1, 0)).toBe(1);
    expect(fakeQuantizeWeight(0.5, 10)).toBe(0.5);
    expect(fakeQuantizeWeight(0.26, 10)).toBe(0.3);
  });
});

describe("delays", () => {
  it("rounds distance / velocity half up and clamps to 1..16", () => {
    expect([[0.3, 1], [1.49, 1], [2.5, 1], [7, 2], [100, 1], [16.49, 1], [16.5, 1]].map(([d, v]) => delaySteps(d, v))).toEqual([1, 1, 3, 4, 16, 16, 16]);
  });
});

describe("error meters", () => {
  it("measure weight error: RMS, relative, max in LSB and clamps", () => {
    const m = new WeightErrorMeter();
    m.add(1, 10, 10, 1); // exact
    m.add(0.26, 3, 10, 1); // err 0.04
    m.add(2, 10, 10, 2); // clamped: wanted 20
    const r = m.result();
    expect(r.count).toBe(3);
    expect(r.rms).toBeCloseTo(Math.sqrt((0 + 0.04 ** 2 + 1) / 3), 12);
    expect(r.relativeRms).toBeCloseTo(r.rms / Math.sqrt((1 + 0.26 ** 2 + 4) / 3), 12);
    expect(r.maxRelative).toBeCloseTo(0.5, 12);
    expect(r.maxLsb).toBeCloseTo(10, 12);
    expect(r.clamped).toBe(1);
    expect(new WeightErrorMeter().result()).toEqual({ count: 0, rms: 0, relativeRms: 0, maxRelative: 0, maxLsb: 0, clamped: 0 });
  });

  it("measure delay error and clamp counts", () => {
    const m = new DelayErrorMeter();
    m.add(0.2, 1);
    m.add(3.4, 3);
    m.add(20, 16);
    const r = m.result();
    expect(r.count).toBe(3);
    expect(r.meanAbs).toBeCloseTo((0.8 + 0.4 + 4) / 3, 12);
    expect(r.maxAbs).toBeCloseTo(4, 12);
    expect(r.clampedLow).toBe(1);
    expect(r.clampedHigh).toBe(1);
  });
});
