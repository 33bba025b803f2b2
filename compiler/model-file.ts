// SPDX-License-Identifier: Apache-2.0
// The model file (`*.model.json`, format "loci-model" version 1): a trained spatial network as
// positions, signs, gains and neuron parameters. Types, schema validation, reader and writer.
// The format is specified in docs/formats/model-file.md; training writes it, `loci compile` reads it.

import { createHash } from "node:crypto";
import { FormatError, LociError, RangeValueError, formatValue } from "../sim/errors.ts";
import { readFileBytes, writeFileAtomic } from "../sim/json-file.ts";
import { LEARNING_OFF, checkLearning, type LearningSettings } from "../sim/network.ts";
import { MAX_ENCODING_STEPS, READOUTS, canonicalEncoding, checkEncoding, type InputEncoding, type Readout } from "../sim/core-image.ts";
import { RANGES, RESET_MODE, type ResetMode } from "../sim/spec.ts";
import {
  checkArray,
  checkBool,
  checkEnum,
  checkInt,
  checkKnownKeys,
  checkNumber,
  checkObject,
  type Where,
} from "../sim/validate.ts";

/** The `format` tag of every model file. */
export const MODEL_FORMAT = "loci-model";
/** The model file version this code reads and writes. */
export const MODEL_VERSION = 1;
/** Largest number of spatial dimensions a model may use. */
export const MAX_DIMENSIONS = 64;
/** Largest population size (neurons or input channels). */
export const MAX_POPULATION_SIZE = 1 << 20;
export { MAX_ENCODING_STEPS };

/** Population names: letters, digits, `_`, `-`, `.`; starting with a letter or `_`. */
export const POPULATION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** A point in d-dimensional space (d = `LociModel.dimensions`), in distance units. */
export type Position = readonly number[];

/** Parameters of the LIF neurons of one population, in the units training uses. */
export interface LifNeuronModel {
  /**
   * Firing threshold in float weight units (> 0): a neuron spikes when its membrane, which sums
   * weights `s_i · gain / distance`, reaches it. One value for the population, or one per neuron.
   */
  readonly threshold: number | readonly number[];
  /** Membrane decay as the core does it: factor (1 − 2^−k) per step; 15 = no decay (0..15). */
  readonly tauMemShift: number;
  /** Synaptic current decay: factor (1 − 2^−k) per step; 0 = this step's input only; 15 = no decay. */
  readonly tauSynShift: number;
  /** Steps the membrane is held after a spike (0..15). */
  readonly refractoryPeriod: number;
  /** After a spike: "zero" sets v = 0, "subtract" sets v = v − threshold. */
  readonly resetMode: ResetMode;
}

interface PopulationBase {
  /** Unique name (see `POPULATION_NAME`). */
  readonly name: string;
  /** Number of neurons (LIF) or channels (input), 1..2^20. */
  readonly size: number;
  /** One position per member, each with `dimensions` finite coordinates (distance units). */
  readonly positions: readonly Position[];
  /**
   * One learned sign per member (+1 or −1): the sign of every weight leaving it. Required when
   * the population is the source of a projection.
   */
  readonly signs?: readonly number[];
}

/** Input channels: each member becomes one input axon of the core. */
export interface InputPopulation extends PopulationBase {
  readonly kind: "input";
}

/** Leaky integrate-and-fire neurons: each member becomes one neuron of the core. */
export interface LifPopulation extends PopulationBase {
  readonly kind: "lif";
  readonly neuron: LifNeuronModel;
}

export type Population = InputPopulation | LifPopulation;

/** A pre/post pair inside a projection: `[pre index in from, post index in to]`. */
export type Connection = readonly [number, number];

/**
 * All-to-all connections from one population to another (or to itself), with weights
 * `w_ij = s_i · gain_j / max(‖p_i − p_j‖, minDistance)` and delays from the same distance.
 */
export interface Projection {
  /** Source population (input or LIF). */
  readonly from: string;
  /** Target population (LIF). */
  readonly to: string;
  /** Positive gain: one for the projection, or one per target neuron (length = size of `to`). */
  readonly gain: number | readonly number[];
  /** Synapses learn by STDP on the core when learning is enabled. Default false. */
  readonly plastic?: boolean;
  /** Conduction velocity for this projection (distance units per step, > 0); default `geometry.velocity`. */
  readonly velocity?: number;
  /** Ignore distance for delays: every synapse gets this delay (steps, 1..16). */
  readonly fixedDelay?: number;
  /** For a projection from a population to itself: keep i → i synapses. Default false. */
  readonly selfConnections?: boolean;
  /** Explicit connection mask: only these pairs exist. Exclusive with `pruned`. */
  readonly mask?: readonly Connection[];
  /** Pruning list: these pairs are removed (e.g. pruned during training). Exclusive with `mask`. */
  readonly pruned?: readonly Connection[];
}

