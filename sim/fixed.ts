// SPDX-License-Identifier: Apache-2.0
// Integer primitives of the core: saturation, shift decay, STDP rounding. Every rule in
// docs/core-spec.md is written with these, and the RTL implements exactly the same arithmetic.

import { TAU_NO_DECAY } from "./spec.ts";

/** Clamp `x` to the signed range of a `bits`-wide register. */
export function saturateSigned(x: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  const min = -(2 ** (bits - 1));
  return x > max ? max : x < min ? min : x;
}

/** Clamp `x` to `[min, max]`. */
export function clamp(x: number, min: number, max: number): number {
  return x > max ? max : x < min ? min : x;
}

/**
 * The amount a value decays by in one step with time constant 2^shift steps:
 * `ceil(|x| / 2^shift)` with the sign of x, so every non-zero value moves at least one LSB
 * toward zero and reaches it. In hardware: `(x + (x >= 0 ? 2^shift - 1 : 0)) >>> shift`
 * (arithmetic shift). `shift = TAU_NO_DECAY` (15) means no decay.
 */
export function decayAmount(x: number, shift: number): number {
  if (shift === TAU_NO_DECAY) return 0;
  // Math.floor on a division by a power of two is the arithmetic right shift, without the
  // 32-bit limit of `>>` (ring sums shifted left can exceed 32 bits in intermediate values).
  return Math.floor((x >= 0 ? x + (2 ** shift - 1) : x) / 2 ** shift);
}

/** One step of shift decay: `x - decayAmount(x, shift)`. */
export function decay(x: number, shift: number): number {
  return x - decayAmount(x, shift);
}

/**
 * STDP weight change from an amplitude and a trace: `(amplitude * trace + round) >> shift`,
 * rounding half up (`round = 2^(shift-1)`, 0 when shift = 0). Always >= 0.
 */
export function learningDelta(amplitude: number, trace: number, shift: number): number {
  const product = amplitude * trace;
  return shift === 0 ? product : (product + (1 << (shift - 1))) >>> shift;
}

/** Interpret the low `bits` of `x` as a two's-complement signed value. */
export function signExtend(x: number, bits: number): number {
  const m = 2 ** bits;
  const v = ((x % m) + m) % m;
  return v >= m / 2 ? v - m : v;
}
