// SPDX-License-Identifier: Apache-2.0
// The simulator's view of the core's memories: synapse fields unpacked into typed arrays, and
// the pointer tables as the core follows them (fan-out list per source, plastic fan-in list per
// neuron). Built from a memory image, so the simulator runs exactly what the memories say.

import { RangeValueError, CapacityError } from "./errors.ts";
import type { CoreMemories } from "./memory-layout.ts";
import { synapseFields } from "./spec.ts";
import { signExtend } from "./fixed.ts";
import type { Where } from "./validate.ts";

/** Unpacked synapse memory and pointer tables. */
export interface CoreIndex {
  /** Synapse fields by address (delay in steps, 1..16). */
  readonly target: Int32Array;
  readonly weight: Int32Array;
  readonly delay: Uint8Array;
  readonly plastic: Uint8Array;
  readonly source: Int32Array;
  /** Fan-out list of source id s: addresses fwdBase[s] .. fwdBase[s] + fwdCount[s] - 1. */
  readonly fwdBase: Int32Array;
  readonly fwdCount: Int32Array;
  /** Plastic synapses in each fan-out list (one more cycle each while learning). */
  readonly fwdPlastic: Int32Array;
  /** Plastic fan-in list of neuron j: revList[revBase[j] .. revBase[j] + revCount[j] - 1]. */
  readonly revBase: Int32Array;
  readonly revCount: Int32Array;
  readonly revList: Int32Array;
}

/**
 * Unpack and check a memory image: every pointer inside the synapses in use, every field inside
 * the configured sizes, and no neuron reached by more than `maxFanIn` deliveries per step (so
 * the ring accumulators cannot overflow). Throws a LociError naming the first bad entry.
 */
export function indexMemories(mem: CoreMemories, where: Where = {}): CoreIndex {
  const cap = mem.capacity;
  const { numNeurons, numAxons } = mem.config;
  const n = mem.synapseLow.length;
  if (mem.synapseHigh.length !== n) {
    throw new RangeValueError("synapseHigh.length", mem.synapseHigh.length, `${n} (same as synapseLow)`, where);
  }
  const f = synapseFields(cap);
  const target = new Int32Array(n);
  const weight = new Int32Array(n);
  const delay = new Uint8Array(n);
  const plastic = new Uint8Array(n);
  const source = new Int32Array(n);
  const sources = cap.axons + cap.neurons;
  for (let k = 0; k < n; k++) {
    const word = BigInt(mem.synapseLow[k]) | (BigInt(mem.synapseHigh[k]) << 32n);
    const field = (b: { lsb: number; width: number }): number => Number((word >> BigInt(b.lsb)) & ((1n << BigInt(b.width)) - 1n));
    weight[k] = signExtend(field(f.weight), f.weight.width);
    target[k] = field(f.target);
    delay[k] = field(f.delay) + 1;
    plastic[k] = field(f.plastic);
    source[k] = field(f.source);
    if (target[k] >= numNeurons) {
      throw new RangeValueError(`synapse[${k}].target`, target[k], `0..${numNeurons - 1} (numNeurons - 1)`, where);
    }
    const src = source[k];
    if (src >= sources || (src < cap.axons ? src >= numAxons : src - cap.axons >= numNeurons)) {
      throw new RangeValueError(`synapse[${k}].source`, src, `an axon below ${numAxons} or a neuron id ${cap.axons}..${cap.axons + numNeurons - 1}`, where);
    }
  }
  const checkList = (name: string, base: number, count: number, limit: number): void => {
    if (count === 0) return;
    if (base + count > limit) {
      throw new RangeValueError(`${name}`, `{base ${base}, count ${count}}`, `base + count <= ${limit}`, where);
    }
  };
  const fwdBase = Int32Array.from(mem.fwdBase);
  const fwdCount = Int32Array.from(mem.fwdCount);
  const fwdPlastic = new Int32Array(sources);
  const deliveries = new Int32Array(numNeurons);
  for (let s = 0; s < sources; s++) {
    const inUse = s < cap.axons ? s < numAxons : s - cap.axons < numNeurons;
    if (!inUse) continue;
    checkList(`fwdPointer[${s}]`, fwdBase[s], fwdCount[s], n);
    for (let k = fwdBase[s]; k < fwdBase[s] + fwdCount[s]; k++) {
      fwdPlastic[s] += plastic[k];
      deliveries[target[k]]++;
    }
  }
  for (let j = 0; j < numNeurons; j++) {
    if (deliveries[j] > cap.maxFanIn) {
      throw new CapacityError(`neuron ${j} receives ${deliveries[j]} synapses; the core allows at most ${cap.maxFanIn}`, {
        context: { ...where, field: `fanIn[${j}]`, value: deliveries[j], allowed: `0..${cap.maxFanIn}` },
        suggestion: "Prune long connections into this neuron.",
      });
    }
  }
  const revBase = Int32Array.from(mem.revBase);
  const revCount = Int32Array.from(mem.revCount);
  const revList = Int32Array.from(mem.revList);
  for (let j = 0; j < numNeurons; j++) {
    checkList(`revPointer[${j}]`, revBase[j], revCount[j], revList.length);
    for (let r = revBase[j]; r < revBase[j] + revCount[j]; r++) {
      if (revList[r] >= n) throw new RangeValueError(`revList[${r}]`, revList[r], `0..${n - 1} (a synapse address)`, where);
    }
  }
  return { target, weight, delay, plastic, source, fwdBase, fwdCount, fwdPlastic, revBase, revCount, revList };
}
