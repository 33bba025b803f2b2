// SPDX-License-Identifier: Apache-2.0
// The core's memories as words: what the RTL holds after programming, what the driver writes
// over the link and what co-simulation vectors load. A network maps to exactly one layout.
//
//   PARAM    numNeurons words   neuron parameter words (NEURON_PARAM_FIELDS)
//   SYNAPSE  numSynapses words  synapse words (synapseFields), in memory order
//   FWD_PTR  (axons + neurons) entries of {base, count}, indexed by source id; unused = {0, 0}
//   REV_PTR  neurons entries of {base, count} into REV_LIST: plastic synapses into neuron j
//   REV_LIST numPlastic words   synapse addresses, grouped by target, ascending within a target
//   CONFIG   numNeurons, numAxons, learning settings word, record window

import type { Network } from "./network.ts";
import { LEARNING_FIELDS, synapseFields, type Capacity } from "./spec.ts";
import { encodeNeuronParams, packWord, unpackWord } from "./words.ts";

/** Global configuration registers. */
export interface CoreConfig {
  readonly numNeurons: number;
  readonly numAxons: number;
  /** Learning settings word (LEARNING_FIELDS). */
  readonly learning: bigint;
  readonly recordBase: number;
  readonly recordCount: number;
}

/** Every host-visible memory of the core after programming a network. */
export interface CoreMemories {
  readonly capacity: Capacity;
  /** Neuron parameter words, signed 32-bit view. */
  readonly params: Int32Array;
  /** Synapse words (width `deriveWidths(capacity).synapseWord`, at most 53 bits), as BigInt-free pairs: low 32 bits. */
  readonly synapseLow: Uint32Array;
  /** Synapse words, bits above 31 (source id high bits). */
  readonly synapseHigh: Uint32Array;
  /** Fan-out pointers per source id (length axons + neurons of the capacity). */
  readonly fwdBase: Uint32Array;
  readonly fwdCount: Uint32Array;
  /** Plastic fan-in pointers per neuron (length capacity.neurons). */
  readonly revBase: Uint32Array;
  readonly revCount: Uint32Array;
  /** Plastic fan-in list: synapse addresses. */
  readonly revList: Uint32Array;
  readonly config: CoreConfig;
}

/** Encode the learning settings register. */
export function encodeLearning(net: Pick<Network, "learning">): bigint {
  const l = net.learning;
  return packWord(LEARNING_FIELDS, {
    enabled: l.enabled ? 1 : 0,
    tauTraceShift: l.tauTraceShift,
    traceIncrement: l.traceIncrement,
    aPlus: l.aPlus,
    aMinus: l.aMinus,
    learnShift: l.learnShift,
    wMin: l.wMin,
    wMax: l.wMax,
  });
}

/** Decode the learning settings register. */
export function decodeLearning(word: bigint): Network["learning"] {
  const f = unpackWord(LEARNING_FIELDS, word);
  return {
    enabled: f.enabled === 1,
    tauTraceShift: f.tauTraceShift,
    traceIncrement: f.traceIncrement,
    aPlus: f.aPlus,
    aMinus: f.aMinus,
    learnShift: f.learnShift,
    wMin: f.wMin,
    wMax: f.wMax,
  };
}

/** Encode one synapse word as a BigInt. */
export function encodeSynapse(capacity: Capacity, s: { weight: number; target: number; delay: number; plastic: number; source: number }): bigint {
  return packWord(synapseFields(capacity), {
    weight: s.weight,
    target: s.target,
    delay: s.delay - 1,
    plastic: s.plastic,
    source: s.source,
  });
}

/** Decode one synapse word (delay returned in steps, 1..16). */
export function decodeSynapse(capacity: Capacity, word: bigint): { weight: number; target: number; delay: number; plastic: number; source: number } {
  const f = unpackWord(synapseFields(capacity), word);
  return { weight: f.weight, target: f.target, delay: f.delay + 1, plastic: f.plastic, source: f.source };
}

/**
 * Lay a validated network out in the core's memories. Deterministic: synapses keep the
 * network's memory order, each source's fan-out list is its contiguous run, empty lists point
 * at 0, and each neuron's plastic fan-in list holds the plastic synapse addresses that target
 * it, ascending, lists ordered by neuron.
 */
export function layoutMemories(net: Network): CoreMemories {
  const cap = net.capacity;
  const s = net.synapses;
  const n = s.source.length;
  const numNeurons = net.neurons.length;
  const synapseLow = new Uint32Array(n);
  const synapseHigh = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const word = encodeSynapse(cap, { weight: s.weight[k], target: s.target[k], delay: s.delay[k], plastic: s.plastic[k], source: s.source[k] });
    synapseLow[k] = Number(word & 0xffffffffn);
    synapseHigh[k] = Number(word >> 32n);
  }
  const sources = cap.axons + cap.neurons;
  const fwdBase = new Uint32Array(sources);
  const fwdCount = new Uint32Array(sources);
  for (let k = 0; k < n; k++) {
    if (fwdCount[s.source[k]]++ === 0) fwdBase[s.source[k]] = k;
  }
  const revCount = new Uint32Array(cap.neurons);
  for (let k = 0; k < n; k++) if (s.plastic[k] === 1) revCount[s.target[k]]++;
  const revBase = new Uint32Array(cap.neurons);
  let next = 0;
  for (let j = 0; j < numNeurons; j++) {
    revBase[j] = revCount[j] === 0 ? 0 : next;
    next += revCount[j];
  }
  const revList = new Uint32Array(next);
  const fill = Uint32Array.from(revBase);
  for (let k = 0; k < n; k++) if (s.plastic[k] === 1) revList[fill[s.target[k]]++] = k;
  return {
    capacity: cap,
    params: Int32Array.from(net.neurons, encodeNeuronParams),
    synapseLow,
    synapseHigh,
    fwdBase,
    fwdCount,
    revBase,
    revCount,
    revList,
    config: {
      numNeurons,
      numAxons: net.numAxons,
      learning: encodeLearning(net),
      recordBase: net.record.base,
      recordCount: net.record.count,
    },
  };
}
