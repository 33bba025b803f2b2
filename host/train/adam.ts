// SPDX-License-Identifier: Apache-2.0
// Adam (Kingma & Ba) with a learning rate that may change every step and a state that can be
// saved and restored (checkpoints resume exactly). tf.train.adam offers neither.

import * as tf from "@tensorflow/tfjs";

/** Adam's state for checkpoints: step count and the moment estimates, in variable order. */
export interface AdamState {
  readonly step: number;
  readonly moments: readonly { readonly m: readonly number[]; readonly v: readonly number[] }[];
}

/** Adam over a fixed list of variables. */
export class Adam {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    /** β1, β2, ε (defaults 0.9, 0.999, 1e-8). */
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** Steps taken. */
  get steps(): number {
    return this.step;
  }

  /**
   * Compute the loss and its gradients, then update every variable with learning rate `lr`.
   * `lossFn` runs inside a tidy scope; returns the loss value.
   */
  minimize(lossFn: () => tf.Scalar, lr: number): number {
    const { value, grads } = tf.variableGrads(lossFn, this.variables as tf.Variable[]);
    this.step++;
    const t = this.step;
    tf.tidy(() => {
      const c1 = 1 - this.beta1 ** t;
      const c2 = 1 - this.beta2 ** t;
      this.variables.forEach((x, k) => {
        const g = grads[x.name];
        if (g === undefined) return;
        const m = tf.add(tf.mul(this.m[k], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[k], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[k].assign(m);
        this.v[k].assign(v);
        x.assign(tf.sub(x, tf.mul(tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon)), lr)));
      });
    });
    const loss = value.dataSync()[0];
    value.dispose();
    tf.dispose(grads);
    return loss;
  }

  /** The state as plain numbers. */
  getState(): AdamState {
    const moments = this.variables.map((_, k) => ({ m: Array.from(this.m[k].dataSync()), v: Array.from(this.v[k].dataSync()) }));
    return { step: this.step, moments };
  }

  /** Restore a state saved by `getState` (same variables in the same order; a size mismatch starts that one at zero). */
  setState(state: AdamState): void {
    this.step = state.step;
    this.variables.forEach((x, k) => {
      const s = state.moments[k];
      if (s === undefined || s.m.length !== x.size || s.v.length !== x.size) return;
      tf.tidy(() => {
        this.m[k].assign(tf.tensor(s.m, x.shape));
        this.v[k].assign(tf.tensor(s.v, x.shape));
      });
    });
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
