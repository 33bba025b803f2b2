// SPDX-License-Identifier: Apache-2.0
// The `loci-network` JSON format (version 1, docs/formats/network-file.md): a network as users
// and tests write it. Strict reading (unknown fields rejected; every error names the file, the
// field, the value and the allowed range) and a writer whose output reads back identically.

import { CapacityError, FormatError, RangeValueError } from "./errors.ts";
import { checkFormatHeader, parseJsonText, readFileBytes, writeFileAtomic } from "./json-file.ts";
import {
  DEFAULT_NEURON,
  allocateSynapseTable,
  LEARNING_OFF,
  checkLearning,
  checkNeuronParams,
  sourceName,
  validateNetwork,
  type LearningSettings,
  type Network,
  type NeuronParams,
  type SynapseTable,
} from "./network.ts";
import { CAPACITY_LIMITS, RANGES, UP5K_CAPACITY, type Capacity, type ResetMode } from "./spec.ts";
import { checkArray, checkBool, checkInt, checkKnownKeys, checkObject, type Where } from "./validate.ts";

/** Format name in the file header. */
export const NETWORK_FORMAT = "loci-network";
/** The network file version this code reads and writes. */
export const NETWORK_VERSION = 1;

const TOP_KEYS = ["format", "version", "description", "capacity", "numAxons", "neurons", "synapses", "learning", "record"] as const;
const NEURON_KEYS = ["threshold", "tauMemShift", "tauSynShift", "refractoryPeriod", "weightShift", "resetMode"] as const;
const LEARNING_KEYS = ["enabled", "tauTraceShift", "traceIncrement", "aPlus", "aMinus", "learnShift", "wMin", "wMax"] as const;
const CAPACITY_KEYS = ["neurons", "axons", "synapses", "maxFanIn"] as const;
const SOURCE_PATTERN = /^([an])(0|[1-9][0-9]*)$/;

/** Parse a capacity: "up5k" or an object whose missing fields take the UP5K values. */
function parseCapacity(value: unknown, where: Where): Capacity {
  if (value === undefined || value === "up5k") return UP5K_CAPACITY;
  if (typeof value === "string") throw new RangeValueError("capacity", value, `"up5k" or an object {${CAPACITY_KEYS.join(", ")}}`, where);
  const obj = checkObject("capacity", value, where);
  checkKnownKeys("capacity", obj, CAPACITY_KEYS, where);
  const out: Record<(typeof CAPACITY_KEYS)[number], number> = { ...UP5K_CAPACITY };
  for (const key of CAPACITY_KEYS) {
    if (obj[key] !== undefined) out[key] = checkInt(`capacity.${key}`, obj[key], CAPACITY_LIMITS[key], where);
  }
  return Object.freeze(out);
}

/** Parse a (partial) neuron parameter object over `base`; every present field is range-checked. */
function parseNeuronParams(field: string, value: unknown, base: NeuronParams, extraKeys: readonly string[], where: Where): NeuronParams {
  const obj = checkObject(field, value, where);
  checkKnownKeys(field, obj, [...NEURON_KEYS, ...extraKeys], where);
  const merged: Record<string, unknown> = { ...base };
  for (const key of NEURON_KEYS) if (obj[key] !== undefined) merged[key] = obj[key];
  return checkNeuronParams(field, merged as unknown as NeuronParams, where);
}

function parseNeurons(value: unknown, capacity: Capacity, where: Where): NeuronParams[] {
  const obj = checkObject("neurons", value, where);
  checkKnownKeys("neurons", obj, ["count", "defaults", "overrides"], where);
  if (typeof obj.count === "number" && Number.isInteger(obj.count) && obj.count > capacity.neurons) {
    throw new CapacityError(`neurons.count = ${obj.count} exceeds the core's ${capacity.neurons} neurons`, {
      context: { ...where, field: "neurons.count", value: obj.count, allowed: `1..${capacity.neurons}` },
      suggestion: "Use fewer neurons, or declare a larger \"capacity\" for simulation only.",
    });
  }
  const count = checkInt("neurons.count", obj.count, { min: 1, max: capacity.neurons }, where);
  const defaults = obj.defaults === undefined ? DEFAULT_NEURON : parseNeuronParams("neurons.defaults", obj.defaults, DEFAULT_NEURON, [], where);
  const neurons: NeuronParams[] = Array.from({ length: count }, () => defaults);
  const seen = new Set<number>();
  checkArray("neurons.overrides", obj.overrides ?? [], where).forEach((entry, k) => {
    const field = `neurons.overrides[${k}]`;
    const index = checkInt(`${field}.index`, checkObject(field, entry, where).index, { min: 0, max: count - 1 }, where);
    if (seen.has(index)) throw new RangeValueError(`${field}.index`, index, "an index not overridden before", where);
    seen.add(index);
    neurons[index] = parseNeuronParams(field, entry, defaults, ["index"], where);
  });
  return neurons;
}

