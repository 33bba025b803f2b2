// SPDX-License-Identifier: Apache-2.0
// The core image (`*.loci`): the binary a compiled network travels in, from `loci compile` to the
// simulator and the board. Magic, version, capability requirements, sections (neuron parameters,
// synapse words, learning settings, configuration, population map) and a CRC-32. Byte layout:
// docs/formats/core-image.md. The same network and metadata always encode to the same bytes.

import { crc32 } from "node:zlib";
import { CapacityError, FormatError, LociError, RangeValueError, formatValue } from "./errors.ts";
import { decodeLearning, decodeSynapse, layoutMemories, type CoreMemories } from "./memory-layout.ts";
import { validateNetwork, type Network, type SynapseTable } from "./network.ts";
import { CORE_SPEC_VERSION, CAPACITY_LIMITS, RANGES, deriveWidths, type Capacity } from "./spec.ts";
import { checkArray, checkEnum, checkInt, checkKnownKeys, checkNumber, checkObject, type Where } from "./validate.ts";
import type { NetworkLoader } from "./load.ts";
import { decodeNeuronParams } from "./words.ts";

/** First 8 bytes of every core image: 0x89 "LOCI" CR LF 0x1A (a text transfer or truncation shows). */
export const CORE_IMAGE_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x4c, 0x4f, 0x43, 0x49, 0x0d, 0x0a, 0x1a);
/** The image format version this code reads and writes. */
export const CORE_IMAGE_VERSION = 1;
/** Bytes in the fixed header (before the section table). */
export const CORE_IMAGE_HEADER_BYTES = 64;
/** Bytes per section table entry: tag, offset, length. */
const SECTION_ENTRY_BYTES = 12;
/** The sections of a version-1 image, in file order. */
export const CORE_IMAGE_SECTIONS = ["PARM", "SYNW", "LERN", "CONF", "META"] as const;
export type SectionTag = (typeof CORE_IMAGE_SECTIONS)[number];

// ---------------------------------------------------------------------------------------------
// Input encoding and readout: carried in the image so `loci eval` and `loci run` encode samples
// exactly as training did. The model file (compiler/model-file.ts) uses the same types.

/**
 * Deterministic rate code for intensities 0..255 over `steps` steps: a channel of intensity b spikes
 * at step t iff ⌊(t+1)·b·R / D⌋ > ⌊t·b·R / D⌋, R = round(maxRate · 65536), D = 255 · 65536.
 */
export interface RateEncoding {
  readonly kind: "rate";
  /** Steps per sample (1..1,000,000). */
  readonly steps: number;
  /** Spikes per step at intensity 255 (1/65536..1). */
  readonly maxRate: number;
}

/** One spike per channel with intensity b > 0, at step ⌊(255 − b)·(steps − 1) / 255⌋. */
export interface LatencyEncoding {
  readonly kind: "latency";
  readonly steps: number;
}

/** The sample is already spikes: a list of (step, channel) events. */
export interface EventEncoding {
  readonly kind: "events";
  readonly steps: number;
}

export type InputEncoding = RateEncoding | LatencyEncoding | EventEncoding;

/** Class readout over one sample: most spikes, or highest membrane after the last step; ties → lowest index. */
export type Readout = "spike-count" | "final-membrane";

/** Every readout, in documentation order. */
export const READOUTS: readonly Readout[] = ["spike-count", "final-membrane"];
/** Largest number of steps per sample. */
export const MAX_ENCODING_STEPS = 1_000_000;
const ENCODING_KEYS = { rate: ["kind", "steps", "maxRate"], latency: ["kind", "steps"], events: ["kind", "steps"] } as const;

/** Validate an input encoding object (field names are prefixed with `field`). */
export function checkEncoding(field: string, value: unknown, where: Where = {}): InputEncoding {
  const obj = checkObject(field, value, where);
  const kind = checkEnum(`${field}.kind`, obj.kind, ["rate", "latency", "events"] as const, where);
  checkKnownKeys(field, obj, ENCODING_KEYS[kind], where);
  checkInt(`${field}.steps`, obj.steps, { min: 1, max: MAX_ENCODING_STEPS }, where);
  if (kind === "rate") checkNumber(`${field}.maxRate`, obj.maxRate, { min: 1 / 65536, max: 1 }, where);
  return obj as unknown as InputEncoding;
}

