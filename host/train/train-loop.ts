// SPDX-License-Identifier: Apache-2.0
// The training loop: seeded shuffles, Adam with a cosine learning-rate schedule, progress events,
// per-epoch state for checkpoints and a clean stop on request (Ctrl-C). The model-specific part of
// a step (forward pass, loss, pruning) is a callback; `trainSnn` and `trainMlp` (spatial-mlp.ts)
// supply it.

import * as tf from "@tensorflow/tfjs";
import { Adam, type AdamState } from "./adam.ts";
import type { Dataset } from "./dataset.ts";
import { permutation } from "./dataset.ts";
import { encodeBatch } from "./encoders.ts";
import { pruneBudget, type ExactLayer, type SpatialSnn } from "./spatial-snn.ts";

/** Settings shared by every model's training. */
export interface TrainOptions {
  /** Epochs (passes over the training set). */
  readonly epochs: number;
  /** Samples per batch (default 128). */
  readonly batchSize?: number;
  /** Peak learning rate of Adam (default 0.01); decays to 5 % of it by a cosine schedule. */
  readonly learningRate?: number;
  /** Seed of the shuffles (default 1). */
  readonly seed?: number;
  /** Total synapses to keep (default: no pruning). */
  readonly synapseBudget?: number;
  /**
   * Pruning reaches the budget at this fraction of training (default 0: sparse from the first
   * step, rewired every `pruneEvery` steps as positions move). Starting dense is worse here: with
   * all pairs connected, every hidden neuron receives nearly the same weights (random points in
   * many dimensions are all about equally far apart) and learning stalls while the mask shrinks.
   */
  readonly pruneUntil?: number;
  /** Steps between mask updates (default 25). */
  readonly pruneEvery?: number;
  /** Called after every batch. */
  readonly onBatch?: (event: BatchEvent) => void;
  /** Called after every epoch (a checkpoint may be written here); may be async. */
  readonly onEpoch?: (event: EpochEvent) => void | Promise<void>;
  /** Stop after the current batch when aborted; the result says so. */
  readonly signal?: AbortSignal;
  /** Continue from a saved state (epoch, optimizer). */
  readonly resume?: TrainState;
}

/** Options of the spatial SNN's training. */
export interface SnnTrainOptions extends TrainOptions {
  /** Train on the core's integer arithmetic (default true). */
  readonly quantize?: boolean;
  /** Weight of the penalty on output membranes above `readoutLimit` of the output threshold (default 1). */
  readonly readoutPenalty?: number;
  /** Fraction of the output threshold the output membrane should stay below (default 0.75). */
  readonly readoutLimit?: number;
  /**
   * Keep hidden neurons from falling silent: adds `activityPenalty · mean((relu(floor − r) / floor)²)`
   * over hidden neurons, r = a neuron's spikes per step in the batch (default 0: off). A silent
   * neuron has almost no surrogate gradient and would stay silent.
   */
  readonly activityPenalty?: number;
  /** Spikes per step below which a hidden neuron counts as too quiet (default 0.01). */
  readonly activityFloor?: number;
  /**
   * Mean spike rate of each input channel (0..1). When given, pruning gives no synapse to a
   * channel that never spiked in the training data (MNIST's border pixels); the others are ranked
   * by |w| alone.
   */
  readonly inputRates?: Float32Array;
}

/** Progress after one batch. */
export interface BatchEvent {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Mean loss and accuracy over the epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
  /** Training throughput over the epoch so far. */
  readonly samplesPerSecond: number;
}

/** The end of one epoch. */
export interface EpochEvent extends BatchEvent {
  readonly seconds: number;
  /** Synapses kept per projection. */
  readonly kept: readonly number[];
  /** State to save for `--resume`. */
  readonly state: TrainState;
}

/** Where training stands (for checkpoints). */
export interface TrainState {
  /** Epochs completed. */
  readonly epoch: number;
  readonly optimizer: AdamState;
}