/** Geometry shared by all projections. */
export interface Geometry {
  /** Distances below this are clipped to it (distance units, > 0): 1/d is unbounded at 0. */
  readonly minDistance: number;
  /** Conduction velocity (distance units per step, > 0): delay = distance / velocity steps. */
  readonly velocity: number;
}

export type { EventEncoding, InputEncoding, LatencyEncoding, RateEncoding, Readout } from "../sim/core-image.ts";

/** A JSON value (for free-form metadata). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Where the model came from and how good it is. */
export interface ModelMetadata {
  readonly name?: string;
  readonly description?: string;
  /** Dataset name, e.g. "mnist". */
  readonly dataset?: string;
  /** Accuracies as fractions 0..1, by name, e.g. {"test-float": 0.921, "test-quantized": 0.915}. */
  readonly accuracy?: Readonly<Record<string, number>>;
  /** Free-form training information: epochs, learning rate, seed, backend, duration... */
  readonly training?: { readonly [key: string]: JsonValue };
  /** Tool that wrote the file, e.g. "loci train 0.1.0". */
  readonly createdBy?: string;
  /** ISO 8601 time the file was written. */
  readonly createdAt?: string;
}

/** A complete model file, as read (defaults are not filled in; see docs/formats/model-file.md). */
export interface LociModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  /** Dimensions d of every position (1..64). */
  readonly dimensions: number;
  readonly geometry: Geometry;
  readonly populations: readonly Population[];
  readonly projections: readonly Projection[];
  /** Name of the LIF population whose spikes are the network's output. */
  readonly output: string;
  readonly encoding: InputEncoding;
  /** Default "spike-count". */
  readonly readout?: Readout;
  /** STDP settings as the core's integers; missing fields take the `LEARNING_OFF` values. */
  readonly learning?: Partial<LearningSettings>;
  readonly metadata?: ModelMetadata;
}

const TOP_KEYS = [
  "format", "version", "dimensions", "geometry", "populations", "projections", "output",
  "encoding", "readout", "learning", "metadata",
] as const;
const POPULATION_KEYS = ["name", "kind", "size", "positions", "signs", "neuron"] as const;
const NEURON_KEYS = ["threshold", "tauMemShift", "tauSynShift", "refractoryPeriod", "resetMode"] as const;
const PROJECTION_KEYS = ["from", "to", "gain", "plastic", "velocity", "fixedDelay", "selfConnections", "mask", "pruned"] as const;
const GEOMETRY_KEYS = ["minDistance", "velocity"] as const;
const LEARNING_KEYS = Object.keys(LEARNING_OFF) as (keyof LearningSettings)[];
const METADATA_KEYS = ["name", "description", "dataset", "accuracy", "training", "createdBy", "createdAt"] as const;

/** Require a finite number > 0. */
function checkPositive(field: string, value: unknown, where: Where): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeValueError(field, value, "finite number > 0", where);
  }
  return value;
}

function checkString(field: string, value: unknown, where: Where): string {
  if (typeof value !== "string") throw new RangeValueError(field, value, "a string", where);
  return value;
}

function checkPositives(field: string, value: unknown, size: number, where: Where): number | number[] {
  if (typeof value === "number" || !Array.isArray(value)) return checkPositive(field, value, where);
  if (value.length !== size) throw new RangeValueError(`${field}.length`, value.length, `${size} (one per target neuron)`, where);
  value.forEach((v, k) => checkPositive(`${field}[${k}]`, v, where));
  return value as number[];
}

function checkJson(field: string, value: unknown, where: Where, depth = 0): JsonValue {
  if (depth > 32) throw new FormatError(`${field} is nested too deeply (at most 32 levels)`, { context: { ...where, field } });
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return checkNumber(field, value, { min: -Infinity, max: Infinity }, where);
  if (Array.isArray(value)) {
    value.forEach((v, k) => checkJson(`${field}[${k}]`, v, where, depth + 1));
    return value as JsonValue[];
  }
  const obj = checkObject(field, value, where);
  for (const [k, v] of Object.entries(obj)) checkJson(`${field}.${k}`, v, where, depth + 1);
  return obj as { [key: string]: JsonValue };
}

