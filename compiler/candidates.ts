// SPDX-License-Identifier: Apache-2.0
// Expands a model's projections into candidate synapses: every (pre, post) pair that exists after
// masks, pruning lists and the self-connection rule, with its distance, float weight and delay
// (docs/formats/model-file.md §4). Typed arrays in the order projection, pre, post.

import { CapacityError } from "../sim/errors.ts";
import type { Where } from "../sim/validate.ts";
import type { LociModel, Population, Projection } from "./model-file.ts";
import { delaySteps } from "./quantize.ts";

/** Largest number of candidate synapses the compiler expands (before pruning). */
export const MAX_CANDIDATES = 1 << 26;

/** Candidate synapses, index k in the order (projection, pre, post). */
export interface Candidates {
  readonly count: number;
  /** Index of the projection in `model.projections`. */
  readonly projection: Int32Array;
  /** Index of the source member in its population. */
  readonly pre: Int32Array;
  /** Index of the target member in its population. */
  readonly post: Int32Array;
  /** Clipped distance `max(‖p_i − p_j‖, minDistance)` (distance units). */
  readonly distance: Float64Array;
  /** Float weight `s_i · g_j / distance` (float weight units). */
  readonly weight: Float64Array;
  /** Delay in steps, 1..16. */
  readonly delay: Uint8Array;
  /** `distance / velocity` in steps; NaN for projections with a fixed delay. */
  readonly exactDelay: Float64Array;
}

/** Number of candidates of one projection (the pairs that exist). */
function pairsOf(proj: Projection, from: Population, to: Population): { count: number; exists: (pre: number, post: number) => boolean } {
  const cells = from.size * to.size;
  if (proj.mask !== undefined) {
    const bits = new Uint8Array(cells);
    let count = 0;
    for (const [i, j] of proj.mask) {
      if (bits[i * to.size + j] === 0) count++;
      bits[i * to.size + j] = 1;
    }
    return { count, exists: (i, j) => bits[i * to.size + j] === 1 };
  }
  const removed = new Uint8Array(proj.pruned === undefined ? 0 : cells);
  let count = cells;
  const self = proj.from === proj.to && proj.selfConnections !== true;
  if (self) count -= from.size;
  for (const [i, j] of proj.pruned ?? []) {
    if (removed[i * to.size + j] === 1 || (self && i === j)) continue;
    removed[i * to.size + j] = 1;
    count--;
  }
  return {
    count,
    exists: (i, j) => !(self && i === j) && (removed.length === 0 || removed[i * to.size + j] === 0),
  };
}

/**
 * Expand every projection of a (valid) model into candidate synapses. Throws a CapacityError when
 * there are more than `MAX_CANDIDATES`.
 */
export function expandCandidates(model: LociModel, where: Where = {}): Candidates {
  const byName = new Map(model.populations.map((p) => [p.name, p]));
  const plans = model.projections.map((proj, k) => {
    const from = byName.get(proj.from)!;
    const to = byName.get(proj.to)!;
    if (from.size * to.size > MAX_CANDIDATES) {
      throw new CapacityError(`projections[${k}] (${proj.from} → ${proj.to}) spans ${from.size} × ${to.size} pairs; the compiler expands at most ${MAX_CANDIDATES}`, {
        context: { ...where, field: `projections[${k}]`, value: from.size * to.size, allowed: `0..${MAX_CANDIDATES}` },
        suggestion: "Split the populations into smaller ones.",
      });
    }
    return { proj, from, to, ...pairsOf(proj, from, to) };
  });
  const total = plans.reduce((sum, p) => sum + p.count, 0);
  if (total > MAX_CANDIDATES) {
    throw new CapacityError(`the model has ${total} candidate synapses; the compiler expands at most ${MAX_CANDIDATES}`, {
      context: { ...where, field: "projections", value: total, allowed: `0..${MAX_CANDIDATES}` },
      suggestion: 'Give the largest projections a "mask" or "pruned" list in the model file.',
    });
  }
  const out = {
    count: total,
    projection: new Int32Array(total),
    pre: new Int32Array(total),
    post: new Int32Array(total),
    distance: new Float64Array(total),
    weight: new Float64Array(total),
    delay: new Uint8Array(total),
    exactDelay: new Float64Array(total),
  };
  const dims = model.dimensions;
  const minDistance = model.geometry.minDistance;
  let k = 0;
  plans.forEach(({ proj, from, to, exists }, p) => {
    const velocity = proj.velocity ?? model.geometry.velocity;
    const gains = typeof proj.gain === "number" ? undefined : proj.gain;
    const signs = from.signs!;
    for (let i = 0; i < from.size; i++) {
      const pi = from.positions[i];
      for (let j = 0; j < to.size; j++) {
        if (!exists(i, j)) continue;
        const pj = to.positions[j];
        let sum = 0;
        for (let c = 0; c < dims; c++) {
          const diff = pi[c] - pj[c];
          sum += diff * diff;
        }
        const distance = Math.max(Math.sqrt(sum), minDistance);
        out.projection[k] = p;
        out.pre[k] = i;
        out.post[k] = j;
        out.distance[k] = distance;
        out.weight[k] = (signs[i] * (gains === undefined ? (proj.gain as number) : gains[j])) / distance;
        if (proj.fixedDelay === undefined) {
          out.exactDelay[k] = distance / velocity;
          out.delay[k] = delaySteps(distance, velocity);
        } else {
          out.exactDelay[k] = Number.NaN;
          out.delay[k] = proj.fixedDelay;
        }
        k++;
      }
    }
  });
  return out;
}
