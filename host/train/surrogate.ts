// SPDX-License-Identifier: Apache-2.0
// Spikes with surrogate gradients: a Heaviside step forward and the derivative of a fast sigmoid
// backward (SuperSpike, Zenke & Ganguli 2018): dS/dx = 1 / (1 + β|x|)², x = (v − θ) / θ.

import * as tf from "@tensorflow/tfjs";

/** Default steepness β of the surrogate (per threshold unit). */
export const DEFAULT_SURROGATE_SLOPE = 5;

const spikeOps = new Map<number, (x: tf.Tensor) => tf.Tensor>();

/**
 * Spike where `x ≥ 0` (x = membrane minus threshold, divided by the threshold). Backward:
 * `dy / (1 + slope·|x|)²`.
 */
export function spike<T extends tf.Tensor>(x: T, slope: number = DEFAULT_SURROGATE_SLOPE): T {
  let op = spikeOps.get(slope);
  if (op === undefined) {
    op = tf.customGrad((v, save) => {
      const t = v as tf.Tensor;
      (save as tf.GradSaveFunc)([t]);
      return {
        value: tf.cast(tf.greaterEqual(t, 0), "float32"),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.square(tf.add(1, tf.mul(slope, tf.abs(saved[0]))))),
      };
    });
    spikeOps.set(slope, op);
  }
  return op(x) as T;
}

const signOps = new Map<number, (x: tf.Tensor) => tf.Tensor>();

/**
 * A learned sign: forward exactly ±1 (`x ≥ 0` → +1), as the model file and the core need;
 * backward the derivative of the steep sigmoid `2σ(k·x) − 1`, i.e. `2k·σ(kx)(1 − σ(kx))`.
 */
export function steepSign<T extends tf.Tensor>(x: T, steepness: number): T {
  let op = signOps.get(steepness);
  if (op === undefined) {
    op = tf.customGrad((v, save) => {
      const t = v as tf.Tensor;
      (save as tf.GradSaveFunc)([t]);
      return {
        value: tf.sub(tf.mul(tf.cast(tf.greaterEqual(t, 0), "float32"), 2), 1),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const s = tf.sigmoid(tf.mul(saved[0], steepness));
          return tf.mul(dy, tf.mul(tf.mul(s, tf.sub(1, s)), 2 * steepness));
        },
      };
    });
    signOps.set(steepness, op);
  }
  return op(x) as T;
}