/** Parse a source name "a<axon>" or "n<neuron>" into a source id. */
function parseSource(field: string, value: unknown, capacity: Capacity, numAxons: number, numNeurons: number, where: Where): number {
  const allowed = `"a0".."a${numAxons - 1}" (axon) or "n0".."n${numNeurons - 1}" (neuron)`;
  const m = typeof value === "string" ? SOURCE_PATTERN.exec(value) : null;
  if (m === null) throw new RangeValueError(field, value, allowed, where);
  const index = Number(m[2]);
  const limit = m[1] === "a" ? numAxons : numNeurons;
  if (index >= limit) throw new RangeValueError(field, value, allowed, where);
  return m[1] === "a" ? index : capacity.axons + index;
}

interface Row {
  readonly source: number;
  readonly target: number;
  readonly weight: number;
  readonly delay: number;
  readonly plastic: number;
}

function parseSynapses(value: unknown, capacity: Capacity, numAxons: number, numNeurons: number, where: Where): SynapseTable {
  const rows = checkArray("synapses", value ?? [], where);
  if (rows.length > capacity.synapses) {
    throw new CapacityError(`the network needs ${rows.length} synapses; the core holds ${capacity.synapses}`, {
      context: { ...where, field: "synapses", value: rows.length, allowed: `0..${capacity.synapses}` },
      suggestion: "Prune the network (loci compile --sparsity s or --fit <board>).",
    });
  }
  const parsed: Row[] = rows.map((row, k) => {
    const field = `synapses[${k}]`;
    if (!Array.isArray(row) || row.length < 3 || row.length > 5) {
      throw new RangeValueError(field, row, "a row [source, target, weight, delay?, plastic?]", where);
    }
    return {
      source: parseSource(`${field}.source`, row[0], capacity, numAxons, numNeurons, where),
      target: checkInt(`${field}.target`, row[1], { min: 0, max: numNeurons - 1 }, where),
      weight: checkInt(`${field}.weight`, row[2], RANGES.weight, where),
      delay: checkInt(`${field}.delay`, row[3] ?? 1, RANGES.delay, where),
      plastic: checkBool(`${field}.plastic`, row[4] ?? 0, where) ? 1 : 0,
    };
  });
  // Memory order: grouped by ascending source id, file order within a source (a stable sort).
  const order = parsed.map((_, k) => k).sort((x, y) => parsed[x].source - parsed[y].source || x - y);
  const n = parsed.length;
  const table = allocateSynapseTable(n);
  order.forEach((k, pos) => {
    const r = parsed[k];
    table.source[pos] = r.source;
    table.target[pos] = r.target;
    table.weight[pos] = r.weight;
    table.delay[pos] = r.delay;
    table.plastic[pos] = r.plastic;
  });
  return table;
}

function parseLearning(value: unknown, where: Where): LearningSettings {
  if (value === undefined) return LEARNING_OFF;
  const obj = checkObject("learning", value, where);
  checkKnownKeys("learning", obj, LEARNING_KEYS, where);
  const merged: Record<string, unknown> = { ...LEARNING_OFF };
  for (const key of LEARNING_KEYS) if (obj[key] !== undefined) merged[key] = obj[key];
  return checkLearning("learning", merged as unknown as LearningSettings, where);
}

/**
 * Parse a `loci-network` v1 document (already JSON-decoded) into a validated Network. Throws a
 * LociError naming the first bad field; nothing is returned half-checked.
 */
