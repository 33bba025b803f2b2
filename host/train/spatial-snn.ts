// SPDX-License-Identifier: Apache-2.0
// The spatial spiking network the core runs: input channels → LIF hidden layers → LIF output
// layer, every projection a spatial one (weights and delays from positions). The forward pass is
// either the core's integer arithmetic exactly (quantization-aware: compiler/quantize.ts scales
// and rounding, shift decays, 16-bit saturation) or the model file's float dynamics.
//
// Readout ("final-membrane"): the output neurons integrate without leak (tauMemShift 15) and their
// threshold is set above what they reach (`outputThresholdRatio` × the largest output weight), so
// the class is the output neuron with the highest membrane after the last step.

import * as tf from "@tensorflow/tfjs";
import { delaySteps, quantizeThreshold, quantizeWeight, weightScaleFor } from "../../compiler/quantize.ts";
import { Random } from "../../sim/random.ts";
import { RANGES, TAU_NO_DECAY } from "../../sim/spec.ts";
import type { InputEncoding } from "../../sim/core-image.ts";
import { runLif, type LifDynamics } from "./lif.ts";
import { dataDot, dot } from "./matmul.ts";
import { roundHalfAway } from "./fixed-point.ts";
import { detach } from "./detach.ts";
import { SpatialPopulation, SpatialProjection, type DelayRule, type SpaceOptions } from "./spatial-layer.ts";
import { DEFAULT_SURROGATE_SLOPE } from "./surrogate.ts";

/** Architecture and dynamics of a spatial SNN. */
export interface SpatialSnnConfig {
  /** Input channels (axons). */
  readonly inputs: number;
  /** Sizes of the hidden LIF layers, in order (default [128]). */
  readonly hidden: readonly number[];
  /** Output neurons = classes. */
  readonly outputs: number;
  readonly space: SpaceOptions;
  /** Distances are clipped below at this (distance units, default 0.05). */
  readonly minDistance: number;
  /** Delays: "fixed" (every synapse 1 step) or "distance" (d / velocity, rounded). */
  readonly delays: "fixed" | "distance";
  /** Conduction velocity for distance delays (distance units per step, default 0.25). */
  readonly velocity: number;
  readonly encoding: InputEncoding;
  /** Hidden neurons' dynamics (threshold is learned per neuron). */
  readonly hiddenNeuron: LifDynamics;
  /** Output threshold = this × the largest |output weight| (default 256: never reached in practice). */
  readonly outputThresholdRatio: number;
  /** Surrogate gradient steepness (default 5). */
  readonly surrogateSlope: number;
  /** Initial hidden threshold (float weight units, default 1). */
  readonly initialThreshold: number;
  /**
   * Start every LIF neuron next to a random member of the layer before it (plus a little noise),
   * so each begins with one strong synapse of its own instead of near-identical weights from all
   * (in many dimensions, random positions are all about equally far apart). Default false.
   */
  readonly anchoredInit?: boolean;
}

/** Defaults for everything but inputs, outputs and the encoding. */
export const SNN_DEFAULTS = {
  hidden: [128],
  space: { dimensions: 3, layerAxis: true, layerSpacing: 1, initSpread: 1, signSteepness: 10 },
  minDistance: 0.05,
  delays: "fixed",
  velocity: 0.25,
  hiddenNeuron: { tauMemShift: 3, tauSynShift: 0, refractoryPeriod: 0, resetMode: "subtract" },
  outputThresholdRatio: 256,
  surrogateSlope: DEFAULT_SURROGATE_SLOPE,
  initialThreshold: 1,
} as const satisfies Partial<SpatialSnnConfig>;

/** The output population's dynamics: a non-leaking integrator of this step's input. */
export const OUTPUT_NEURON: LifDynamics = Object.freeze({ tauMemShift: TAU_NO_DECAY, tauSynShift: 0, refractoryPeriod: 0, resetMode: "zero" });

/** Forward pass options. */
export interface ForwardOptions {
  /** Run the core's integer arithmetic (default true). */
  readonly quantize?: boolean;
  /** Keep every layer's spikes in the result (default false). */
  readonly record?: boolean;
}

/** What a forward pass returns. */
export interface ForwardResult {
  /** Class scores `[B, classes]`: output membrane / output threshold × temperature. */
  readonly logits: tf.Tensor2D;
  /** Output membrane after the last step `[B, classes]` (integer LSBs when quantized). */
  readonly membrane: tf.Tensor2D;
  /** Output membrane over the output threshold `[B, classes]` (−1..1 unless it spiked). */
  readonly normalized: tf.Tensor2D;
  /** Spikes of each LIF layer `[T, B, N]` (when recorded). */
  readonly spikes?: readonly tf.Tensor3D[];
}

