// SPDX-License-Identifier: Apache-2.0
// Packing and unpacking of the core's memory words, driven by the field tables in spec.ts.
// The simulator, the memory layout, the driver and the test vectors all use these.

import { NEURON_PARAM_FIELDS, NEURON_STATE_FIELDS, RESET_MODE, type BitField } from "./spec.ts";
import { signExtend } from "./fixed.ts";
import type { NeuronParams } from "./network.ts";

/** Insert `value` into field `f` of `word` (BigInt, any width). */
export function setField(word: bigint, f: BitField, value: number): bigint {
  const mask = (1n << BigInt(f.width)) - 1n;
  return word | ((BigInt(value) & mask) << BigInt(f.lsb));
}

/** Extract field `f` of `word`, sign-extended when the field is signed. */
export function getField(word: bigint, f: BitField): number {
  const raw = Number((word >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n));
  return f.signed ? signExtend(raw, f.width) : raw;
}

/** Pack a record into a word using a field table. Values are truncated to their field widths. */
export function packWord<K extends string>(table: Readonly<Record<K, BitField>>, values: Readonly<Record<K, number>>): bigint {
  let word = 0n;
  for (const key of Object.keys(table) as K[]) word = setField(word, table[key], values[key]);
  return word;
}

/** Unpack a word into a record using a field table. */
export function unpackWord<K extends string>(table: Readonly<Record<K, BitField>>, word: bigint): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(table) as K[]) out[key] = getField(word, table[key]);
  return out;
}

/** The 32-bit neuron parameter word as a signed 32-bit integer (bit 31 = reset mode). */
export function encodeNeuronParams(p: NeuronParams): number {
  const word = packWord(NEURON_PARAM_FIELDS, {
    threshold: p.threshold,
    tauMemShift: p.tauMemShift,
    tauSynShift: p.tauSynShift,
    refractoryPeriod: p.refractoryPeriod,
    weightShift: p.weightShift,
    resetMode: RESET_MODE[p.resetMode],
  });
  return Number(BigInt.asIntN(32, word));
}

/** Inverse of `encodeNeuronParams`. */
export function decodeNeuronParams(word: number): NeuronParams {
  const f = unpackWord(NEURON_PARAM_FIELDS, BigInt.asUintN(32, BigInt(word)));
  return {
    threshold: f.threshold,
    tauMemShift: f.tauMemShift,
    tauSynShift: f.tauSynShift,
    refractoryPeriod: f.refractoryPeriod,
    weightShift: f.weightShift,
    resetMode: f.resetMode === RESET_MODE.subtract ? "subtract" : "zero",
  };
}

/** Neuron state as it sits in the state memory. */
export interface NeuronStateWord {
  readonly membrane: number;
  readonly current: number;
  readonly refractoryCount: number;
  readonly trace: number;
}

/** Pack a neuron state word (48 bits). */
export function encodeNeuronState(s: NeuronStateWord): bigint {
  return packWord(NEURON_STATE_FIELDS, { ...s, reserved: 0 });
}

/** Unpack a neuron state word. */
export function decodeNeuronState(word: bigint): NeuronStateWord {
  const f = unpackWord(NEURON_STATE_FIELDS, word);
  return { membrane: f.membrane, current: f.current, refractoryCount: f.refractoryCount, trace: f.trace };
}
