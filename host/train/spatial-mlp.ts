// SPDX-License-Identifier: Apache-2.0
// The spatial MLP of Erb et al. (arXiv 2506.13410): a ReLU network whose weights are
// w_ij = s_i · g / max(‖p_i − p_j‖, minDistance), one learned sign per presynaptic neuron, plus a
// bias per neuron. In 3-D with z = layer index and 784-2048-10 it has 2 learned coordinates per
// neuron, 2,832 signs and 2,058 biases: 10,574 parameters (the paper's "~10.6 k"), plus one gain
// per projection here. Not an SNN: it runs on the host only (no model file for the core).

import * as tf from "@tensorflow/tfjs";
import { LociError } from "../../sim/errors.ts";
import { readFileBytes, writeFileAtomic, parseJsonText, checkFormatHeader } from "../../sim/json-file.ts";
import { Random } from "../../sim/random.ts";
import type { Dataset, ImageDataset } from "./dataset.ts";
import { dataDot, dot } from "./matmul.ts";
import { SpatialPopulation, SpatialProjection, type SpaceOptions } from "./spatial-layer.ts";
import { countCorrect, runTraining, type TrainOptions, type TrainResult } from "./train-loop.ts";
import { pruneBudget } from "./spatial-snn.ts";

/** Architecture of a spatial MLP. */
export interface SpatialMlpConfig {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  readonly space: SpaceOptions;
  /** Distances are clipped below at this (distance units). */
  readonly minDistance: number;
}

/** The `format` tag of saved spatial MLPs. */
export const MLP_FORMAT = "loci-spatial-mlp";
export const MLP_VERSION = 1;

/** A spatial MLP with trainable positions, signs, gains and biases. */
export class SpatialMlp {
  readonly populations: SpatialPopulation[];
  readonly projections: SpatialProjection[];
  readonly biases: tf.Variable<tf.Rank.R1>[];
  private static instances = 0;

  constructor(readonly config: SpatialMlpConfig, seed: number) {
    const rng = new Random(seed);
    const scope = `mlp${SpatialMlp.instances++}/`;
    const sizes = [config.inputs, ...config.hidden, config.outputs];
    const names = ["input", ...config.hidden.map((_, k) => (config.hidden.length === 1 ? "hidden" : `hidden${k + 1}`)), "output"];
    this.populations = sizes.map((size, layer) => new SpatialPopulation(names[layer], layer === 0 ? "input" : "lif", size, layer, config.space, layer < sizes.length - 1, rng, undefined, scope));
    this.projections = sizes.slice(1).map((_, k) => {
      const from = this.populations[k];
      const to = this.populations[k + 1];
      // Typical |w| ≈ 1 / √fan-in at the start (He-like): g = median distance / √fan-in.
      const median = tf.tidy(() => {
        const d = Float32Array.from(tf.maximum(from.fullPositions().sub(to.fullPositions().mean(0)).square().sum(1).sqrt(), config.minDistance).dataSync()).sort();
        return d[Math.floor(d.length / 2)];
      });
      return new SpatialProjection(from, to, config.minDistance, { kind: "fixed", steps: 1 }, (Math.SQRT2 * median) / Math.sqrt(from.size), scope);
    });
    this.biases = sizes.slice(1).map((n, k) => tf.tidy(() => tf.variable(tf.zeros([n]), true, `${scope}bias${k}`)));
  }

  variables(): tf.Variable[] {
    return [...this.populations.flatMap((p) => p.variables()), ...this.projections.flatMap((p) => p.variables()), ...this.biases];
  }

  /** Trainable parameters (positions, signs, gains, biases). */
  parameterCount(): number {
    return this.variables().reduce((s, v) => s + v.size, 0);
  }

  /** Logits `[B, outputs]` of intensities `x` `[B, inputs]` (0..1); `xT` (`[inputs, B]`) skips the input gradient. */
  forward(x: tf.Tensor2D, xT?: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.projections.forEach((proj, k) => {
      const w = proj.weights();
      const z = tf.add(k === 0 && xT !== undefined ? dataDot(h, xT, w) : dot(h, w), this.biases[k]) as tf.Tensor2D;
      h = k === this.projections.length - 1 ? z : (tf.relu(z) as tf.Tensor2D);
    });
    return h;
  }

  keptCounts(): number[] {
    return this.projections.map((p) => p.keptCount());
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
    for (const p of this.projections) p.setMask(undefined);
  }
}

function imageBatch(data: ImageDataset, idx: ArrayLike<number>): { x: Float32Array; xT: Float32Array; labels: Int32Array } {
  const c = data.channels;
  const n = idx.length;
  const x = new Float32Array(n * c);
  const xT = new Float32Array(n * c);
  const labels = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    labels[b] = data.labels[idx[b]];
    const base = idx[b] * c;
    for (let k = 0; k < c; k++) {
      const v = data.images[base + k] / 255;
      x[b * c + k] = v;
      xT[k * n + b] = v;
    }
  }
  return { x, xT, labels };
}