/** Integer scale of one LIF layer (the compiler's, for the current parameters). */
export interface LayerScale {
  readonly weightScale: number;
  readonly weightShift: number;
  /** Largest |w| into the layer (float weight units). */
  readonly maxAbsWeight: number;
  /** Largest threshold of the layer (float weight units). */
  readonly maxThreshold: number;
}

/** A layer's float weights and the core's integers for them, computed in float64. */
export interface ExactLayer extends LayerScale {
  /** Float weights `[from · to]` row-major (0 where pruned). */
  readonly floatWeights: Float64Array;
  /** Core weights times 2^weightShift `[from · to]` (0 where pruned). */
  readonly weights: Float32Array;
  /** Core thresholds `[to]` (LSBs; one entry for the output layer). */
  readonly thresholds: Float32Array;
  /** Delays in steps `[from · to]` (distance delays only). */
  readonly delays?: Float32Array;
}

/**
 * `exact` forward, gradient of `approx` backward: round(approx + (exact − approx)) with the
 * difference detached. The rounding removes the float32 error of the sum (exact holds integers).
 */
function exactly(approx: tf.Tensor, exact: tf.Tensor): tf.Tensor {
  return roundHalfAway(tf.add(approx, detach(tf.sub(exact, approx))));
}

/** A spatial SNN with trainable positions, signs, gains and hidden thresholds. */
export class SpatialSnn {
  readonly populations: SpatialPopulation[];
  readonly projections: SpatialProjection[];
  /** log of each hidden layer's per-neuron thresholds (float weight units). */
  readonly logThresholds: tf.Variable<tf.Rank.R1>[];
  /** log of the readout temperature (training only; not part of the model file). */
  readonly logTemperature: tf.Variable<tf.Rank.R0>;

  private static instances = 0;

  constructor(
    readonly config: SpatialSnnConfig,
    seed: number,
    init?: SpatialSnnInit,
  ) {
    const rng = new Random(seed);
    const scope = `snn${SpatialSnn.instances++}/`;
    const sizes = [config.inputs, ...config.hidden, config.outputs];
    const names = ["input", ...config.hidden.map((_, k) => (config.hidden.length === 1 ? "hidden" : `hidden${k + 1}`)), "output"];
    this.populations = sizes.map(
      (size, layer) =>
        new SpatialPopulation(names[layer], layer === 0 ? "input" : "lif", size, layer, config.space, layer < sizes.length - 1, rng, init?.populations?.[layer], scope),
    );
    if (init?.populations === undefined && config.anchoredInit === true) anchorPopulations(this.populations, rng, 0.1 * config.space.initSpread);
    const rule: DelayRule =
      config.delays === "fixed" ? { kind: "fixed", steps: 1 } : { kind: "distance", velocity: config.velocity, maxDelay: RANGES.delay.max };
    this.projections = sizes.slice(1).map((size, k) => {
      const from = this.populations[k];
      const to = this.populations[k + 1];
      let gain = init?.gains?.[k];
      if (gain === undefined) {
        // Typical |w| ≈ 2 / √fan-in at the start: g = 2 · median distance / √fan-in.
        const median = tf.tidy(() => medianOf(tf.maximum(pairwiseDistanceOf(from, to), config.minDistance)));
        gain = (2 * median) / Math.sqrt(from.size);
      }
      return new SpatialProjection(from, to, config.minDistance, rule, gain, scope);
    });
    this.logThresholds = config.hidden.map((size, k) => {
      const t = init?.thresholds?.[k];
      const values = t === undefined ? new Float32Array(size).fill(Math.log(config.initialThreshold)) : Float32Array.from(t, Math.log);
      return tf.tidy(() => tf.variable(tf.tensor1d(values), true, `${scope}hidden${k}.logThreshold`));
    });
    // Start with small logits (≈ the output membrane in units of 40 largest output weights): large
    // ones make the first steps flip many signs at once and silence the hidden layer.
    this.logTemperature = tf.tidy(() => tf.variable(tf.scalar(Math.log(init?.temperature ?? config.outputThresholdRatio / 40)), true, `${scope}logTemperature`));
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return [...this.populations.flatMap((p) => p.variables()), ...this.projections.flatMap((p) => p.variables()), ...this.logThresholds, this.logTemperature];
  }

  /** Number of trainable parameters (positions, signs, gains, thresholds; not the temperature). */
  parameterCount(): number {
    return this.variables()
      .filter((v) => v !== this.logTemperature)
      .reduce((sum, v) => sum + v.size, 0);
  }

  /** Steps per sample (from the encoding). */
  get steps(): number {
    return this.config.encoding.steps;
  }

  /** Hidden thresholds of layer k as numbers (float weight units). */
  thresholds(k: number): number[] {
    return Array.from(this.logThresholds[k].dataSync(), Math.exp);
  }

