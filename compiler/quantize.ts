// SPDX-License-Identifier: Apache-2.0
// Fixed-point rules from float model to core integers: weight scale and weight shift per target
// population, weight and threshold rounding, delay slots. Exported so quantization-aware
// training rounds exactly as the compiler does (docs/formats/model-file.md §7).

import { RANGES } from "../sim/spec.ts";

/** Largest weight magnitude the scale maps to: the core's weight is signed 8-bit (−128..127). */
export const WEIGHT_LSB_MAX = RANGES.weight.max;
/** Default headroom: the 16-bit membrane and current hold ±4 thresholds before saturating. */
export const DEFAULT_HEADROOM = 4;

/** Round to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3). Exact for every double. */
export function roundHalfAwayFromZero(x: number): number {
  return (x < 0 ? -Math.round(-x) : Math.round(x)) + 0; // + 0 turns −0 into 0
}

/** Clamp to [min, max]. */
function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

/** Fixed-point scale of one target population. */
export interface PopulationScale {
  /** Integer weight LSBs per float weight unit: q = round(w · weightScale). */
  readonly weightScale: number;
  /** The core's weightShift (0..7): the summed input is multiplied by 2^weightShift. */
  readonly weightShift: number;
  /** True when the threshold, not the weights, limited the scale (weights then use fewer than 8 bits). */
  readonly thresholdLimited: boolean;
}

/**
 * Choose the scale of a population from its largest float weight magnitude `maxAbsWeight` (into
 * it, ≥ 0) and its largest threshold `maxThreshold` (> 0), both in float weight units:
 * `weightScale = min(127 / maxAbsWeight, 32767 / maxThreshold)`, and `weightShift` the largest
 * k in 0..7 with `maxThreshold · weightScale · 2^k ≤ 32767 / headroom` (0 when none is).
 */
export function weightScaleFor(maxAbsWeight: number, maxThreshold: number, headroom: number = DEFAULT_HEADROOM): PopulationScale {
  const byWeight = maxAbsWeight > 0 ? WEIGHT_LSB_MAX / maxAbsWeight : Infinity;
  const byThreshold = RANGES.threshold.max / maxThreshold;
  const weightScale = Math.min(byWeight, byThreshold);
  return { weightScale, weightShift: weightShiftFor(maxThreshold * weightScale, headroom), thresholdLimited: byThreshold < byWeight };
}

/** The largest k in 0..7 with `scaledThreshold · 2^k ≤ 32767 / headroom` (0 when none is). */
export function weightShiftFor(scaledThreshold: number, headroom: number = DEFAULT_HEADROOM): number {
  const limit = RANGES.threshold.max / headroom;
  let shift = 0;
  while (shift < RANGES.weightShift.max && scaledThreshold * 2 ** (shift + 1) <= limit) shift++;
  return shift;
}

/** The core weight of a float weight: clamp(roundHalfAwayFromZero(w · weightScale), −128, 127). */
export function quantizeWeight(weight: number, weightScale: number): number {
  return clamp(roundHalfAwayFromZero(weight * weightScale), RANGES.weight.min, RANGES.weight.max);
}

/** The float weight the core weight stands for: `quantizeWeight(w, s) / s` (fake quantization for training). */
export function fakeQuantizeWeight(weight: number, weightScale: number): number {
  return quantizeWeight(weight, weightScale) / weightScale;
}

/** The core threshold: clamp(roundHalfAwayFromZero(θ · weightScale · 2^weightShift), 1, 32767). */
export function quantizeThreshold(threshold: number, weightScale: number, weightShift: number): number {
  return clamp(roundHalfAwayFromZero(threshold * weightScale * 2 ** weightShift), RANGES.threshold.min, RANGES.threshold.max);
}

/** Delay in steps from a distance: clamp(round(distance / velocity), 1, 16), halves up. */
export function delaySteps(distance: number, velocity: number): number {
  return clamp(Math.round(distance / velocity), RANGES.delay.min, RANGES.delay.max);
}

/** Weight quantization error over a set of synapses (float weight units unless stated). */
export interface WeightError {
  /** Synapses measured. */
  readonly count: number;
  /** Root mean square of (q / weightScale − w). */
  readonly rms: number;
  /** rms divided by the root mean square of w. */
  readonly relativeRms: number;
  /** Largest |q / weightScale − w| relative to the largest |w| of the synapse's population. */
  readonly maxRelative: number;
  /** Largest |q − w · weightScale| in LSBs (0.5 unless a weight was clamped). */
  readonly maxLsb: number;
  /** Weights clamped to −128 or 127. */
  readonly clamped: number;
}

/** Accumulates `WeightError` one synapse at a time. */
export class WeightErrorMeter {
  private count = 0;
  private sumErr2 = 0;
  private sumW2 = 0;
  private maxRel = 0;
  private maxLsb = 0;
  private clamped = 0;

  /** Add a synapse: float weight, its integer weight, its population's scale and largest |w|. */
  add(weight: number, quantized: number, weightScale: number, populationMaxAbs: number): void {
    const exact = weight * weightScale;
    const err = quantized / weightScale - weight;
    this.count++;
    this.sumErr2 += err * err;
    this.sumW2 += weight * weight;
    if (populationMaxAbs > 0) this.maxRel = Math.max(this.maxRel, Math.abs(err) / populationMaxAbs);
    this.maxLsb = Math.max(this.maxLsb, Math.abs(quantized - exact));
    if (roundHalfAwayFromZero(exact) !== quantized) this.clamped++;
  }

  result(): WeightError {
    const rms = this.count === 0 ? 0 : Math.sqrt(this.sumErr2 / this.count);
    const wRms = this.count === 0 ? 0 : Math.sqrt(this.sumW2 / this.count);
    return {
      count: this.count,
      rms,
      relativeRms: wRms === 0 ? 0 : rms / wRms,
      maxRelative: this.maxRel,
      maxLsb: this.maxLsb,
      clamped: this.clamped,
    };
  }
}

/** Delay rounding error over the synapses whose delay comes from distance. */
export interface DelayError {
  /** Synapses with a distance-based delay. */
  readonly count: number;
  /** Mean |delay − distance / velocity| in steps (rounding and clamping). */
  readonly meanAbs: number;
  /** Largest |delay − distance / velocity| in steps. */
  readonly maxAbs: number;
  /** Delays raised to 1 step (distance / velocity < 0.5). */
  readonly clampedLow: number;
  /** Delays cut to 16 steps (distance / velocity ≥ 16.5). */
  readonly clampedHigh: number;
}

/** Accumulates `DelayError`. */
export class DelayErrorMeter {
  private count = 0;
  private sumAbs = 0;
  private maxAbs = 0;
  private low = 0;
  private high = 0;

  /** Add a synapse with exact delay `steps` (= distance / velocity) and its integer delay. */
  add(steps: number, delay: number): void {
    const d = Math.abs(delay - steps);
    this.count++;
    this.sumAbs += d;
    if (d > this.maxAbs) this.maxAbs = d;
    const rounded = Math.round(steps);
    if (rounded < RANGES.delay.min) this.low++;
    else if (rounded > RANGES.delay.max) this.high++;
  }

  result(): DelayError {
    return { count: this.count, meanAbs: this.count === 0 ? 0 : this.sumAbs / this.count, maxAbs: this.maxAbs, clampedLow: this.low, clampedHigh: this.high };
  }
}
