// SPDX-License-Identifier: Apache-2.0
// The board's memories as the link addresses them (docs/protocol.md §6): ids, depths, word sizes,
// access, and the conversion between a CoreMemories image / the core's state and wire words.
// Every word is at most 53 bits, so a word is a plain non-negative JS number.

import { deriveWidths, DELAY_SLOTS, NEURON_STATE_FIELDS, type Capacity } from "../../sim/spec.ts";
import type { CoreConfig, CoreMemories } from "../../sim/memory-layout.ts";
import { signExtend } from "../../sim/fixed.ts";

/** Memory ids. */
export const MEMORY = {
  PARAMS: 0,
  SYNAPSES: 1,
  FANOUT_PTR: 2,
  FANIN_PTR: 3,
  FANIN_LIST: 4,
  CONFIG: 5,
  STATE: 6,
  RING: 7,
  AXON_TRACE: 8,
  COUNTERS: 9,
  WEIGHTS: 10,
} as const;
export type MemoryName = keyof typeof MEMORY;

/** CONFIG register addresses. */
export const CONFIG_REG = { numNeurons: 0, numAxons: 1, recordBase: 2, recordCount: 3, learningLow: 4, learningHigh: 5 } as const;
/** Words in CONFIG. */
export const CONFIG_WORDS = 6;
/** COUNTERS word addresses. */
export const COUNTER_REG = {
  steps: 0,
  cycles: 1,
  lastStepCycles: 2,
  spikes: 3,
  inputEvents: 4,
  synapticEvents: 5,
  outputEvents: 6,
  stallCycles: 7,
} as const;
/** Words in COUNTERS. */
export const COUNTER_WORDS = 8;

/** Geometry of one memory for a capacity. */
export interface MemoryGeometry {
  readonly id: number;
  readonly name: MemoryName;
  /** Words. */
  readonly depth: number;
  /** Significant bits per word (the rest of its bytes must be zero). */
  readonly bits: number;
  /** Bytes per word on the wire. */
  readonly wordBytes: number;
  readonly writable: boolean;
}

/** Bytes of each half of a pointer entry (base, then count). */
export function pointerHalfBytes(cap: Capacity): number {
  return Math.ceil(deriveWidths(cap).synapseCount / 8);
}

/** The memory map of a capacity, indexed by id. */
export function memoryMap(cap: Capacity): readonly MemoryGeometry[] {
  const w = deriveWidths(cap);
  const half = pointerHalfBytes(cap);
  const g = (name: MemoryName, depth: number, bits: number, writable: boolean, wordBytes = Math.ceil(bits / 8)): MemoryGeometry => ({
    id: MEMORY[name],
    name,
    depth,
    bits,
    wordBytes,
    writable,
  });
  return [
    g("PARAMS", cap.neurons, 32, true),
    g("SYNAPSES", cap.synapses, w.synapseWord, true),
    g("FANOUT_PTR", cap.axons + cap.neurons, 16 * half, true, 2 * half),
    g("FANIN_PTR", cap.neurons, 16 * half, true, 2 * half),
    g("FANIN_LIST", cap.synapses, w.synapseAddress, true),
    g("CONFIG", CONFIG_WORDS, 32, true),
    g("STATE", cap.neurons, 48, false),
    g("RING", cap.neurons * DELAY_SLOTS, w.ring, false),
    g("AXON_TRACE", cap.axons, 8, false),
    g("COUNTERS", COUNTER_WORDS, 32, false),
    g("WEIGHTS", cap.synapses, 8, false),
  ];
}

/** Words per DATA or WRITE frame for a word size. */
export function wordsPerFrame(maxPayload: number, wordBytes: number): number {
  return Math.floor((maxPayload - 8) / wordBytes);
}

/** Pack non-negative word values (< 2^53) into little-endian bytes of `wordBytes` each. */
export function packWords(values: ArrayLike<number>, wordBytes: number): Uint8Array {
  const out = new Uint8Array(values.length * wordBytes);
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    for (let b = 0; b < wordBytes; b++) {
      out[i * wordBytes + b] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  return out;
}

/** Unpack little-endian words of `wordBytes` bytes each. */
export function unpackWords(bytes: Uint8Array, wordBytes: number): number[] {
  const n = Math.floor(bytes.length / wordBytes);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let b = wordBytes - 1; b >= 0; b--) v = v * 256 + bytes[i * wordBytes + b];
    out[i] = v;
  }
  return out;
}