function checkPopulation(field: string, value: unknown, dimensions: number, where: Where): Population {
  const obj = checkObject(field, value, where);
  checkKnownKeys(field, obj, POPULATION_KEYS, where);
  const name = checkString(`${field}.name`, obj.name, where);
  if (!POPULATION_NAME.test(name)) {
    throw new RangeValueError(`${field}.name`, name, "1-64 characters A-Z a-z 0-9 _ - ., starting with a letter or _", where);
  }
  const kind = checkEnum(`${field}.kind`, obj.kind, ["input", "lif"] as const, where);
  const size = checkInt(`${field}.size`, obj.size, { min: 1, max: MAX_POPULATION_SIZE }, where);
  const positions = checkArray(`${field}.positions`, obj.positions, where);
  if (positions.length !== size) {
    throw new RangeValueError(`${field}.positions.length`, positions.length, `${size} (= size, one position per member)`, where);
  }
  for (let k = 0; k < size; k++) {
    const p = checkArray(`${field}.positions[${k}]`, positions[k], where);
    if (p.length !== dimensions) {
      throw new RangeValueError(`${field}.positions[${k}].length`, p.length, `${dimensions} (= dimensions)`, where);
    }
    for (let c = 0; c < dimensions; c++) {
      const x = p[c];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new RangeValueError(`${field}.positions[${k}][${c}]`, x, "a finite number (NaN is written as null by JSON)", where);
      }
    }
  }
  if (obj.signs !== undefined) {
    const signs = checkArray(`${field}.signs`, obj.signs, where);
    if (signs.length !== size) throw new RangeValueError(`${field}.signs.length`, signs.length, `${size} (= size)`, where);
    signs.forEach((s, k) => {
      if (s !== 1 && s !== -1) throw new RangeValueError(`${field}.signs[${k}]`, s, "1 or -1", where);
    });
  }
  const base = { name, kind, size, positions: positions as Position[], ...(obj.signs === undefined ? {} : { signs: obj.signs as number[] }) };
  if (kind === "input") {
    if (obj.neuron !== undefined) {
      throw new LociError("E_UNKNOWN_FIELD", `${where.file === undefined ? "" : `${where.file}: `}${field}.neuron is not allowed on an input population`, {
        context: { ...where, field: `${field}.neuron` },
        suggestion: 'Remove "neuron", or set "kind": "lif".',
      });
    }
    return base as InputPopulation;
  }
  const nf = `${field}.neuron`;
  const neuron = checkObject(nf, obj.neuron, where);
  checkKnownKeys(nf, neuron, NEURON_KEYS, where);
  checkPositives(`${nf}.threshold`, neuron.threshold, size, where);
  checkInt(`${nf}.tauMemShift`, neuron.tauMemShift, RANGES.tauShift, where);
  checkInt(`${nf}.tauSynShift`, neuron.tauSynShift, RANGES.tauShift, where);
  checkInt(`${nf}.refractoryPeriod`, neuron.refractoryPeriod, RANGES.refractoryPeriod, where);
  checkEnum(`${nf}.resetMode`, neuron.resetMode, Object.keys(RESET_MODE) as ResetMode[], where);
  return { ...base, neuron: neuron as unknown as LifNeuronModel } as LifPopulation;
}

function checkPairs(field: string, value: unknown, fromSize: number, toSize: number, where: Where): Connection[] {
  const list = checkArray(field, value, where);
  list.forEach((pair, k) => {
    const p = checkArray(`${field}[${k}]`, pair, where);
    if (p.length !== 2) throw new RangeValueError(`${field}[${k}].length`, p.length, "2 ([pre, post])", where);
    checkInt(`${field}[${k}][0]`, p[0], { min: 0, max: fromSize - 1 }, where);
    checkInt(`${field}[${k}][1]`, p[1], { min: 0, max: toSize - 1 }, where);
  });
  return list as Connection[];
}

function findPopulation(field: string, name: unknown, byName: Map<string, Population>, where: Where): Population {
  const pop = typeof name === "string" ? byName.get(name) : undefined;
  if (pop === undefined) {
    const known = [...byName.keys()].map((n) => JSON.stringify(n)).join(", ");
    throw new RangeValueError(field, name, `the name of a population: ${known}`, where);
  }
  return pop;
}

