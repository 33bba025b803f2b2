// SPDX-License-Identifier: Apache-2.0
// Pruning: drop synapses that quantize to zero, then keep the strongest (shortest) synapses up to a
// target sparsity and, with --fit, up to the board's synapse and fan-in limits. Ranking is an exact
// integer key with deterministic ties (docs/formats/model-file.md §7, step 3).

/** Rank keys are ⌊RANK_ONE · |w| / M_p⌋: integers 0..2^31. */
export const RANK_ONE = 2 ** 31;
/** Up to this many candidates, ranking sorts packed (key, index) doubles natively. */
export const PACKED_RANK_LIMIT = 2 ** 21;

/** The rank key of each candidate: ⌊2^31 · |w| / M⌋, M = largest |w| into the candidate's target population. */
export function rankKeys(weight: Float64Array, targetPopulation: Int32Array, maxAbsByPopulation: Float64Array): Float64Array {
  const keys = new Float64Array(weight.length);
  for (let k = 0; k < weight.length; k++) {
    const max = maxAbsByPopulation[targetPopulation[k]];
    keys[k] = max > 0 ? Math.floor((RANK_ONE * Math.abs(weight[k])) / max) : 0;
  }
  return keys;
}

/**
 * Candidate indices by rank: key descending, ties by index ascending. Packs (key, index) into one
 * double per candidate and sorts the doubles natively: `key · 2^21 + (2^21 − 1 − index)` is exact
 * below 2^53. Larger inputs fall back to `rankOrderByComparator`.
 */
export function rankOrder(keys: Float64Array): Int32Array {
  const n = keys.length;
  if (n > PACKED_RANK_LIMIT) return rankOrderByComparator(keys);
  const packed = new Float64Array(n);
  const low = PACKED_RANK_LIMIT - 1;
  for (let k = 0; k < n; k++) packed[k] = keys[k] * PACKED_RANK_LIMIT + (low - k);
  packed.sort();
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[r] = low - (packed[n - 1 - r] % PACKED_RANK_LIMIT);
  return order;
}

/** The same order as `rankOrder`, by a comparator sort of the indices (any size; slower). */
export function rankOrderByComparator(keys: Float64Array): Int32Array {
  const order = Int32Array.from({ length: keys.length }, (_, k) => k);
  return order.sort((a, b) => keys[b] - keys[a] || a - b);
}

/** What pruning may keep. */
export interface PruneOptions {
  /** Fraction of the candidates to remove, 0..1 (default 0): keeps N − round(s · N). */
  readonly sparsity?: number;
  /** Board limits to fit: total synapses and synapses per target neuron. */
  readonly fit?: { readonly synapses: number; readonly maxFanIn: number };
}

/** What pruning needs to know about each candidate. */
export interface PruneInput {
  /** Rank keys (`rankKeys`). */
  readonly keys: Float64Array;
  /** Float weights (for the weight mass removed). */
  readonly weight: Float64Array;
  /** Core weights (a non-plastic 0 is dropped). */
  readonly quantized: Int8Array;
  readonly plastic: Uint8Array;
  /** Target neuron on the core (for fan-in limits). */
  readonly target: Int32Array;
  /** Projection of each candidate (for the per-projection report). */
  readonly projection: Int32Array;
  /** Number of projections. */
  readonly projections: number;
}

/** Pruning counts of one projection (or of all). */
export interface PruneCounts {
  readonly candidates: number;
  readonly kept: number;
  /** Quantized to 0 and not plastic: no effect on the core. */
  readonly zeroDropped: number;
  /** Removed to reach `--sparsity`. */
  readonly removedBySparsity: number;
  /** Removed to fit the board (synapse count or fan-in). */
  readonly removedToFit: number;
  /** Σ|w| of the candidates (float weight units). */
  readonly weightMass: number;
  /** Σ|w| of the removed candidates. */
  readonly removedMass: number;
}

/** What pruning kept. */
export interface PruneResult {
  /** 1 = kept, per candidate. */
  readonly keep: Uint8Array;
  readonly total: PruneCounts;
  readonly perProjection: readonly PruneCounts[];
  /** Largest fan-in among the kept synapses. */
  readonly maxFanIn: number;
}

type MutableCounts = { -readonly [K in keyof PruneCounts]: PruneCounts[K] };
const zeroCounts = (): MutableCounts => ({ candidates: 0, kept: 0, zeroDropped: 0, removedBySparsity: 0, removedToFit: 0, weightMass: 0, removedMass: 0 });

/**
 * Keep candidates in rank order: skip non-plastic zeros; stop at N − round(sparsity · N) kept (and
 * at `fit.synapses`); with `fit`, skip candidates whose target neuron already has `fit.maxFanIn`.
 */
export function prune(input: PruneInput, options: PruneOptions = {}): PruneResult {
  const n = input.keys.length;
  const sparsity = options.sparsity ?? 0;
  const bySparsity = n - Math.round(sparsity * n);
  const limit = options.fit === undefined ? bySparsity : Math.min(bySparsity, options.fit.synapses);
  const maxFanIn = options.fit?.maxFanIn ?? Infinity;
  const keep = new Uint8Array(n);
  let numNeurons = 0;
  for (let k = 0; k < n; k++) numNeurons = Math.max(numNeurons, input.target[k] + 1);
  const fanIn = new Int32Array(numNeurons);
  const per = Array.from({ length: input.projections }, zeroCounts);
  const total = zeroCounts();
  const order = rankOrder(input.keys);
  let kept = 0;
  for (let r = 0; r < n; r++) {
    const k = order[r];
    const counts = per[input.projection[k]];
    const mass = Math.abs(input.weight[k]);
    counts.candidates++;
    counts.weightMass += mass;
    let reason: "zeroDropped" | "removedBySparsity" | "removedToFit" | undefined;
    if (input.quantized[k] === 0 && input.plastic[k] === 0) reason = "zeroDropped";
    else if (kept >= limit) reason = kept >= bySparsity ? "removedBySparsity" : "removedToFit";
    else if (fanIn[input.target[k]] >= maxFanIn) reason = "removedToFit";
    if (reason === undefined) {
      keep[k] = 1;
      kept++;
      fanIn[input.target[k]]++;
      counts.kept++;
    } else {
      counts[reason]++;
      counts.removedMass += mass;
    }
  }
  for (const c of per) for (const key of Object.keys(total) as (keyof PruneCounts)[]) total[key] += c[key];
  return { keep, total, perProjection: per, maxFanIn: fanIn.reduce((a, b) => Math.max(a, b), 0) };
}

/**
 * The sparsity to suggest when `candidates` synapses exceed `capacity`: the fraction to remove,
 * (N − S) / N, rounded up to 0.01 (0 when N already fits). Since round(s · N) ≥ N − S, keeping
 * N − round(s · N) never exceeds S. Integer arithmetic: the quotient is exact when it is whole.
 */
export function suggestedSparsity(candidates: number, capacity: number): number {
  if (candidates <= capacity) return 0;
  return Math.ceil((100 * (candidates - capacity)) / candidates) / 100;
}
