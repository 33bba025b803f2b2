// SPDX-License-Identifier: Apache-2.0
// Matrix products for training. On the wasm backend `matMul` with transposeA/transposeB takes a
// slow path (13–45× slower, docs FACTS), and tf.matMul's own gradient uses those flags; `dot`
// computes its product and its gradients with plain matMul and explicit tf.transpose.

import * as tf from "@tensorflow/tfjs";

const plainProduct = tf.customGrad((a, b, save) => {
  const x = a as tf.Tensor2D;
  const y = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([x, y]);
  return {
    value: tf.matMul(x, y),
    // d(xy)/dx = dy · yᵀ, d(xy)/dy = xᵀ · dy, both as plain products.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
    ],
  };
});

/** `a · b` for 2-D tensors ([n, k] · [k, m] → [n, m]); gradients use plain products too. */
export function dot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return plainProduct(a, b) as tf.Tensor2D;
}

/** `aᵀ · b` without the transposeA flag (for use outside gradients, e.g. statistics). */
export function dotTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return dot(tf.transpose(a), b);
}

const constantLeftProduct = tf.customGrad((a, aT, b, save) => {
  const x = a as tf.Tensor2D;
  const y = b as tf.Tensor2D;
  (save as tf.GradSaveFunc)([aT as tf.Tensor2D]);
  return {
    value: tf.matMul(x, y),
    // Only the right factor is trained: no gradient for the data, none for its transpose.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.zerosLike(x), tf.zerosLike(saved[0]), tf.matMul(saved[0] as tf.Tensor2D, dy as tf.Tensor2D)],
  };
});

/**
 * `a · b` where `a` is data (no gradient) given together with its transpose `aT` (built for free
 * when the batch is encoded): the backward pass is one product, `aT · dy`, with no transpose
 * and no gradient for `a`.
 */
export function dataDot(a: tf.Tensor2D, aT: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return constantLeftProduct(a, aT, b) as tf.Tensor2D;
}