/** True when every word in `bytes` fits in `bits` (the bytes above are zero). */
export function wordsFit(bytes: Uint8Array, wordBytes: number, bits: number): boolean {
  if (bits >= wordBytes * 8) return true;
  for (let i = 0; i < bytes.length; i += wordBytes) {
    for (let b = 0; b < wordBytes; b++) {
      const lo = b * 8;
      const allowed = bits <= lo ? 0 : bits >= lo + 8 ? 0xff : (1 << (bits - lo)) - 1;
      if ((bytes[i + b] & ~allowed) !== 0) return false;
    }
  }
  return true;
}

/** Pointer entries as words: base in the low half, count in the high half. */
export function pointerWords(base: ArrayLike<number>, count: ArrayLike<number>, half: number, from = 0, to = base.length): number[] {
  const scale = 2 ** (8 * half);
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(base[i] + count[i] * scale);
  return out;
}

/** Split pointer words into base and count. */
export function splitPointers(words: readonly number[], half: number): { base: number[]; count: number[] } {
  const scale = 2 ** (8 * half);
  return { base: words.map((w) => w % scale), count: words.map((w) => Math.floor(w / scale)) };
}

/** The CONFIG words of a configuration. */
export function configWords(config: CoreConfig): number[] {
  return [
    config.numNeurons,
    config.numAxons,
    config.recordBase,
    config.recordCount,
    Number(config.learning & 0xffffffffn),
    Number(config.learning >> 32n),
  ];
}

/** A configuration from CONFIG words. */
export function configFromWords(words: readonly number[]): CoreConfig {
  return {
    numNeurons: words[CONFIG_REG.numNeurons],
    numAxons: words[CONFIG_REG.numAxons],
    recordBase: words[CONFIG_REG.recordBase],
    recordCount: words[CONFIG_REG.recordCount],
    learning: BigInt(words[CONFIG_REG.learningLow]) | (BigInt(words[CONFIG_REG.learningHigh]) << 32n),
  };
}

/** One contiguous write of an image. */
export interface ImageRegion {
  readonly memory: number;
  readonly name: MemoryName;
  readonly addr: number;
  /** Word values. */
  readonly words: readonly number[];
  readonly wordBytes: number;
}

/** Synapse word values of an image (low + high parts). */
export function synapseWords(mem: CoreMemories): number[] {
  return Array.from(mem.synapseLow, (lo, k) => lo + mem.synapseHigh[k] * 2 ** 32);
}

/**
 * What flashing an image writes (docs/protocol.md §6, "Flashing an image"): CONFIG, the neuron
 * parameters in use, the synapses, the fan-out pointers of the sources in use, the fan-in pointers
 * and the fan-in list. Empty regions are left out.
 */
export function imageRegions(mem: CoreMemories): ImageRegion[] {
  const cap = mem.capacity;
  const map = memoryMap(cap);
  const half = pointerHalfBytes(cap);
  const { numNeurons, numAxons } = mem.config;
  const region = (name: MemoryName, addr: number, words: number[]): ImageRegion => ({ memory: MEMORY[name], name, addr, words, wordBytes: map[MEMORY[name]].wordBytes });
  const out = [
    region("CONFIG", 0, configWords(mem.config)),
    region("PARAMS", 0, Array.from(mem.params.subarray(0, numNeurons), (p) => p >>> 0)),
    region("SYNAPSES", 0, synapseWords(mem)),
    region("FANOUT_PTR", 0, pointerWords(mem.fwdBase, mem.fwdCount, half, 0, numAxons)),
    region("FANOUT_PTR", cap.axons, pointerWords(mem.fwdBase, mem.fwdCount, half, cap.axons, cap.axons + numNeurons)),
    region("FANIN_PTR", 0, pointerWords(mem.revBase, mem.revCount, half, 0, numNeurons)),
    region("FANIN_LIST", 0, Array.from(mem.revList)),
  ];
  return out.filter((r) => r.words.length > 0);
}

/** Neuron state word value from its fields. */
export function stateWord(membrane: number, current: number, refractory: number, trace: number): number {
  const f = NEURON_STATE_FIELDS;
  return (
    (membrane & 0xffff) * 2 ** f.membrane.lsb +
    (current & 0xffff) * 2 ** f.current.lsb +
    refractory * 2 ** f.refractoryCount.lsb +
    trace * 2 ** f.trace.lsb
  );
}

/** Fields of a neuron state word value. */
export function stateFields(word: number): { membrane: number; current: number; refractory: number; trace: number } {
  const f = NEURON_STATE_FIELDS;
  const field = (b: { lsb: number; width: number }): number => Math.floor(word / 2 ** b.lsb) % 2 ** b.width;
  return {
    membrane: signExtend(field(f.membrane), 16),
    current: signExtend(field(f.current), 16),
    refractory: field(f.refractoryCount),
    trace: field(f.trace),
  };
}
