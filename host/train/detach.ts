// SPDX-License-Identifier: Apache-2.0
// Stop-gradient for TensorFlow.js (which has no tf.stopGradient): identity forward, zero backward.

import * as tf from "@tensorflow/tfjs";

const detachOp = tf.customGrad((x) => ({ value: tf.clone(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));

/** The same values, with no gradient flowing back through them. */
export function detach<T extends tf.Tensor>(x: T): T {
  return detachOp(x) as T;
}
