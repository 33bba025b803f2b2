// SPDX-License-Identifier: Apache-2.0
// The spatial layers: populations with learned positions in d-D space (and learned signs), and
// projections whose weights and delays both come from the distances between them:
//   w_ij = s_i · g / max(‖p_i − p_j‖, minDistance)       (Erb et al., arXiv 2506.13410)
//   delay_ij = clamp(⌊‖p_i − p_j‖ / v + ½⌋, 1, 16) steps  (Mészáros et al., arXiv 2511.01632)
// With `layerAxis`, the last coordinate of every member is fixed to `layer · layerSpacing` and only
// the other d − 1 coordinates are learned (the paper's 3-D setting: z = layer index).

import * as tf from "@tensorflow/tfjs";
import { Random } from "../../sim/random.ts";
import { RANGES } from "../../sim/spec.ts";
import { delaySlotMask, pairwiseDistance } from "./geometry.ts";
import { steepSign } from "./surrogate.ts";

/** Geometry shared by the populations of one model. */
export interface SpaceOptions {
  /** Dimensions d of every position (default 3). */
  readonly dimensions: number;
  /** Fix the last coordinate to the layer index times `layerSpacing` (default true). */
  readonly layerAxis: boolean;
  /** Distance between neighbouring layers along the layer axis (distance units, default 1). */
  readonly layerSpacing: number;
  /** Learned coordinates start uniform in ±initSpread (distance units, default 1). */
  readonly initSpread: number;
  /** Steepness k of the sign's sigmoid 2σ(k·x) − 1 in the backward pass (default 10). */
  readonly signSteepness: number;
  /**
   * Image-plane start (for image inputs): the first two learned coordinates of the input
   * population are the pixel grid spread over ±initSpread, every other population starts uniform
   * over that plane, and the remaining coordinates start within ±0.1 · layerSpacing. Hidden neurons
   * then begin with local receptive fields at random places instead of near-identical ones.
   */
  readonly plane?: { readonly width: number; readonly height: number };
}

/** The start of coordinate c of member k (see SpaceOptions.plane). */
function initialCoordinate(space: SpaceOptions, kind: "input" | "lif", k: number, c: number, rng: Random): number {
  const uniform = (2 * rng.nextFloat() - 1) * space.initSpread;
  const plane = space.plane;
  if (plane === undefined) return uniform;
  if (c >= 2) return (2 * rng.nextFloat() - 1) * 0.1 * space.layerSpacing;
  if (kind !== "input") return uniform;
  const [index, size] = c === 0 ? [k % plane.width, plane.width] : [Math.floor(k / plane.width), plane.height];
  return size === 1 ? 0 : (2 * index / (size - 1) - 1) * space.initSpread;
}

/** One population: its members' positions (and signs, when it sends synapses). */
export class SpatialPopulation {
  /** Learned coordinates `[size, d]`, or `[size, d − 1]` with the layer axis. */
  readonly positions: tf.Variable<tf.Rank.R2>;
  /** Learned sign parameters `[size]` (sign = +1 where ≥ 0); absent for populations that send nothing. */
  readonly signLogits: tf.Variable<tf.Rank.R1> | undefined;

  constructor(
    readonly name: string,
    readonly kind: "input" | "lif",
    readonly size: number,
    /** Layer index (the fixed coordinate is layer · layerSpacing). */
    readonly layer: number,
    readonly space: SpaceOptions,
    hasSigns: boolean,
    rng: Random,
    init?: { positions?: readonly (readonly number[])[]; signs?: readonly number[] },
    /** Prefix of the tf variable names (they must be unique in the process). */
    scope = "",
  ) {
    const learned = space.layerAxis ? space.dimensions - 1 : space.dimensions;
    const values = new Float32Array(size * learned);
    for (let k = 0; k < size; k++) {
      for (let c = 0; c < learned; c++) {
        values[k * learned + c] = init?.positions === undefined ? initialCoordinate(space, kind, k, c, rng) : init.positions[k][c];
      }
    }
    this.positions = tf.tidy(() => tf.variable(tf.tensor2d(values, [size, learned]), true, `${scope}${name}.positions`));
    if (hasSigns) {
      // Start near zero so signs can still flip; from a file, ±0.5 keeps the stored sign.
      const s = Float32Array.from({ length: size }, (_, k) => (init?.signs === undefined ? (rng.nextFloat() - 0.5) * 0.2 : init.signs[k] * 0.5));
      this.signLogits = tf.tidy(() => tf.variable(tf.tensor1d(s), true, `${scope}${name}.signs`));
    } else {
      this.signLogits = undefined;
    }
  }

  /** The fixed coordinate of this layer (undefined without the layer axis). */
  get fixedCoordinate(): number | undefined {
    return this.space.layerAxis ? this.layer * this.space.layerSpacing : undefined;
  }

  /** Full positions `[size, d]` (learned coordinates plus the fixed layer coordinate). */
  fullPositions(): tf.Tensor2D {
    const z = this.fixedCoordinate;
    if (z === undefined) return this.positions;
    return tf.concat([this.positions, tf.fill([this.size, 1], z)], 1);
  }

  /** Signs `[size]`, exactly ±1 (steep-sigmoid gradient). */
  signs(): tf.Tensor1D {
    if (this.signLogits === undefined) throw new Error(`population ${this.name} has no signs`);
    return steepSign(this.signLogits, this.space.signSteepness);
  }

  /** Positions as numbers (full d coordinates), for files and pictures. */
  positionsArray(): number[][] {
    return tf.tidy(() => this.fullPositions().arraySync());
  }

  /** Signs as ±1 numbers. */
  signsArray(): number[] {
    return this.signLogits === undefined ? [] : Array.from(this.signLogits.dataSync(), (x) => (x >= 0 ? 1 : -1));
  }

