// SPDX-License-Identifier: Apache-2.0
// Distances between neurons and the delay slots they give, as differentiable tensor ops.
// Distances: ‖p_i − q_j‖ with gradients written as matrix products (fast on every backend).
// Delays: rounded in the forward pass exactly as the compiler rounds them; backward, the
// derivative of linear interpolation between the two neighbouring slots (see `delaySlotMask`).

import * as tf from "@tensorflow/tfjs";
import { RANGES } from "../../sim/spec.ts";
import { detach } from "./detach.ts";
import { dot } from "./matmul.ts";

/** Smallest distance used when dividing in the gradient (never reached by clipped weights). */
const DISTANCE_EPSILON = 1e-6;

const distanceOp = tf.customGrad((p, q, save) => {
  const a = p as tf.Tensor2D;
  const b = q as tf.Tensor2D;
  // ‖a_i − b_j‖² = |a_i|² + |b_j|² − 2 a_i·b_j, clamped at 0 against rounding.
  const sq = tf.relu(tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(dot(a, tf.transpose(b)), 2)), tf.transpose(tf.sum(tf.square(b), 1, true))));
  const dist = tf.sqrt(sq) as tf.Tensor2D;
  (save as tf.GradSaveFunc)([a, b, dist]);
  return {
    value: dist,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb, sd] = saved as tf.Tensor2D[];
      // ∂d_ij/∂a_i = (a_i − b_j)/d_ij. With A = dy / d:
      //   ∂L/∂a = a ∘ rowsum(A) − A·b,   ∂L/∂b = b ∘ colsum(A) − Aᵀ·a.
      const weight = tf.div(dy, tf.maximum(sd, DISTANCE_EPSILON)) as tf.Tensor2D;
      const da = tf.sub(tf.mul(sa, tf.sum(weight, 1, true)), dot(weight, sb));
      const db = tf.sub(tf.mul(sb, tf.transpose(tf.sum(weight, 0, true))), dot(tf.transpose(weight), sa));
      return [da, db];
    },
  };
});

/** Pairwise Euclidean distances `[n, m]` between the rows of `p` `[n, d]` and `q` `[m, d]`. */
export function pairwiseDistance(p: tf.Tensor2D, q: tf.Tensor2D): tf.Tensor2D {
  return distanceOp(p, q) as tf.Tensor2D;
}

/** Pairwise distances in float64 for the compiler-exact path (rows of `p`, `q` as number arrays). */
export function pairwiseDistanceExact(p: readonly (readonly number[])[], q: readonly (readonly number[])[]): Float64Array {
  const out = new Float64Array(p.length * q.length);
  for (let i = 0; i < p.length; i++) {
    for (let j = 0; j < q.length; j++) {
      let s = 0;
      for (let c = 0; c < p[i].length; c++) {
        const diff = p[i][c] - q[j][c];
        s += diff * diff;
      }
      out[i * q.length + j] = Math.sqrt(s);
    }
  }
  return out;
}

/** The delay rule of the model file: clamp(⌊x + ½⌋, 1, 16) for x = distance / velocity (steps). */
export function roundedDelay(x: tf.Tensor, maxDelay: number = RANGES.delay.max): tf.Tensor {
  return tf.clipByValue(tf.floor(tf.add(x, 0.5)), RANGES.delay.min, maxDelay);
}

const slotOps = new Map<string, (x: tf.Tensor) => tf.Tensor>();

/**
 * 1 where a synapse's delay (x = distance / velocity, in steps, continuous) rounds to `slot`, else
 * 0 — exactly the compiler's delay. Backward: the derivative of the hat max(0, 1 − |x − slot|)
 * (linear interpolation between neighbouring slots; flat below slot 1 and above the last slot,
 * where rounding clamps). Summed over slots the hats are 1, so a weight split across slots by
 * interpolation would keep its total: the gradient tells whether arriving one step earlier or
 * later would help, which the true derivative of rounding (zero) cannot.
 *
 * With `soft`, the forward pass is the hat itself (used to check the gradient numerically). With
 * `rounded` (the exact rounded delays), the forward pass is `rounded === slot`.
 */
export function delaySlotMask(x: tf.Tensor, slot: number, maxDelay: number = RANGES.delay.max, soft = false, rounded?: tf.Tensor): tf.Tensor {
  if (rounded !== undefined) {
    // Exact rounded delays forward, this op's gradient backward.
    const hard = tf.cast(tf.equal(rounded, slot), "float32");
    const approx = delaySlotMask(x, slot, maxDelay, soft);
    return tf.add(approx, detach(tf.sub(hard, approx)));
  }
  const key = `${slot},${maxDelay},${soft}`;
  let op = slotOps.get(key);
  if (op === undefined) {
    const first = slot === RANGES.delay.min;
    const last = slot === maxDelay;
    op = tf.customGrad((v, save) => {
      const t = v as tf.Tensor;
      (save as tf.GradSaveFunc)([t]);
      const u = tf.sub(t, slot);
      let hat = tf.relu(tf.sub(1, tf.abs(u)));
      if (first) hat = tf.where(tf.less(u, 0), tf.onesLike(hat), hat);
      if (last) hat = tf.where(tf.greater(u, 0), tf.onesLike(hat), hat);
      const value = soft ? hat : tf.cast(tf.equal(roundedDelay(t, maxDelay), slot), "float32");
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const w = tf.sub(saved[0], slot);
          // d hat / dx = −sign(x − slot) inside |x − slot| < 1, 0 outside and on the flat ends.
          let slope = tf.mul(tf.neg(tf.sign(w)), tf.cast(tf.less(tf.abs(w), 1), "float32"));
          if (first) slope = tf.where(tf.less(w, 0), tf.zerosLike(slope), slope);
          if (last) slope = tf.where(tf.greater(w, 0), tf.zerosLike(slope), slope);
          return tf.mul(dy, slope);
        },
      };
    });
    slotOps.set(key, op);
  }
  return op(x);
}