/** What a run returns. */
export interface TrainResult {
  readonly epochs: number;
  readonly stopped: boolean;
  readonly history: readonly EpochEvent[];
  readonly samplesPerSecond: number;
}

/** One training step: loss and correct predictions of the batch at `indices`, parameters updated. */
export type TrainStep = (indices: Int32Array, optimizer: Adam, lr: number, step: number, total: number) => { loss: number; correct: number };

/** Learning rate at progress p ∈ [0, 1]: cosine from `lr` down to 5 % of it. */
export function cosineRate(lr: number, p: number): number {
  return lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, p)))));
}

/** Run epochs of `step` over `count` samples. Returns when done or when `signal` aborts (after the current batch). */
export async function runTraining(count: number, variables: readonly tf.Variable[], options: TrainOptions, kept: () => number[], step: TrainStep): Promise<TrainResult> {
  const batchSize = options.batchSize ?? 128;
  const lr = options.learningRate ?? 0.01;
  const seed = options.seed ?? 1;
  const batches = Math.max(1, Math.floor(count / batchSize));
  const total = batches * options.epochs;
  const optimizer = new Adam(variables);
  if (options.resume !== undefined) optimizer.setState(options.resume.optimizer);
  const history: EpochEvent[] = [];
  let stopped = false;
  let totalSamples = 0;
  let totalSeconds = 0;
  try {
    for (let epoch = options.resume?.epoch ?? 0; epoch < options.epochs && !stopped; epoch++) {
      const order = permutation(count, seed * 1000003 + epoch);
      const t0 = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const s = epoch * batches + b;
        const idx = order.subarray(b * batchSize, (b + 1) * batchSize);
        const r = step(idx, optimizer, cosineRate(lr, s / total), s, total);
        lossSum += r.loss * idx.length;
        correct += r.correct;
        seen += idx.length;
        const seconds = (performance.now() - t0) / 1000;
        options.onBatch?.({ epoch, batch: b + 1, batches, loss: lossSum / seen, accuracy: correct / seen, samplesPerSecond: seen / seconds });
        if (options.signal?.aborted === true) {
          stopped = true;
          break;
        }
        // Let signal handlers (Ctrl-C) run between batches.
        if (b % 10 === 9) await new Promise((res) => setImmediate(res));
      }
      const seconds = (performance.now() - t0) / 1000;
      totalSamples += seen;
      totalSeconds += seconds;
      const event: EpochEvent = {
        epoch,
        batch: batches,
        batches,
        loss: lossSum / Math.max(1, seen),
        accuracy: correct / Math.max(1, seen),
        samplesPerSecond: seen / Math.max(1e-9, seconds),
        seconds,
        kept: kept(),
        // A stopped epoch is not complete: resuming repeats it.
        state: { epoch: stopped ? epoch : epoch + 1, optimizer: optimizer.getState() },
      };
      history.push(event);
      await options.onEpoch?.(event);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs: history.length, stopped, history, samplesPerSecond: totalSamples / Math.max(1e-9, totalSeconds) };
}

/** Loss of a batch: cross-entropy plus the readout-range penalty. Returns the loss and the logits (kept). */
export function batchLoss(
  model: SpatialSnn,
  x: tf.Tensor3D,
  labels: tf.Tensor1D,
  quantize: boolean,
  penalty: number,
  limit: number,
  layers: readonly ExactLayer[] = model.exactLayers(),
  xTransposed?: tf.Tensor2D,
  activity: { penalty: number; floor: number } = { penalty: 0, floor: 0.01 },
): { loss: tf.Scalar; logits: tf.Tensor2D } {
  const out = model.forward(x, { quantize, record: activity.penalty > 0 }, layers, xTransposed);
  const onehot = tf.oneHot(labels, model.config.outputs);
  let loss = tf.losses.softmaxCrossEntropy(onehot, out.logits) as tf.Scalar;
  if (penalty > 0) loss = tf.add(loss, tf.mul(tf.mean(tf.square(tf.relu(tf.sub(out.normalized, limit)))), penalty));
  if (activity.penalty > 0 && out.spikes !== undefined) {
    for (const s of out.spikes.slice(0, -1)) {
      const rate = tf.mean(s, [0, 1]);
      loss = tf.add(loss, tf.mul(tf.mean(tf.square(tf.div(tf.relu(tf.sub(activity.floor, rate)), activity.floor))), activity.penalty));
    }
  }
  return { loss, logits: tf.keep(out.logits) };
}