  variables(): tf.Variable[] {
    return this.signLogits === undefined ? [this.positions] : [this.positions, this.signLogits];
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/** How a projection's delays are set. */
export type DelayRule =
  | { readonly kind: "fixed"; readonly steps: number }
  | { readonly kind: "distance"; readonly velocity: number; readonly maxDelay: number };

/** All-to-all connections between two populations, minus a pruning mask. */
export class SpatialProjection {
  /** log of the projection's gain g (float weight units · distance units). */
  readonly logGain: tf.Variable<tf.Rank.R0>;
  /** 1 = synapse kept, `[from.size, to.size]`; undefined = all kept. Not trained. */
  private maskTensor: tf.Tensor2D | undefined;
  /** The same mask as bytes (row-major). */
  private maskBytes: Uint8Array | undefined;

  constructor(
    readonly from: SpatialPopulation,
    readonly to: SpatialPopulation,
    readonly minDistance: number,
    readonly delay: DelayRule,
    gain: number,
    scope = "",
  ) {
    this.logGain = tf.tidy(() => tf.variable(tf.scalar(Math.log(gain)), true, `${scope}${from.name}->${to.name}.logGain`));
  }

  get mask(): tf.Tensor2D | undefined {
    return this.maskTensor;
  }

  /** Replace the mask (the old one is disposed); undefined keeps every pair. */
  setMask(mask: tf.Tensor2D | undefined): void {
    this.maskTensor?.dispose();
    this.maskTensor = mask === undefined ? undefined : tf.keep(mask);
    this.maskBytes = mask === undefined ? undefined : Uint8Array.from(mask.dataSync(), (v) => (v !== 0 ? 1 : 0));
  }

  /** The mask as bytes `[from · to]` (1 = kept), undefined when nothing is pruned. */
  maskArray(): Uint8Array | undefined {
    return this.maskBytes;
  }

  /** The gain g as a number. */
  gain(): number {
    return Math.exp(this.logGain.dataSync()[0]);
  }

  /** Distances `[from, to]` (unclipped). */
  distances(): tf.Tensor2D {
    return pairwiseDistance(this.from.fullPositions(), this.to.fullPositions());
  }

  /** Float weights `[from, to]`: s_i · g / max(d_ij, minDistance), zero where pruned. */
  weights(distances: tf.Tensor2D = this.distances()): tf.Tensor2D {
    const w = tf.div(tf.mul(tf.expandDims(this.from.signs(), 1), tf.exp(this.logGain)), tf.maximum(distances, this.minDistance));
    return (this.maskTensor === undefined ? w : tf.mul(w, this.maskTensor)) as tf.Tensor2D;
  }

  /**
   * The weight matrices per delay slot: `[{slot, weights}]`. Fixed delays give one entry; distance
   * delays give one masked matrix per slot 1..maxDelay (exact rounding forward, interpolation
   * gradient backward; see `delaySlotMask`). `rounded` gives the exact rounded delays (float64,
   * as the compiler rounds them) to use forward instead of rounding float32 distances.
   */
  slotWeights(weights: tf.Tensor2D, distances: tf.Tensor2D, rounded?: tf.Tensor2D): { slot: number; weights: tf.Tensor2D }[] {
    if (this.delay.kind === "fixed") return [{ slot: this.delay.steps, weights }];
    const steps = tf.div(tf.maximum(distances, this.minDistance), this.delay.velocity);
    const out: { slot: number; weights: tf.Tensor2D }[] = [];
    for (let slot = RANGES.delay.min; slot <= this.delay.maxDelay; slot++) {
      out.push({ slot, weights: tf.mul(weights, delaySlotMask(steps, slot, this.delay.maxDelay, false, rounded)) as tf.Tensor2D });
    }
    return out;
  }

  /**
   * Keep the `keep` strongest synapses: largest |w| (= shortest distances, one gain per
   * projection), or largest |w| · rate when `sourceRates` `[from, 1]` (mean spikes per step of each
   * source) is given. Returns the new mask.
   */
  pruneTo(keep: number, sourceRates?: tf.Tensor2D): tf.Tensor2D {
    const total = this.from.size * this.to.size;
    const mask = tf.tidy(() => {
      if (keep >= total) return tf.ones([this.from.size, this.to.size]) as tf.Tensor2D;
      let strength = tf.div(1, tf.maximum(this.distances(), this.minDistance));
      if (sourceRates !== undefined) strength = tf.mul(strength, sourceRates);
      const { indices } = tf.topk(strength.reshape([total]), keep);
      const flat = tf.scatterND(tf.expandDims(indices, 1), tf.ones([keep]), [total]);
      return flat.reshape([this.from.size, this.to.size]) as tf.Tensor2D;
    });
    this.setMask(mask);
    return mask;
  }

  /** Kept synapses. */
  keptCount(): number {
    return this.maskTensor === undefined ? this.from.size * this.to.size : Math.round(this.maskTensor.sum().dataSync()[0]);
  }

  /** The kept pairs [pre, post] in (pre, post) order; undefined when nothing is pruned. */
  keptPairs(): [number, number][] | undefined {
    if (this.maskTensor === undefined) return undefined;
    const m = this.maskTensor.dataSync();
    const pairs: [number, number][] = [];
    for (let i = 0; i < this.from.size; i++) for (let j = 0; j < this.to.size; j++) if (m[i * this.to.size + j] !== 0) pairs.push([i, j]);
    return pairs;
  }

  variables(): tf.Variable[] {
    return [this.logGain];
  }

  dispose(): void {
    this.logGain.dispose();
    this.maskTensor?.dispose();
  }
}