  /**
   * The core's integers for every LIF layer, computed in float64 from the current parameters
   * exactly as `loci compile` computes them from the model file (compiler/quantize.ts): scale and
   * weightShift per layer, integer weights (times 2^weightShift, 0 where pruned), integer
   * thresholds and delays. The output threshold is `outputThresholdRatio · max |w|`.
   */
  exactLayers(): ExactLayer[] {
    const d = this.config.space.dimensions;
    // Flat float64 copies of the float32 positions (exact), and signs as ±1.
    const positions = this.populations.map((p) => Float64Array.from(tf.tidy(() => p.fullPositions().dataSync())));
    const signs = this.populations.map((p) => p.signsArray());
    return this.projections.map((proj, k) => {
      const from = positions[k];
      const to = positions[k + 1];
      const nFrom = proj.from.size;
      const nTo = proj.to.size;
      const sign = signs[k];
      const gain = proj.gain();
      const mask = proj.maskArray();
      const n = nFrom * nTo;
      const weights = new Float64Array(n);
      const dist = new Float64Array(n);
      let maxAbsWeight = 0;
      for (let i = 0; i < nFrom; i++) {
        const sg = sign[i] * gain;
        for (let j = 0; j < nTo; j++) {
          const at = i * nTo + j;
          // Same operation order as compiler/candidates.ts: sqrt(Σ_c (p_ic − p_jc)²), then
          // (s · g) / max(d, minDistance).
          let sum = 0;
          for (let c = 0; c < d; c++) {
            const diff = from[i * d + c] - to[j * d + c];
            sum += diff * diff;
          }
          const dij = Math.max(Math.sqrt(sum), proj.minDistance);
          dist[at] = dij;
          if (mask !== undefined && mask[at] === 0) continue;
          const w = sg / dij;
          weights[at] = w;
          if (Math.abs(w) > maxAbsWeight) maxAbsWeight = Math.abs(w);
        }
      }
      const isOutput = k === this.projections.length - 1;
      const theta = isOutput ? [this.config.outputThresholdRatio * maxAbsWeight] : this.thresholds(k);
      const maxThreshold = Math.max(...theta);
      const { weightScale, weightShift } = weightScaleFor(maxAbsWeight, maxThreshold);
      const factor = 2 ** weightShift;
      const q = new Float32Array(n);
      for (let at = 0; at < n; at++) if (weights[at] !== 0) q[at] = quantizeWeight(weights[at], weightScale) * factor;
      const thresholds = Float32Array.from(theta, (t) => quantizeThreshold(t, weightScale, weightShift));
      let delays: Float32Array | undefined;
      if (proj.delay.kind === "distance") {
        const { velocity } = proj.delay;
        delays = new Float32Array(n);
        for (let at = 0; at < n; at++) delays[at] = delaySteps(dist[at], velocity);
      }
      return { weightScale, weightShift, maxAbsWeight, maxThreshold, floatWeights: weights, weights: q, thresholds, ...(delays === undefined ? {} : { delays }) };
    });
  }

  /** The output population's threshold now (float weight units). */
  outputThreshold(layers: readonly LayerScale[] = this.exactLayers()): number {
    return layers[layers.length - 1].maxThreshold;
  }

