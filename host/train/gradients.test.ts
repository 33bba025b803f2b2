// SPDX-License-Identifier: Apache-2.0
// Gradient checks of the spatial layers by finite differences (distances, weights, gains, delay
// interpolation, products), and the exactness of the integer ops against the core's rules.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { roundHalfAwayFromZero } from "../../compiler/quantize.ts";
import { decay } from "../../sim/fixed.ts";
import { Random } from "../../sim/random.ts";
import { initBackend } from "./backend.ts";
import { delaySlotMask, pairwiseDistance, pairwiseDistanceExact } from "./geometry.ts";
import { roundHalfAway, saturate16, shiftDecay } from "./fixed-point.ts";
import { dataDot, dot } from "./matmul.ts";
import { SpatialPopulation, SpatialProjection } from "./spatial-layer.ts";
import { spike, steepSign } from "./surrogate.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

/** Central finite difference of a scalar function of a flat parameter vector (float64 arithmetic in JS). */
function numericGradient(f: (x: Float32Array) => number, x: Float32Array, eps: number): Float64Array {
  const g = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const up = Float32Array.from(x);
    const down = Float32Array.from(x);
    up[k] += eps;
    down[k] -= eps;
    g[k] = (f(up) - f(down)) / (up[k] - down[k]);
  }
  return g;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]));
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

const rng = new Random(7);
const randoms = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (2 * rng.nextFloat() - 1) * scale);