/** Count argmax(logits) = label. */
export function countCorrect(logits: tf.Tensor2D, labels: ArrayLike<number>): number {
  const pred = tf.tidy(() => tf.argMax(logits, 1).dataSync());
  let correct = 0;
  for (let k = 0; k < pred.length; k++) if (pred[k] === labels[k]) correct++;
  return correct;
}

/** Mean spike rate per input channel of a dataset under the model's encoding (for activity-aware pruning). */
export function inputRates(model: SpatialSnn, data: Dataset, samples = 2000): Float32Array {
  const n = Math.min(samples, data.count);
  const idx = permutation(data.count, 99).subarray(0, n);
  const enc = encodeBatch(data, idx, model.config.encoding);
  const rates = new Float32Array(enc.channels);
  for (let k = 0; k < enc.data.length; k++) rates[k % enc.channels] += enc.data[k];
  return rates.map((r) => r / (enc.steps * n));
}

/** Train a spatial SNN on `data` (quantization-aware by default), pruning toward `synapseBudget`. */
export async function trainSnn(model: SpatialSnn, data: Dataset, options: SnnTrainOptions): Promise<TrainResult> {
  const quantize = options.quantize ?? true;
  const penalty = options.readoutPenalty ?? 1;
  const limit = options.readoutLimit ?? 0.75;
  const activity = { penalty: options.activityPenalty ?? 0, floor: options.activityFloor ?? 0.01 };
  const pruneUntil = options.pruneUntil ?? 0;
  const pruneEvery = options.pruneEvery ?? 25;
  const sizes = model.projections.map((p) => [p.from.size, p.to.size] as const);
  const dense = sizes.map(([a, b]) => a * b);
  const budget = options.synapseBudget === undefined ? undefined : pruneBudget(sizes, options.synapseBudget);
  const rates = options.inputRates === undefined ? undefined : tf.keep(tf.tensor2d(options.inputRates.map((r) => (r > 0 ? 1 : 0)), [options.inputRates.length, 1]));
  const last = Math.max(1, Math.floor(data.count / (options.batchSize ?? 128))) * options.epochs - 1;
  try {
    return await runTraining(data.count, model.variables(), options, () => model.keptCounts(), (idx, optimizer, lr, step, total) => {
      if (budget !== undefined && (step % pruneEvery === 0 || step === last)) {
        const p = pruneUntil <= 0 ? 1 : Math.min(1, (step + 1) / Math.max(1, pruneUntil * total));
        model.prune(dense.map((d, k) => Math.round(d - p * (d - budget[k]))), rates === undefined ? undefined : [rates]);
      }
      const enc = encodeBatch(data, idx, model.config.encoding);
      const x = tf.tensor3d(enc.data, [enc.steps, enc.batch, enc.channels]);
      const xt = tf.tensor2d(enc.transposed, [enc.channels, enc.steps * enc.batch]);
      const y = tf.tensor1d(enc.labels, "int32");
      const layers = model.exactLayers();
      let logits: tf.Tensor2D | undefined;
      const loss = optimizer.minimize(() => {
        const r = batchLoss(model, x, y, quantize, penalty, limit, layers, xt, activity);
        logits = r.logits;
        return r.loss;
      }, lr);
      const correct = countCorrect(logits!, enc.labels);
      tf.dispose([x, xt, y, logits!]);
      return { loss, correct };
    });
  } finally {
    rates?.dispose();
  }
}