function checkProjection(field: string, value: unknown, byName: Map<string, Population>, where: Where): Projection {
  const obj = checkObject(field, value, where);
  checkKnownKeys(field, obj, PROJECTION_KEYS, where);
  const from = findPopulation(`${field}.from`, obj.from, byName, where);
  const to = findPopulation(`${field}.to`, obj.to, byName, where);
  if (to.kind !== "lif") {
    throw new RangeValueError(`${field}.to`, to.name, "a LIF population (input populations receive no synapses)", where);
  }
  if (from.signs === undefined) {
    throw new FormatError(`populations "${from.name}" has no signs, but ${field} starts from it: give one sign (+1 or -1) per member`, {
      context: { ...where, field: `${field}.from`, value: from.name },
    });
  }
  checkPositives(`${field}.gain`, obj.gain, to.size, where);
  if (obj.plastic !== undefined) checkBool(`${field}.plastic`, obj.plastic, where, false);
  if (obj.velocity !== undefined) checkPositive(`${field}.velocity`, obj.velocity, where);
  if (obj.fixedDelay !== undefined) checkInt(`${field}.fixedDelay`, obj.fixedDelay, RANGES.delay, where);
  if (obj.selfConnections !== undefined) checkBool(`${field}.selfConnections`, obj.selfConnections, where, false);
  if (obj.mask !== undefined && obj.pruned !== undefined) {
    throw new FormatError(`${field} has both "mask" and "pruned"; give at most one`, { context: { ...where, field: `${field}.mask` } });
  }
  if (obj.mask !== undefined) checkPairs(`${field}.mask`, obj.mask, from.size, to.size, where);
  if (obj.pruned !== undefined) checkPairs(`${field}.pruned`, obj.pruned, from.size, to.size, where);
  return obj as unknown as Projection;
}

function checkMetadata(value: unknown, where: Where): ModelMetadata {
  const obj = checkObject("metadata", value, where);
  checkKnownKeys("metadata", obj, METADATA_KEYS, where);
  for (const key of ["name", "description", "dataset", "createdBy", "createdAt"] as const) {
    if (obj[key] !== undefined) checkString(`metadata.${key}`, obj[key], where);
  }
  if (obj.accuracy !== undefined) {
    const acc = checkObject("metadata.accuracy", obj.accuracy, where);
    for (const [k, v] of Object.entries(acc)) checkNumber(`metadata.accuracy.${k}`, v, { min: 0, max: 1 }, where);
  }
  if (obj.training !== undefined) {
    checkObject("metadata.training", obj.training, where);
    checkJson("metadata.training", obj.training, where);
  }
  return obj as ModelMetadata;
}

/**
 * Validate a parsed JSON value as a model file; returns it typed. Throws a LociError naming the
 * file, the field, the value and the allowed range on the first problem; unknown fields are rejected.
 */
export function validateModel(value: unknown, where: Where = {}): LociModel {
  const obj = checkObject("(top level)", value, where);
  if (obj.format !== MODEL_FORMAT) {
    throw new FormatError(`not a Loci model file: format = ${formatValue(obj.format)} (expected "${MODEL_FORMAT}")`, {
      context: { ...where, field: "format", value: obj.format, allowed: `"${MODEL_FORMAT}"` },
    });
  }
  if (obj.version !== MODEL_VERSION) {
    throw new FormatError(`model file version ${formatValue(obj.version)} is not supported (this Loci reads version ${MODEL_VERSION})`, {
      context: { ...where, field: "version", value: obj.version, allowed: String(MODEL_VERSION) },
      suggestion: typeof obj.version === "number" && obj.version > MODEL_VERSION ? "Upgrade Loci to read newer model files." : undefined,
    });
  }
  checkKnownKeys("", obj, TOP_KEYS, where);
  const dimensions = checkInt("dimensions", obj.dimensions, { min: 1, max: MAX_DIMENSIONS }, where);
  const geometry = checkObject("geometry", obj.geometry, where);
  checkKnownKeys("geometry", geometry, GEOMETRY_KEYS, where);
  checkPositive("geometry.minDistance", geometry.minDistance, where);
  checkPositive("geometry.velocity", geometry.velocity, where);

  const populations = checkArray("populations", obj.populations, where);
  if (populations.length === 0) throw new RangeValueError("populations.length", 0, "at least 1", where);
  const byName = new Map<string, Population>();
  populations.forEach((p, k) => {
    const pop = checkPopulation(`populations[${k}]`, p, dimensions, where);
    if (byName.has(pop.name)) throw new RangeValueError(`populations[${k}].name`, pop.name, "a name not used by another population", where);
    byName.set(pop.name, pop);
  });
  const projections = checkArray("projections", obj.projections, where);
  const pairs = new Map<string, number>();
  projections.forEach((p, k) => {
    const proj = checkProjection(`projections[${k}]`, p, byName, where);
    const key = `${proj.from}\u0000${proj.to}`;
    const earlier = pairs.get(key);
    if (earlier !== undefined) {
      throw new FormatError(`projections[${k}] repeats ${proj.from} → ${proj.to} (projections[${earlier}]); merge them`, {
        context: { ...where, field: `projections[${k}]` },
      });
    }
    pairs.set(key, k);
  });
  const output = findPopulation("output", obj.output, byName, where);
  if (output.kind !== "lif") throw new RangeValueError("output", output.name, "a LIF population", where);
  checkEncoding("encoding", obj.encoding, where);
  if (obj.readout !== undefined) checkEnum("readout", obj.readout, READOUTS, where);
  if (obj.learning !== undefined) {
    const learning = checkObject("learning", obj.learning, where);
    checkKnownKeys("learning", learning, LEARNING_KEYS, where);
    checkLearning("learning", { ...LEARNING_OFF, ...learning } as LearningSettings, where);
  }
  if (obj.metadata !== undefined) checkMetadata(obj.metadata, where);
  return obj as unknown as LociModel;
}