/** Canonical key order of an encoding (for deterministic output). */
export function canonicalEncoding(encoding: InputEncoding): InputEncoding {
  return encoding.kind === "rate" ? { kind: "rate", steps: encoding.steps, maxRate: encoding.maxRate } : { kind: encoding.kind, steps: encoding.steps };
}

// ---------------------------------------------------------------------------------------------

/** Where a population of the source model sits on the core. */
export interface ImagePopulation {
  readonly name: string;
  /** "input": axons `first .. first+size−1`; "lif": neurons `first .. first+size−1`. */
  readonly kind: "input" | "lif";
  readonly first: number;
  readonly size: number;
  /** LIF only: integer weight LSBs per float weight unit (the compiler's scale). */
  readonly weightScale?: number;
  /** LIF only: the weightShift its neurons use (0..7). */
  readonly weightShift?: number;
}

/** What the image says about the model it came from (the META section). Every field is optional. */
export interface ImageMeta {
  /** The source model: its name and the SHA-256 of its canonical text. */
  readonly model?: { readonly name?: string; readonly digest?: string };
  /** Populations in model file order. Input channels are numbered over the input populations in this order. */
  readonly populations?: readonly ImagePopulation[];
  /** Name of the output population (a "lif" entry of `populations`). */
  readonly output?: string;
  readonly encoding?: InputEncoding;
  readonly readout?: Readout;
}

/** What a board must offer to run the image (the header). */
export interface ImageRequirements {
  readonly coreSpecVersion: number;
  /** The capacity the synapse words and source ids were laid out for. */
  readonly layoutCapacity: Capacity;
  readonly numNeurons: number;
  readonly numAxons: number;
  readonly numSynapses: number;
  /** Largest number of synapses into one neuron. */
  readonly maxFanIn: number;
  readonly numPlastic: number;
}

/** A decoded image: the network, the memories the core holds after programming it, and the metadata. */
export interface DecodedCoreImage {
  readonly version: number;
  readonly requirements: ImageRequirements;
  readonly network: Network;
  readonly memories: CoreMemories;
  readonly meta: ImageMeta;
  /** Sizes of the sections in bytes, by tag. */
  readonly sections: Readonly<Record<string, number>>;
  /** CRC-32 stored in (and checked against) the image. */
  readonly crc: number;
  /** Total bytes. */
  readonly bytes: number;
}

/** Bytes per synapse word in the image: 4 when the word fits 32 bits (the default build), else 8. */
export function synapseWordBytes(capacity: Capacity): 4 | 8 {
  return deriveWidths(capacity).synapseWord <= 32 ? 4 : 8;
}

function requirementsOf(net: Network): ImageRequirements {
  const s = net.synapses;
  const fanIn = new Int32Array(net.neurons.length);
  let plastic = 0;
  for (let k = 0; k < s.target.length; k++) {
    fanIn[s.target[k]]++;
    plastic += s.plastic[k];
  }
  return {
    coreSpecVersion: CORE_SPEC_VERSION,
    layoutCapacity: net.capacity,
    numNeurons: net.neurons.length,
    numAxons: net.numAxons,
    numSynapses: s.source.length,
    maxFanIn: fanIn.reduce((a, b) => Math.max(a, b), 0),
    numPlastic: plastic,
  };
}

const align4 = (n: number): number => (n + 3) & ~3;

/** The META section's JSON text: keys in a fixed order, no whitespace. */
function metaText(meta: ImageMeta): string {
  const out: Record<string, unknown> = {};
  if (meta.model !== undefined) {
    out.model = {
      ...(meta.model.name === undefined ? {} : { name: meta.model.name }),
      ...(meta.model.digest === undefined ? {} : { digest: meta.model.digest }),
    };
  }
  if (meta.populations !== undefined) {
    out.populations = meta.populations.map((p) => ({
      name: p.name,
      kind: p.kind,
      first: p.first,
      size: p.size,
      ...(p.weightScale === undefined ? {} : { weightScale: p.weightScale }),
      ...(p.weightShift === undefined ? {} : { weightShift: p.weightShift }),
    }));
  }
  if (meta.output !== undefined) out.output = meta.output;
  if (meta.encoding !== undefined) out.encoding = canonicalEncoding(meta.encoding);
  if (meta.readout !== undefined) out.readout = meta.readout;
  return JSON.stringify(out);
}

/**
 * Encode a validated network and its metadata as a core image. Deterministic: the same network
 * and metadata give the same bytes. The metadata is checked against the network first.
 */