describe("finite-difference gradient checks", () => {
  it("pairwise distance: ∂d/∂p and ∂d/∂q as matrix products", () => {
    const [n, m, d] = [5, 4, 3];
    const p = randoms(n * d);
    const q = randoms(m * d);
    const c = randoms(n * m);
    const loss = (pv: Float32Array, qv: Float32Array): number => {
      const dist = pairwiseDistanceExact(
        Array.from({ length: n }, (_, i) => Array.from(pv.subarray(i * d, i * d + d))),
        Array.from({ length: m }, (_, j) => Array.from(qv.subarray(j * d, j * d + d))),
      );
      return dist.reduce((s, v, k) => s + v * c[k], 0);
    };
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(pairwiseDistance(a as tf.Tensor2D, b as tf.Tensor2D), tf.tensor2d(c, [n, m]))));
    const [gp, gq] = grads([tf.tensor2d(p, [n, d]), tf.tensor2d(q, [m, d])]);
    expectClose(gp.dataSync(), numericGradient((x) => loss(x, q), p, 1e-3), 2e-3);
    expectClose(gq.dataSync(), numericGradient((x) => loss(p, x), q, 1e-3), 2e-3);
  });

  it("spatial weights s·g / max(d, dmin): gradients for positions and the gain", () => {
    const space = { dimensions: 3, layerAxis: true, layerSpacing: 1, initSpread: 1, signSteepness: 10 };
    const from = new SpatialPopulation("a", "input", 6, 0, space, true, new Random(1));
    const to = new SpatialPopulation("b", "lif", 3, 1, space, false, new Random(2));
    const proj = new SpatialProjection(from, to, 0.05, { kind: "fixed", steps: 1 }, 0.7);
    const c = tf.tensor2d(randoms(18), [6, 3]);
    const lossOf = (): tf.Scalar => tf.sum(tf.mul(proj.weights(), c));
    const { grads } = tf.variableGrads(lossOf, [from.positions, to.positions, proj.logGain]);
    for (const v of [from.positions, to.positions, proj.logGain] as tf.Variable[]) {
      const x0 = Float32Array.from(v.dataSync());
      const f = (x: Float32Array): number => {
        v.assign(tf.tensor(x, v.shape));
        return tf.tidy(() => lossOf().dataSync()[0]);
      };
      const numeric = numericGradient(f, x0, 1e-2);
      v.assign(tf.tensor(x0, v.shape));
      expectClose(grads[v.name].dataSync(), numeric, 3e-3);
    }
    from.dispose();
    to.dispose();
    proj.dispose();
  });

  it("delay slots: the backward pass is the derivative of interpolation between neighbouring slots", () => {
    const x = Float32Array.from([0.3, 1.2, 1.7, 2.45, 3.9, 5.6, 15.4, 16.8]);
    const weights = randoms(16);
    const lossOf = (t: tf.Tensor, soft: boolean): tf.Scalar =>
      tf.addN(Array.from({ length: 16 }, (_, s) => tf.mul(tf.sum(delaySlotMask(t, s + 1, 16, soft)), weights[s]))) as tf.Scalar;
    const analytic = tf.grad((t: tf.Tensor) => lossOf(t, false))(tf.tensor1d(x)).dataSync();
    const numeric = numericGradient((v) => tf.tidy(() => lossOf(tf.tensor1d(v), true).dataSync()[0]), x, 1e-2);
    expectClose(analytic, numeric, 1e-3);
    // Forward: exactly the compiler's rounding clamp(⌊x + ½⌋, 1, 16).
    const hard = Array.from({ length: 16 }, (_, s) => delaySlotMask(tf.tensor1d(x), s + 1).dataSync());
    x.forEach((v, k) => {
      const slot = Math.min(16, Math.max(1, Math.floor(v + 0.5)));
      expect(hard.map((h) => h[k])).toEqual(Array.from({ length: 16 }, (_, s) => (s + 1 === slot ? 1 : 0)));
    });
  });

  it("products: dot and dataDot give tf.matMul's gradients through plain products", () => {
    const a = tf.tensor2d(randoms(12), [4, 3]);
    const b = tf.tensor2d(randoms(6), [3, 2]);
    const c = tf.tensor2d(randoms(8), [4, 2]);
    const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), c)))([a, b]);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(dot(x as tf.Tensor2D, y as tf.Tensor2D), c)))([a, b]);
    expectClose(ours[0].dataSync(), ref[0].dataSync(), 1e-6);
    expectClose(ours[1].dataSync(), ref[1].dataSync(), 1e-6);
    const data = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(dataDot(a, tf.transpose(a), y as tf.Tensor2D), c)))(b);
    expectClose(data.dataSync(), ref[1].dataSync(), 1e-6);
  });

  it("learned signs: ±1 forward, the steep sigmoid's derivative backward", () => {
    const x = Float32Array.from([-0.3, -0.01, 0, 0.02, 0.5]);
    expect(Array.from(steepSign(tf.tensor1d(x), 10).dataSync())).toEqual([-1, -1, 1, 1, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(steepSign(t, 10)))(tf.tensor1d(x)).dataSync();
    const numeric = numericGradient((v) => v.reduce((s, u) => s + 2 / (1 + Math.exp(-10 * u)) - 1, 0), x, 1e-3);
    expectClose(g, numeric, 1e-3);
  });

  it("spikes: step forward, fast-sigmoid derivative backward", () => {
    const x = Float32Array.from([-1, -0.1, 0, 0.2]);
    expect(Array.from(spike(tf.tensor1d(x), 5).dataSync())).toEqual([0, 0, 1, 1]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(spike(t, 5)))(tf.tensor1d(x)).dataSync();
    expectClose(g, Array.from(x, (v) => 1 / (1 + 5 * Math.abs(v)) ** 2), 1e-6);
  });
});

describe("integer ops are the core's", () => {
  const ints = Float32Array.from([-40000, -32769, -513, -17, -9, -8, -7, -1, 0, 1, 7, 8, 9, 17, 513, 32768, 40000]);

  it("shift decay equals sim/fixed.ts decay for every shift, both signs", () => {
    for (let k = 0; k <= 15; k++) {
      expect(Array.from(shiftDecay(tf.tensor1d(ints), k).dataSync())).toEqual(Array.from(ints, (v) => decay(v, k)));
    }
  });

  it("16-bit saturation and rounding halves away from zero", () => {
    expect(Array.from(saturate16(tf.tensor1d(ints)).dataSync())).toEqual(Array.from(ints, (v) => Math.max(-32768, Math.min(32767, v))));
    const halves = Float32Array.from([-2.5, -1.5, -0.5, 0.49, 0.5, 1.5, 2.5, 126.5]);
    expect(Array.from(roundHalfAway(tf.tensor1d(halves)).dataSync())).toEqual(Array.from(halves, roundHalfAwayFromZero));
  });
});