/** Parse model file text (JSON) and validate it. */
export function parseModel(text: string, where: Where = {}): LociModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const nonFinite = /[[:,]\s*-?(NaN|Infinity)\b/.test(text);
    const trimmed = text.trimEnd();
    const truncated = trimmed.length === 0 || !/[}\]]$/.test(trimmed);
    const why = nonFinite
      ? "it contains NaN or Infinity, which JSON cannot hold (a non-finite position, gain or threshold?)"
      : truncated
        ? "it ends early (truncated file?)"
        : "it is not valid JSON";
    throw new FormatError(`cannot read the model file: ${why}`, {
      context: { ...where, detail },
      cause: error,
      suggestion: nonFinite ? "Fix the training run that produced non-finite values, then write the file again." : undefined,
    });
  }
  return validateModel(value, where);
}

/**
 * The canonical text of a model: keys in schema order, number arrays on one line, two-space
 * indentation, a final newline. Validates first; the same model always gives the same text.
 */
export function serializeModel(model: LociModel): string {
  validateModel(model);
  const text = JSON.stringify(canonical(model), null, 2);
  // Put each array of plain numbers on one line: positions, signs and pairs stay readable.
  return `${text.replace(/\[\s+(-?[\d.eE+-]+(?:,\s+-?[\d.eE+-]+)*)\s+\]/g, (_m, body: string) => `[${body.replace(/,\s+/g, ", ")}]`)}\n`;
}

/** Reorder keys of a model into schema order (unknown keys cannot occur after validation). */
function canonical(model: LociModel): unknown {
  const order = <T extends object>(obj: T, keys: readonly string[]): T => {
    const out: Record<string, unknown> = {};
    for (const k of keys) if ((obj as Record<string, unknown>)[k] !== undefined) out[k] = (obj as Record<string, unknown>)[k];
    return out as T;
  };
  return order(
    {
      ...model,
      geometry: order(model.geometry, GEOMETRY_KEYS),
      populations: model.populations.map((p) =>
        order(p.kind === "lif" ? { ...p, neuron: order(p.neuron, NEURON_KEYS) } : p, POPULATION_KEYS),
      ),
      projections: model.projections.map((p) => order(p, PROJECTION_KEYS)),
      encoding: canonicalEncoding(model.encoding),
      ...(model.learning === undefined ? {} : { learning: order(model.learning, LEARNING_KEYS) }),
      ...(model.metadata === undefined ? {} : { metadata: order(model.metadata, METADATA_KEYS) }),
    },
    TOP_KEYS,
  );
}

/** Read and validate a model file. Errors name the file. */
export function readModelFile(path: string): LociModel {
  return parseModel(readFileBytes(path).toString("utf8").replace(/^\uFEFF/, ""), { file: path });
}

/** Validate and write a model file in canonical form (atomically: a failure leaves no partial file). */
export function writeModelFile(path: string, model: LociModel): void {
  writeFileAtomic(path, serializeModel(model));
}

/** SHA-256 (hex) of the canonical text: identifies a model independently of formatting. */
export function modelDigest(model: LociModel): string {
  return createHash("sha256").update(serializeModel(model)).digest("hex");
}

/** The population with this name (the model must be valid). */
export function populationByName(model: LociModel, name: string): Population {
  const pop = model.populations.find((p) => p.name === name);
  if (pop === undefined) throw new RangeValueError("population", name, model.populations.map((p) => JSON.stringify(p.name)).join(", "));
  return pop;
}