export function encodeCoreImage(network: Network, meta: ImageMeta = {}): Uint8Array {
  const net = validateNetwork(network);
  const req = requirementsOf(net);
  checkMeta(meta, req, {});
  const mem = layoutMemories(net);
  const wordBytes = synapseWordBytes(net.capacity);
  const metaBytes = new TextEncoder().encode(metaText(meta));
  const lengths: Record<SectionTag, number> = {
    PARM: 4 * req.numNeurons,
    SYNW: wordBytes * req.numSynapses,
    LERN: 8,
    CONF: 16,
    META: metaBytes.length,
  };
  const tableEnd = CORE_IMAGE_HEADER_BYTES + SECTION_ENTRY_BYTES * CORE_IMAGE_SECTIONS.length;
  const offsets = {} as Record<SectionTag, number>;
  let end = tableEnd;
  for (const tag of CORE_IMAGE_SECTIONS) {
    end = align4(end);
    offsets[tag] = end;
    end += lengths[tag];
  }
  const total = align4(end) + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(CORE_IMAGE_MAGIC, 0);
  view.setUint16(8, CORE_IMAGE_VERSION, true);
  view.setUint16(10, req.coreSpecVersion, true);
  view.setUint32(12, total, true);
  const cap = net.capacity;
  [cap.neurons, cap.axons, cap.synapses, cap.maxFanIn, req.numNeurons, req.numAxons, req.numSynapses, req.maxFanIn, req.numPlastic].forEach((v, k) =>
    view.setUint32(16 + 4 * k, v, true),
  );
  view.setUint16(52, CORE_IMAGE_SECTIONS.length, true);
  view.setUint16(54, wordBytes, true);
  CORE_IMAGE_SECTIONS.forEach((tag, k) => {
    const at = CORE_IMAGE_HEADER_BYTES + SECTION_ENTRY_BYTES * k;
    for (let c = 0; c < 4; c++) bytes[at + c] = tag.charCodeAt(c);
    view.setUint32(at + 4, offsets[tag], true);
    view.setUint32(at + 8, lengths[tag], true);
  });
  mem.params.forEach((w, j) => view.setInt32(offsets.PARM + 4 * j, w, true));
  for (let k = 0; k < req.numSynapses; k++) {
    const at = offsets.SYNW + wordBytes * k;
    view.setUint32(at, mem.synapseLow[k], true);
    if (wordBytes === 8) view.setUint32(at + 4, mem.synapseHigh[k], true);
  }
  view.setBigUint64(offsets.LERN, mem.config.learning, true);
  [mem.config.numNeurons, mem.config.numAxons, mem.config.recordBase, mem.config.recordCount].forEach((v, k) =>
    view.setUint32(offsets.CONF + 4 * k, v, true),
  );
  bytes.set(metaBytes, offsets.META);
  view.setUint32(total - 4, crc32(bytes.subarray(0, total - 4)), true);
  return bytes;
}