export function parseNetwork(doc: unknown, where: Where = {}): Network {
  const obj = checkFormatHeader(doc, NETWORK_FORMAT, NETWORK_VERSION, where);
  checkKnownKeys("", obj, TOP_KEYS, where);
  if (obj.description !== undefined && typeof obj.description !== "string") {
    throw new RangeValueError("description", obj.description, "a string", where);
  }
  const capacity = parseCapacity(obj.capacity, where);
  const numAxons = checkInt("numAxons", obj.numAxons, { min: 0, max: capacity.axons }, where);
  if (obj.neurons === undefined) throw new FormatError("missing field neurons", { context: { ...where, field: "neurons" } });
  const neurons = parseNeurons(obj.neurons, capacity, where);
  const synapses = parseSynapses(obj.synapses, capacity, numAxons, neurons.length, where);
  const learning = parseLearning(obj.learning, where);
  let record = { base: 0, count: neurons.length };
  if (obj.record !== undefined) {
    const r = checkObject("record", obj.record, where);
    checkKnownKeys("record", r, ["base", "count"], where);
    const base = checkInt("record.base", r.base, { min: 0, max: neurons.length }, where);
    record = { base, count: checkInt("record.count", r.count, { min: 0, max: neurons.length - base }, where) };
  }
  return validateNetwork({ capacity, numAxons, neurons, synapses, learning, record }, where);
}

/** Read and validate a network file. */
export function readNetworkFile(path: string): Network {
  const text = readFileBytes(path).toString("utf8");
  return parseNetwork(parseJsonText(text, { file: path }), { file: path });
}

function sameParams(a: NeuronParams, b: NeuronParams): boolean {
  return NEURON_KEYS.every((key) => a[key] === b[key]);
}

function paramDiff(p: NeuronParams, base: NeuronParams): Partial<Record<(typeof NEURON_KEYS)[number], number | ResetMode>> {
  const out: Partial<Record<(typeof NEURON_KEYS)[number], number | ResetMode>> = {};
  for (const key of NEURON_KEYS) if (p[key] !== base[key]) out[key] = p[key];
  return out;
}

/**
 * Render a network as a `loci-network` v1 document: the most common parameter set becomes
 * `neurons.defaults`, other neurons are overrides, synapses are rows in memory order. Reading
 * the result back gives an equal network (same memory order, same fields).
 */
export function formatNetwork(net: Network, description?: string): string {
  validateNetwork(net);
  // The most common parameter set (ties: the one seen first) becomes the defaults block.
  const groups: { params: NeuronParams; count: number }[] = [];
  for (const p of net.neurons) {
    const g = groups.find((x) => sameParams(x.params, p));
    if (g === undefined) groups.push({ params: p, count: 1 });
    else g.count++;
  }
  const defaults = groups.reduce((best, g) => (g.count > best.count ? g : best)).params;
  const overrides = net.neurons.flatMap((p, index) => (sameParams(p, defaults) ? [] : [{ index, ...paramDiff(p, defaults) }]));
  const cap = net.capacity;
  const isUp5k = CAPACITY_KEYS.every((k) => cap[k] === UP5K_CAPACITY[k]);
  const s = net.synapses;
  const rows: string[] = [];
  for (let k = 0; k < s.source.length; k++) {
    const row: (string | number)[] = [sourceName(cap, s.source[k]), s.target[k], s.weight[k], s.delay[k], s.plastic[k]];
    rows.push(`    ${JSON.stringify(row).replace(/,/g, ", ")}`);
  }
  const fullDefaults: Record<string, unknown> = {};
  for (const key of NEURON_KEYS) fullDefaults[key] = defaults[key];
  const learning: Record<string, unknown> = {};
  for (const key of LEARNING_KEYS) learning[key] = net.learning[key];
  const parts = [`  "format": "${NETWORK_FORMAT}"`, `  "version": ${NETWORK_VERSION}`];
  if (description !== undefined) parts.push(`  "description": ${JSON.stringify(description)}`);
  if (!isUp5k) parts.push(`  "capacity": ${JSON.stringify({ neurons: cap.neurons, axons: cap.axons, synapses: cap.synapses, maxFanIn: cap.maxFanIn })}`);
  parts.push(`  "numAxons": ${net.numAxons}`);
  const overrideLines = overrides.map((o) => `      ${JSON.stringify(o)}`);
  parts.push(
    `  "neurons": {\n    "count": ${net.neurons.length},\n    "defaults": ${JSON.stringify(fullDefaults)},\n` +
      `    "overrides": ${overrides.length === 0 ? "[]" : `[\n${overrideLines.join(",\n")}\n    ]`}\n  }`,
  );
  parts.push(`  "synapses": ${rows.length === 0 ? "[]" : `[\n${rows.join(",\n")}\n  ]`}`);
  parts.push(`  "learning": ${JSON.stringify(learning)}`);
  parts.push(`  "record": ${JSON.stringify(net.record)}`);
  return `{\n${parts.join(",\n")}\n}\n`;
}

/** Write a network file atomically. */
export function writeNetworkFile(path: string, net: Network, description?: string): void {
  writeFileAtomic(path, formatNetwork(net, description));
}
