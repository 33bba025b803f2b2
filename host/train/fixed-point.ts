// SPDX-License-Identifier: Apache-2.0
// The core's integer arithmetic as differentiable tensor ops for quantization-aware training.
// Forward passes are exact (values are integers held in float32, far below 2^24); backward
// passes are straight-through estimators, stated per op.

import * as tf from "@tensorflow/tfjs";
import { TAU_NO_DECAY } from "../../sim/spec.ts";

const roundAway = tf.customGrad((x) => {
  const t = x as tf.Tensor;
  // The compiler's roundHalfAwayFromZero: sign(x) · ⌊|x| + ½⌋. Backward: identity (STE).
  return { value: tf.mul(tf.sign(t), tf.floor(tf.add(tf.abs(t), 0.5))), gradFunc: (dy: tf.Tensor) => dy };
});

/** Round halves away from zero (as compiler/quantize.ts does); gradient passes straight through. */
export function roundHalfAway<T extends tf.Tensor>(x: T): T {
  return roundAway(x) as T;
}

const saturators = new Map<string, (x: tf.Tensor) => tf.Tensor>();

/** Clamp to [min, max] like a saturating register; gradient passes straight through. */
export function saturate<T extends tf.Tensor>(x: T, min: number, max: number): T {
  const key = `${min},${max}`;
  let op = saturators.get(key);
  if (op === undefined) {
    op = tf.customGrad((v) => ({ value: tf.clipByValue(v as tf.Tensor, min, max), gradFunc: (dy: tf.Tensor) => dy }));
    saturators.set(key, op);
  }
  return op(x) as T;
}

/** Signed 16-bit saturation of the core's membrane and current. */
export function saturate16<T extends tf.Tensor>(x: T): T {
  return saturate(x, -32768, 32767);
}

const decays = new Map<number, (x: tf.Tensor) => tf.Tensor>();

/**
 * One step of the core's shift decay on integer-valued tensors: `x − sign(x)·⌈|x| / 2^k⌉`
 * (docs/core-spec.md §3.1); k = 15 is no decay. Backward: the factor of the float decay,
 * `1 − 2^−k` (the exact op is piecewise constant in its rounding).
 */
export function shiftDecay<T extends tf.Tensor>(x: T, shift: number): T {
  if (shift === TAU_NO_DECAY) return x;
  let op = decays.get(shift);
  if (op === undefined) {
    const div = 2 ** shift;
    const factor = 1 - 1 / div;
    op = tf.customGrad((v) => {
      const t = v as tf.Tensor;
      return {
        value: tf.sub(t, tf.mul(tf.sign(t), tf.ceil(tf.div(tf.abs(t), div)))),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, factor),
      };
    });
    decays.set(shift, op);
  }
  return op(x) as T;
}

/** The float model's decay: `x · (1 − 2^−k)`, k = 15 no decay (docs/formats/model-file.md §6). */
export function floatDecay<T extends tf.Tensor>(x: T, shift: number): T {
  return shift === TAU_NO_DECAY ? x : (tf.mul(x, 1 - 2 ** -shift) as T);
}