/** True when the bytes start with the core image magic. */
export function isCoreImage(bytes: Uint8Array): boolean {
  if (bytes.length < CORE_IMAGE_MAGIC.length) return false;
  return CORE_IMAGE_MAGIC.every((b, k) => bytes[k] === b);
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

function corrupt(message: string, where: Where, field: string, value: unknown, allowed?: string): FormatError {
  return new FormatError(message, {
    context: { ...where, field, value, ...(allowed === undefined ? {} : { allowed }) },
    suggestion: "Compile the model again (loci compile); the image is damaged or was not written by Loci.",
  });
}

/**
 * Decode and check a core image: magic, version, length, CRC-32, core spec version, section table,
 * every field of every word (through `validateNetwork`), header against sections, and metadata
 * against the network. Throws a LociError naming the file and the first problem.
 */
export function decodeCoreImage(input: Uint8Array, where: Where = {}): DecodedCoreImage {
  const bytes = input;
  if (!isCoreImage(bytes)) {
    throw new FormatError(`not a Loci core image: the first bytes are ${formatValue(hex(bytes.subarray(0, 8)))}; a core image starts with ${hex(CORE_IMAGE_MAGIC)}`, {
      context: { ...where, field: "magic", value: hex(bytes.subarray(0, 8)), allowed: hex(CORE_IMAGE_MAGIC) },
      suggestion: "Pass a *.loci file written by `loci compile`.",
    });
  }
  if (bytes.length < CORE_IMAGE_HEADER_BYTES + 4) {
    throw corrupt(`truncated core image: ${bytes.length} bytes, shorter than the ${CORE_IMAGE_HEADER_BYTES}-byte header`, where, "length", bytes.length);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (version !== CORE_IMAGE_VERSION) {
    throw new FormatError(`core image version ${version} is not supported (this Loci reads version ${CORE_IMAGE_VERSION})`, {
      context: { ...where, field: "version", value: version, allowed: String(CORE_IMAGE_VERSION) },
      suggestion: version > CORE_IMAGE_VERSION ? "Upgrade Loci, or compile the model with this version." : "Compile the model again with this version of Loci.",
    });
  }
  const total = view.getUint32(12, true);
  if (bytes.length < total) {
    throw corrupt(`truncated core image: ${bytes.length} bytes, the header says ${total}`, where, "length", bytes.length, String(total));
  }
  if (bytes.length > total) {
    throw corrupt(`core image has ${bytes.length - total} unexpected bytes after its end (the header says ${total} bytes)`, where, "length", bytes.length, String(total));
  }
  const stored = view.getUint32(total - 4, true);
  const computed = crc32(bytes.subarray(0, total - 4));
  if (stored !== computed) {
    throw corrupt(
      `CRC mismatch: stored 0x${stored.toString(16).padStart(8, "0")}, computed 0x${computed.toString(16).padStart(8, "0")} (the image is corrupted)`,
      where,
      "crc",
      stored,
    );
  }
  const specVersion = view.getUint16(10, true);
  if (specVersion !== CORE_SPEC_VERSION) {
    throw new LociError("E_FORMAT", `${where.file === undefined ? "" : `${where.file}: `}the image needs core spec version ${specVersion}; this Loci implements version ${CORE_SPEC_VERSION}`, {
      context: { ...where, field: "coreSpecVersion", value: specVersion, allowed: String(CORE_SPEC_VERSION) },
      suggestion: "Compile the model again with this version of Loci.",
    });
  }
  const u32 = (at: number): number => view.getUint32(at, true);
  const layoutCapacity: Capacity = Object.freeze({ neurons: u32(16), axons: u32(20), synapses: u32(24), maxFanIn: u32(28) });
  for (const key of ["neurons", "axons", "synapses", "maxFanIn"] as const) {
    checkInt(`header.capacity.${key}`, layoutCapacity[key], CAPACITY_LIMITS[key], where);
  }
  const header = { numNeurons: u32(32), numAxons: u32(36), numSynapses: u32(40), maxFanIn: u32(44), numPlastic: u32(48) };
  const sectionCount = view.getUint16(52, true);
  const wordBytes = view.getUint16(54, true);
  if (wordBytes !== synapseWordBytes(layoutCapacity)) {
    throw corrupt(`header.synapseWordBytes = ${wordBytes} does not match the layout capacity`, where, "header.synapseWordBytes", wordBytes, String(synapseWordBytes(layoutCapacity)));
  }
  for (let at = 56; at < CORE_IMAGE_HEADER_BYTES; at++) {
    if (bytes[at] !== 0) throw corrupt(`header byte ${at} is reserved and must be 0`, where, `header[${at}]`, bytes[at], "0");
  }
  const tableEnd = CORE_IMAGE_HEADER_BYTES + SECTION_ENTRY_BYTES * sectionCount;
  if (tableEnd > total - 4) throw corrupt(`the section table (${sectionCount} entries) runs past the end`, where, "header.sectionCount", sectionCount);
  const sections = new Map<string, Uint8Array>();
  for (let k = 0; k < sectionCount; k++) {
    const at = CORE_IMAGE_HEADER_BYTES + SECTION_ENTRY_BYTES * k;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    const offset = u32(at + 4);
    const length = u32(at + 8);
    if (!/^[A-Za-z]{4}$/.test(tag)) throw corrupt(`section ${k} has an invalid tag ${formatValue(tag)}`, where, `section[${k}].tag`, tag);
    if (offset < tableEnd || offset % 4 !== 0 || offset + length > total - 4) {
      throw corrupt(`section ${tag} (offset ${offset}, ${length} bytes) lies outside the image`, where, `section[${k}]`, { offset, length }, `4-aligned inside ${tableEnd}..${total - 4}`);
    }
    if (sections.has(tag)) throw corrupt(`section ${tag} appears twice`, where, `section[${k}].tag`, tag);
    // Upper-case tags are required; a reader skips lower-case ("ancillary") sections it does not know.
    if (!(CORE_IMAGE_SECTIONS as readonly string[]).includes(tag) && tag[0] === tag[0].toUpperCase()) {
      throw corrupt(`unknown required section ${tag}`, where, `section[${k}].tag`, tag, CORE_IMAGE_SECTIONS.join(", "));
    }
    sections.set(tag, bytes.subarray(offset, offset + length));
  }
  const sectionBytes = (tag: SectionTag): Uint8Array => {
    const data = sections.get(tag);
    if (data === undefined) throw corrupt(`section ${tag} is missing`, where, "sections", [...sections.keys()], CORE_IMAGE_SECTIONS.join(", "));
    return data;
  };
  const section = (tag: SectionTag, expected: number): DataView => {
    const data = sectionBytes(tag);
    if (data.length !== expected) {
      throw corrupt(`section ${tag} has ${data.length} bytes; the header implies ${expected}`, where, `${tag}.length`, data.length, String(expected));
    }
    return new DataView(data.buffer, data.byteOffset, data.byteLength);
  };

  const conf = section("CONF", 16);
  const config = { numNeurons: conf.getUint32(0, true), numAxons: conf.getUint32(4, true), recordBase: conf.getUint32(8, true), recordCount: conf.getUint32(12, true) };
  if (config.numNeurons !== header.numNeurons || config.numAxons !== header.numAxons) {
    throw corrupt(
      `CONF says ${config.numNeurons} neurons and ${config.numAxons} axons; the header says ${header.numNeurons} and ${header.numAxons}`,
      where,
      "CONF",
      config,
    );
  }
  checkInt("CONF.numNeurons", config.numNeurons, { min: 1, max: layoutCapacity.neurons }, where);
  const parm = section("PARM", 4 * config.numNeurons);
  const neurons = Array.from({ length: config.numNeurons }, (_, j) => decodeNeuronParams(parm.getInt32(4 * j, true)));
  const synw = section("SYNW", wordBytes * header.numSynapses);
  const n = header.numSynapses;
  const table: SynapseTable = {
    source: new Int32Array(n),
    target: new Int32Array(n),
    weight: new Int8Array(n),
    delay: new Uint8Array(n),
    plastic: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const low = BigInt(synw.getUint32(wordBytes * k, true));
    const word = wordBytes === 8 ? low | (BigInt(synw.getUint32(wordBytes * k + 4, true)) << 32n) : low;
    const s = decodeSynapse(layoutCapacity, word);
    table.source[k] = s.source;
    table.target[k] = s.target;
    table.weight[k] = s.weight;
    table.delay[k] = s.delay;
    table.plastic[k] = s.plastic;
  }
  const network = validateNetwork(
    {
      capacity: layoutCapacity,
      numAxons: config.numAxons,
      neurons,
      synapses: table,
      learning: decodeLearning(section("LERN", 8).getBigUint64(0, true)),
      record: { base: config.recordBase, count: config.recordCount },
    },
    where,
  );
  const requirements = requirementsOf(network);
  for (const key of ["maxFanIn", "numPlastic"] as const) {
    if (requirements[key] !== header[key]) {
      throw corrupt(`header.${key} = ${header[key]}, but the synapses give ${requirements[key]}`, where, `header.${key}`, header[key], String(requirements[key]));
    }
  }
  let metaValue: unknown;
  try {
    metaValue = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(sectionBytes("META")));
  } catch (error) {
    throw new FormatError(`section META is not valid UTF-8 JSON (${(error as Error).message})`, { context: { ...where, field: "META" }, cause: error });
  }
  const meta = checkMeta(metaValue, requirements, where);
  const sizes: Record<string, number> = {};
  for (const [tag, data] of sections) sizes[tag] = data.length;
  return { version, requirements, network, memories: layoutMemories(network), meta, sections: sizes, crc: stored, bytes: total };
}

/** Validate image metadata against the network's sizes. */
function checkMeta(value: unknown, req: ImageRequirements, where: Where): ImageMeta {
  const obj = checkObject("META", value, where);
  checkKnownKeys("META", obj, ["model", "populations", "output", "encoding", "readout"], where);
  if (obj.model !== undefined) {
    const model = checkObject("META.model", obj.model, where);
    checkKnownKeys("META.model", model, ["name", "digest"], where);
    for (const key of ["name", "digest"] as const) {
      if (model[key] !== undefined && typeof model[key] !== "string") throw new RangeValueError(`META.model.${key}`, model[key], "a string", where);
    }
  }
  const names = new Map<string, "input" | "lif">();
  if (obj.populations !== undefined) {
    checkArray("META.populations", obj.populations, where).forEach((value, k) => {
      const f = `META.populations[${k}]`;
      const p = checkObject(f, value, where);
      checkKnownKeys(f, p, ["name", "kind", "first", "size", "weightScale", "weightShift"], where);
      if (typeof p.name !== "string" || p.name === "" || names.has(p.name)) throw new RangeValueError(`${f}.name`, p.name, "a unique non-empty string", where);
      const kind = checkEnum(`${f}.kind`, p.kind, ["input", "lif"] as const, where);
      const limit = kind === "input" ? req.numAxons : req.numNeurons;
      const first = checkInt(`${f}.first`, p.first, { min: 0, max: Math.max(0, limit - 1) }, where);
      checkInt(`${f}.size`, p.size, { min: 1, max: limit - first }, where);
      if (p.weightScale !== undefined) checkNumber(`${f}.weightScale`, p.weightScale, { min: Number.MIN_VALUE, max: Infinity }, where);
      if (p.weightShift !== undefined) checkInt(`${f}.weightShift`, p.weightShift, RANGES.weightShift, where);
      names.set(p.name, kind);
    });
  }
  if (obj.output !== undefined && names.get(obj.output as string) !== "lif") {
    const lifs = [...names].filter(([, kind]) => kind === "lif").map(([name]) => JSON.stringify(name));
    throw new RangeValueError("META.output", obj.output, lifs.length === 0 ? "no LIF population is listed" : lifs.join(", "), where);
  }
  if (obj.encoding !== undefined) checkEncoding("META.encoding", obj.encoding, where);
  if (obj.readout !== undefined) checkEnum("META.readout", obj.readout, READOUTS, where);
  return obj as ImageMeta;
}

/**
 * Axon of each input channel: channels are numbered over the image's input populations in their
 * listed order. Empty when the image lists no input population.
 */
export function inputChannelAxons(meta: ImageMeta): Int32Array {
  const axons: number[] = [];
  for (const p of meta.populations ?? []) if (p.kind === "input") for (let k = 0; k < p.size; k++) axons.push(p.first + k);
  return Int32Array.from(axons);
}

/** The neurons of the output population, `[first, first + size)`, or undefined when the image names none. */
export function outputNeurons(meta: ImageMeta): { first: number; size: number } | undefined {
  const p = meta.populations?.find((q) => q.name === meta.output && q.kind === "lif");
  return p === undefined ? undefined : { first: p.first, size: p.size };
}

/**
 * Check that a core of `capacity` can run an image as laid out: every requirement within the
 * capacity, and the same axon count (source ids of neurons are `axons + j`). Throws a
 * CapacityError listing every shortfall.
 */
export function checkImageFits(req: ImageRequirements, capacity: Capacity, where: Where = {}): void {
  const problems: string[] = [];
  if (req.coreSpecVersion !== CORE_SPEC_VERSION) problems.push(`core spec version ${req.coreSpecVersion} (the core implements ${CORE_SPEC_VERSION})`);
  if (req.numNeurons > capacity.neurons) problems.push(`${req.numNeurons} neurons (the core has ${capacity.neurons})`);
  if (req.numAxons > capacity.axons) problems.push(`${req.numAxons} axons (the core has ${capacity.axons})`);
  if (req.numSynapses > capacity.synapses) problems.push(`${req.numSynapses} synapses (the core holds ${capacity.synapses})`);
  if (req.maxFanIn > capacity.maxFanIn) problems.push(`fan-in ${req.maxFanIn} (the core allows ${capacity.maxFanIn})`);
  if (req.layoutCapacity.axons !== capacity.axons || req.layoutCapacity.neurons !== capacity.neurons) {
    problems.push(`a layout for ${req.layoutCapacity.axons} axons and ${req.layoutCapacity.neurons} neurons (the core has ${capacity.axons} and ${capacity.neurons})`);
  }
  if (problems.length > 0) {
    throw new CapacityError(`the image does not fit this core: it needs ${problems.join("; ")}`, {
      context: { ...where, field: "requirements", value: req },
      suggestion: "Compile the model for this core (loci compile --fit <board>).",
    });
  }
}

/** `loadNetwork` entry for core images: recognised by the magic bytes, decoded and checked. */
export const CORE_IMAGE_LOADER: NetworkLoader = {
  format: "core-image",
  detect: isCoreImage,
  load: (bytes, path) => decodeCoreImage(bytes, { file: path }).network,
};