  /**
   * Run the network on input spikes `x` `[T, B, inputs]` (0/1). Must be called inside tf.tidy or
   * an optimizer's minimize. `layers` (from `exactLayers`) may be passed to avoid recomputing;
   * `xTransposed` (`[inputs, T·B]`, from `encodeBatch`) makes the backward pass cheaper.
   *
   * Quantized, the forward values are exactly the core's integers (`exactLayers`); gradients reach
   * the float parameters straight through the rounding.
   */
  forward(x: tf.Tensor3D, options: ForwardOptions = {}, layers: readonly ExactLayer[] = this.exactLayers(), xTransposed?: tf.Tensor2D): ForwardResult {
    const quantize = options.quantize ?? true;
    const [steps, batch] = x.shape;
    let previous = x;
    const recorded: tf.Tensor3D[] = [];
    let membrane: tf.Tensor2D | undefined;
    let threshold: tf.Tensor | undefined;
    this.projections.forEach((proj, k) => {
      const isOutput = k === this.projections.length - 1;
      const layer = layers[k];
      const to = proj.to.size;
      const distances = proj.distances();
      let w = proj.weights(distances);
      let th: tf.Tensor = isOutput ? tf.scalar(layer.maxThreshold) : tf.exp(this.logThresholds[k]);
      if (quantize) {
        const factor = layer.weightScale * 2 ** layer.weightShift;
        w = exactly(tf.mul(w, factor), tf.tensor2d(layer.weights, [proj.from.size, to])) as tf.Tensor2D;
        th = exactly(tf.mul(th, factor), tf.tensor1d(layer.thresholds));
      }
      const rounded = layer.delays === undefined ? undefined : tf.tensor2d(layer.delays, [proj.from.size, to]);
      const flat = tf.reshape(previous, [steps * batch, proj.from.size]) as tf.Tensor2D;
      // The first layer's input is data: with its transpose given, skip the input gradient.
      const product = (m: tf.Tensor2D): tf.Tensor2D => (k === 0 && xTransposed !== undefined ? dataDot(flat, xTransposed, m) : dot(flat, m));
      // Input arriving at step t: Σ over slots of (spikes at t − slot) · W_slot.
      let arriving: tf.Tensor3D | undefined;
      for (const { slot, weights } of proj.slotWeights(w, distances, rounded)) {
        if (slot >= steps) continue;
        const y = tf.reshape(product(weights), [steps, batch, to]) as tf.Tensor3D;
        const shifted = tf.concat([tf.zeros([slot, batch, to]), tf.slice(y, [0, 0, 0], [steps - slot, batch, to])], 0) as tf.Tensor3D;
        arriving = arriving === undefined ? shifted : (tf.add(arriving, shifted) as tf.Tensor3D);
      }
      const inputs = tf.unstack(arriving ?? tf.zeros([steps, batch, to])) as tf.Tensor2D[];
      const dynamics = isOutput ? OUTPUT_NEURON : this.config.hiddenNeuron;
      const run = runLif(inputs, th, dynamics, quantize, !isOutput, this.config.surrogateSlope);
      if (options.record === true) recorded.push(run.spikes);
      previous = run.spikes;
      membrane = run.membrane;
      threshold = th;
    });
    const normalized = tf.div(membrane!, threshold!) as tf.Tensor2D;
    const logits = tf.mul(normalized, tf.exp(this.logTemperature)) as tf.Tensor2D;
    return { logits, membrane: membrane!, normalized, ...(options.record === true ? { spikes: recorded } : {}) };
  }

  /**
   * Keep `keep[k]` synapses in projection k: the largest |w|, or the largest |w| · rate of the
   * source when `sourceRates[k]` (`[from, 1]`) is given.
   */
  prune(keep: readonly number[], sourceRates?: readonly (tf.Tensor2D | undefined)[]): void {
    this.projections.forEach((p, k) => p.pruneTo(keep[k], sourceRates?.[k]));
  }

  /** Kept synapses per projection. */
  keptCounts(): number[] {
    return this.projections.map((p) => p.keptCount());
  }

  dispose(): void {
    for (const p of this.populations) p.dispose();
    for (const p of this.projections) p.dispose();
    for (const v of this.logThresholds) v.dispose();
    this.logTemperature.dispose();
  }
}

/** Values to start a model from (a model file or a checkpoint) instead of random ones. */
export interface SpatialSnnInit {
  /** Per population (input, hidden..., output): learned coordinates and signs. */
  readonly populations?: readonly { positions?: readonly (readonly number[])[]; signs?: readonly number[] }[];
  /** Per projection gain. */
  readonly gains?: readonly number[];
  /** Per hidden layer thresholds (float weight units). */
  readonly thresholds?: readonly (readonly number[])[];
  readonly temperature?: number;
}

function pairwiseDistanceOf(from: SpatialPopulation, to: SpatialPopulation): tf.Tensor2D {
  return tf.tidy(() => {
    const a = from.fullPositions();
    const b = to.fullPositions();
    return tf.sqrt(tf.relu(tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(tf.matMul(a, tf.transpose(b)), 2)), tf.transpose(tf.sum(tf.square(b), 1, true))))) as tf.Tensor2D;
  });
}

function medianOf(t: tf.Tensor): number {
  const values = Float32Array.from(t.dataSync()).sort();
  return values[Math.floor(values.length / 2)];
}

/**
 * How many synapses each projection keeps under a total budget: every projection but the first
 * stays dense (the output layer is small), the first takes the rest (at least 1).
 */
export function pruneBudget(sizes: readonly (readonly [number, number])[], synapses: number): number[] {
  const dense = sizes.map(([a, b]) => a * b);
  const rest = synapses - dense.slice(1).reduce((s, n) => s + n, 0);
  return [Math.max(1, Math.min(dense[0], rest)), ...dense.slice(1)];
}

/** Move each LIF population's members next to random members of the population before it. */
function anchorPopulations(populations: readonly SpatialPopulation[], rng: Random, noise: number): void {
  for (let l = 1; l < populations.length; l++) {
    const prev = populations[l - 1].positions.arraySync();
    const own = populations[l].positions;
    const values = Array.from({ length: own.shape[0] }, () => {
      const anchor = prev[rng.nextInt(prev.length)];
      return anchor.map((x) => x + (2 * rng.nextFloat() - 1) * noise);
    });
    tf.tidy(() => own.assign(tf.tensor2d(values, own.shape)));
  }
}
