// SPDX-License-Identifier: Apache-2.0
// A population of LIF neurons run over a sequence of input currents, as the core runs them
// (docs/core-spec.md §5, phase A) — either exactly on integers (quantization-aware) or as the
// model file's float dynamics (docs/formats/model-file.md §6).

import * as tf from "@tensorflow/tfjs";
import type { ResetMode } from "../../sim/spec.ts";
import { floatDecay, saturate16, shiftDecay } from "./fixed-point.ts";
import { spike } from "./surrogate.ts";
import { detach } from "./detach.ts";

/** Neuron parameters of a population as the core's integers (the threshold is a tensor). */
export interface LifDynamics {
  readonly tauMemShift: number;
  readonly tauSynShift: number;
  readonly refractoryPeriod: number;
  readonly resetMode: ResetMode;
}

/** What a LIF run returns. */
export interface LifRun {
  /** Spikes `[T, B, N]` (0/1). */
  readonly spikes: tf.Tensor3D;
  /** Membrane after the last step `[B, N]`. */
  readonly membrane: tf.Tensor2D;
}

/**
 * Run LIF neurons over `inputs` (`T` tensors `[B, N]`: the summed synaptic input arriving at each
 * step, already multiplied by 2^weightShift in integer mode). `threshold` is `[N]` (or `[1]`).
 * With `integer`, every value is an integer held in float32 and the arithmetic is the core's:
 * ceil-rounded shift decays and 16-bit saturation. `surrogate` selects whether spikes carry a
 * surrogate gradient (hidden layers) or none (a readout population that should not spike).
 */
export function runLif(inputs: readonly tf.Tensor2D[], threshold: tf.Tensor, params: LifDynamics, integer: boolean, surrogate: boolean, slope: number): LifRun {
  const [batch, size] = inputs[0].shape;
  const decay = integer ? shiftDecay : floatDecay;
  const sat = integer ? saturate16 : <T extends tf.Tensor>(x: T): T => x;
  let current: tf.Tensor2D = tf.zeros([batch, size]);
  let v: tf.Tensor2D = tf.zeros([batch, size]);
  let refractory: tf.Tensor2D | undefined = params.refractoryPeriod > 0 ? tf.zeros([batch, size]) : undefined;
  const spikes: tf.Tensor2D[] = [];
  const th = tf.reshape(threshold, [1, -1]);
  for (const input of inputs) {
    // tauSynShift 0 clears the current every step: it is just this step's input.
    current = params.tauSynShift === 0 ? sat(input) : sat(tf.add(decay(current, params.tauSynShift), input));
    let candidate = sat(tf.add(decay(v, params.tauMemShift), current)) as tf.Tensor2D;
    let held: tf.Tensor2D | undefined;
    if (refractory !== undefined) {
      held = tf.cast(tf.greater(refractory, 0), "float32") as tf.Tensor2D;
      // Held neurons keep their membrane and cannot spike.
      candidate = tf.add(tf.mul(held, v), tf.mul(tf.sub(1, held), candidate)) as tf.Tensor2D;
    }
    const drive = tf.div(tf.sub(candidate, th), th);
    let s = (surrogate ? spike(drive, slope) : detach(tf.cast(tf.greaterEqual(drive, 0), "float32"))) as tf.Tensor2D;
    if (held !== undefined) s = tf.mul(s, tf.sub(1, held)) as tf.Tensor2D;
    // The reset does not carry gradient through the spike (the usual "detached reset").
    const sd = detach(s);
    v = (params.resetMode === "zero" ? tf.mul(candidate, tf.sub(1, sd)) : tf.sub(candidate, tf.mul(sd, th))) as tf.Tensor2D;
    if (refractory !== undefined && held !== undefined) {
      const counting = tf.mul(held, tf.sub(refractory, 1));
      refractory = tf.add(counting, tf.mul(sd, params.refractoryPeriod)) as tf.Tensor2D;
    }
    spikes.push(s);
  }
  return { spikes: tf.stack(spikes) as tf.Tensor3D, membrane: v };
}