function requireImages(data: Dataset): ImageDataset {
  if (data.kind !== "images") throw new LociError("E_USAGE", `the spatial MLP takes images; ${data.name} holds spike events`, { suggestion: "Use --model spatial-snn." });
  return data;
}

/** Train a spatial MLP on images (pixels scaled to 0..1). */
export async function trainMlp(model: SpatialMlp, data: Dataset, options: TrainOptions): Promise<TrainResult> {
  const images = requireImages(data);
  const sizes = model.projections.map((p) => [p.from.size, p.to.size] as const);
  const dense = sizes.map(([a, b]) => a * b);
  const budget = options.synapseBudget === undefined ? undefined : pruneBudget(sizes, options.synapseBudget);
  const pruneUntil = options.pruneUntil ?? 0;
  const pruneEvery = options.pruneEvery ?? 25;
  return runTraining(images.count, model.variables(), options, () => model.keptCounts(), (idx, optimizer, lr, step, total) => {
    if (budget !== undefined && step % pruneEvery === 0) {
      const p = pruneUntil <= 0 ? 1 : Math.min(1, (step + 1) / Math.max(1, pruneUntil * total));
      model.projections.forEach((proj, k) => proj.pruneTo(Math.round(dense[k] - p * (dense[k] - budget[k]))));
    }
    const batch = imageBatch(images, idx);
    const x = tf.tensor2d(batch.x, [idx.length, images.channels]);
    const xT = tf.tensor2d(batch.xT, [images.channels, idx.length]);
    const y = tf.oneHot(tf.tensor1d(batch.labels, "int32"), model.config.outputs);
    let logits: tf.Tensor2D | undefined;
    const loss = optimizer.minimize(() => {
      const out = model.forward(x, xT);
      logits = tf.keep(out);
      return tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar;
    }, lr);
    const correct = countCorrect(logits!, batch.labels);
    tf.dispose([x, xT, y, logits!]);
    return { loss, correct };
  });
}

/** Test accuracy of a spatial MLP. */
export function evaluateMlp(model: SpatialMlp, data: Dataset, limit?: number): { accuracy: number; samples: number } {
  const images = requireImages(data);
  const total = Math.min(images.count, limit ?? images.count);
  let correct = 0;
  for (let start = 0; start < total; start += 1000) {
    const idx = Int32Array.from({ length: Math.min(1000, total - start) }, (_, k) => start + k);
    const batch = imageBatch(images, idx);
    correct += tf.tidy(() => countCorrect(model.forward(tf.tensor2d(batch.x, [idx.length, images.channels])), batch.labels));
  }
  return { accuracy: total === 0 ? 0 : correct / total, samples: total };
}

/** A saved spatial MLP (for pictures and reference; the core runs SNN model files only). */
export interface SavedMlp {
  readonly format: typeof MLP_FORMAT;
  readonly version: typeof MLP_VERSION;
  readonly dimensions: number;
  readonly minDistance: number;
  readonly populations: readonly { name: string; size: number; positions: number[][]; signs?: number[] }[];
  readonly projections: readonly { from: string; to: string; gain: number; mask?: [number, number][] }[];
  readonly biases: readonly number[][];
  readonly metadata: { readonly [key: string]: unknown };
}

/** The model as JSON. */
export function saveMlp(model: SpatialMlp, path: string, metadata: Record<string, unknown>): void {
  const doc: SavedMlp = {
    format: MLP_FORMAT,
    version: MLP_VERSION,
    dimensions: model.config.space.dimensions,
    minDistance: model.config.minDistance,
    populations: model.populations.map((p) => ({ name: p.name, size: p.size, positions: p.positionsArray(), ...(p.signLogits === undefined ? {} : { signs: p.signsArray() }) })),
    projections: model.projections.map((p) => {
      const mask = p.keptPairs();
      return { from: p.from.name, to: p.to.name, gain: p.gain(), ...(mask === undefined ? {} : { mask }) };
    }),
    biases: model.biases.map((b) => Array.from(b.dataSync())),
    metadata,
  };
  writeFileAtomic(path, `${JSON.stringify(doc)}\n`);
}

/** Read a saved spatial MLP (checked header; used by `loci plot`). */
export function readMlp(path: string): SavedMlp {
  const where = { file: path };
  return checkFormatHeader(parseJsonText(readFileBytes(path).toString("utf8"), where), MLP_FORMAT, MLP_VERSION, where) as unknown as SavedMlp;
}
