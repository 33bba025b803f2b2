// SPDX-License-Identifier: Apache-2.0
// Co-simulation vectors and traces (docs/formats/vectors.md). A case is a memory image plus a
// script (reset, runs with their input events, learning changes, state dumps). `writeVectors`
// renders it for the Verilator harness; `expectedTrace` runs it through the simulator and
// writes the trace the RTL must reproduce; `diffTraces` is the one diff tool for both sides.

import { FormatError, LociError } from "./errors.ts";
import { decodeLearning, encodeLearning, layoutMemories, type CoreMemories } from "./memory-layout.ts";
import { checkCapacity, checkLearning, type LearningSettings, type Network } from "./network.ts";
import { Simulator } from "./simulator.ts";
import { DELAY_SLOTS, deriveWidths } from "./spec.ts";
import type { Where } from "./validate.ts";

/** First line of a vector file (format name and version). */
export const VECTORS_HEADER = "loci-vectors 1";
/** First line of a trace file. */
export const TRACE_HEADER = "loci-trace 1";

/** One action of a co-simulation script, executed in order after the image is loaded and reset. */
export type CosimAction =
  /** Clear the dynamic state and the counters (the core's reset). */
  | { readonly kind: "reset" }
  /**
   * Run `inputs.length` steps in one run; `inputs[s]` are the axons spiking at step s of the
   * run. `jitter` (a seed, 0 = none) makes the harness throttle both event streams at random,
   * which stalls the core without changing any result.
   */
  | { readonly kind: "run"; readonly inputs: readonly (readonly number[])[]; readonly jitter?: number }
  /** Write the learning settings register (between runs). */
  | { readonly kind: "learning"; readonly settings: LearningSettings }
  /** Write a state record: step counter, v, i, refractory, trace of every neuron, axon traces. */
  | { readonly kind: "dump" }
  /** Write the weights of every synapse (memory order). */
  | { readonly kind: "weights" }
  /** Write the delay ring of every neuron in use. */
  | { readonly kind: "ring" }
  /** Write the counters. */
  | { readonly kind: "counters" };

/** A co-simulation case. */
export interface CosimCase {
  /** Name (letters, digits, `-`, `_`, `.`); names the vector and trace files. */
  readonly name: string;
  /** The network, or its memory image. */
  readonly network: Network | CoreMemories;
  readonly actions: readonly CosimAction[];
}

const NAME_RE = /^[A-Za-z0-9_.-]+$/;

function memoriesOf(c: CosimCase): CoreMemories {
  if (!NAME_RE.test(c.name)) {
    throw new LociError("E_RANGE", `case name ${JSON.stringify(c.name)} must use only letters, digits, "-", "_" and "."`, {
      context: { field: "name", value: c.name },
    });
  }
  return "synapseLow" in c.network ? c.network : layoutMemories(c.network);
}

/** Render a case as a vector file (the image, a reset, then the script). */
export function writeVectors(c: CosimCase): string {
  const mem = memoriesOf(c);
  const cap = mem.capacity;
  if (deriveWidths(cap).synapseWord > 32) {
    throw new LociError("E_CAPACITY", `case ${c.name}: vector files carry 32-bit synapse words; this capacity needs ${deriveWidths(cap).synapseWord} bits`, {
      context: { field: "capacity", value: cap },
    });
  }
  const { numNeurons, numAxons, recordBase, recordCount } = mem.config;
  const out: string[] = [VECTORS_HEADER, `case ${c.name}`, `capacity ${cap.neurons} ${cap.axons} ${cap.synapses} ${cap.maxFanIn}`];
  out.push(`config ${numNeurons} ${numAxons} ${recordBase} ${recordCount}`);
  out.push(`learning ${mem.config.learning.toString(16)}`);
  for (let j = 0; j < numNeurons; j++) out.push(`param ${j} ${(mem.params[j] >>> 0).toString(16)}`);
  for (let k = 0; k < mem.synapseLow.length; k++) out.push(`synapse ${k} ${mem.synapseLow[k].toString(16)}`);
  const sources = [...range(0, numAxons), ...range(cap.axons, cap.axons + numNeurons)];
  for (const s of sources) out.push(`fwd ${s} ${mem.fwdBase[s]} ${mem.fwdCount[s]}`);
  for (let j = 0; j < numNeurons; j++) out.push(`rev ${j} ${mem.revBase[j]} ${mem.revCount[j]}`);
  for (let r = 0; r < mem.revList.length; r++) out.push(`list ${r} ${mem.revList[r]}`);
  out.push("reset");
  for (const action of c.actions) {
    switch (action.kind) {
      case "reset":
        out.push("reset");
        break;
      case "run":
        out.push(`run ${action.inputs.length}${action.jitter ? ` ${action.jitter}` : ""}`);
        for (const step of action.inputs) out.push(`in ${step.length}${step.map((a) => ` ${a}`).join("")}`);
        break;
      case "learning":
        out.push(`learning ${encodeLearning({ learning: checkLearning("learning", action.settings) }).toString(16)}`);
        break;
      case "weights":
        out.push(`weights ${mem.synapseLow.length}`);
        break;
      case "ring":
        out.push(`ring ${numNeurons}`);
        break;
      default:
        out.push(action.kind);
        break;
    }
  }
  out.push("end", "");
  return out.join("\n");
}

/** Run a case through the simulator and render the trace the RTL must reproduce. */
export function expectedTrace(c: CosimCase): string {
  const mem = memoriesOf(c);
  const sim = new Simulator(mem);
  const { recordBase, recordCount } = mem.config;
  const out: string[] = [TRACE_HEADER, `case ${c.name}`];
  let lastCycles = 0;
  for (const action of c.actions) {
    switch (action.kind) {
      case "reset":
        sim.reset();
        lastCycles = 0;
        break;
      case "run":
        for (const inputs of action.inputs) {
          const r = sim.stepOnce(inputs);
          lastCycles = r.cycles;
          const recorded = [...r.spikes].filter((j) => j >= recordBase && j < recordBase + recordCount);
          out.push(`S ${r.step} ${r.cycles} ${recorded.length}${recorded.map((j) => ` ${j}`).join("")}`);
        }
        break;
      case "learning":
        sim.setLearning(action.settings);
        break;
      case "dump": {
        const s = sim.snapshot();
        out.push(`D ${s.step}`);
        out.push(`V${join(s.membrane)}`, `I${join(s.current)}`, `R${join(s.refractory)}`, `T${join(s.neuronTrace)}`, `A${join(s.axonTrace)}`);
        break;
      }
      case "weights":
        out.push(`W${join(sim.weights())}`);
        break;
      case "ring":
        out.push(`G${join(sim.snapshot().ring)}`);
        break;
      case "counters": {
        const k = sim.counters();
        out.push(`C ${k.steps} ${k.cycles} ${lastCycles} ${k.spikes} ${k.inputEvents} ${k.synapticEvents} ${k.outputEvents}`);
        break;
      }
    }
  }
  out.push("end", "");
  return out.join("\n");
}

function join(values: ArrayLike<number>): string {
  let s = "";
  for (let k = 0; k < values.length; k++) s += ` ${values[k]}`;
  return s;
}

function* range(from: number, to: number): Generator<number> {
  for (let k = from; k < to; k++) yield k;
}

/**
 * Read a vector file back into a case (the inverse of `writeVectors`): the image becomes a
 * memory image, the script after the image's `reset` becomes the actions. Throws E_FORMAT
 * naming the file and line of the first malformed line.
 */
export function parseVectors(text: string, where: Where = {}): CosimCase {
  const lines = text.split("\n");
  let lineNo = 0;
  const bad = (what: string): never => {
    throw new FormatError(`line ${lineNo}: ${what}`, { context: { ...where, line: lineNo }, suggestion: "See docs/formats/vectors.md for the vector format." });
  };
  const int = (token: string | undefined, field: string, max: number): number => {
    if (token === undefined || !/^\d+$/.test(token)) return bad(`${field} must be a decimal integer, got ${JSON.stringify(token ?? "nothing")}`);
    const v = Number(token);
    if (!Number.isSafeInteger(v) || v > max) return bad(`${field} = ${token} is out of range (0..${max})`);
    return v;
  };
  const hex = (token: string | undefined, field: string, bits: number): bigint => {
    if (token === undefined || !/^[0-9a-f]+$/.test(token)) return bad(`${field} must be lower-case hex, got ${JSON.stringify(token ?? "nothing")}`);
    const v = BigInt(`0x${token}`);
    if (v >> BigInt(bits) !== 0n) return bad(`${field} = ${token} has more than ${bits} bits`);
    return v;
  };
  const arity = (t: string[], n: number): void => {
    if (t.length !== n + 1) bad(`"${t[0]}" takes ${n} values, got ${t.length - 1}`);
  };
  let k = 0;
  const next = (): string[] | undefined => {
    while (k < lines.length) {
      lineNo = k + 1;
      const raw = lines[k++].trim();
      if (raw !== "" && !raw.startsWith("#")) return raw.split(/\s+/);
    }
    return undefined;
  };
  const head = next();
  if (head === undefined || head.join(" ") !== VECTORS_HEADER) bad(`the first line must be "${VECTORS_HEADER}"`);

  let name: string | undefined;
  let cap: CoreMemories["capacity"] | undefined;
  let config = { numNeurons: 0, numAxons: 0, recordBase: 0, recordCount: 0, learning: 0n };
  const params = new Map<number, number>();
  const synapses = new Map<number, number>();
  const fwd = new Map<number, [number, number]>();
  const rev = new Map<number, [number, number]>();
  const list = new Map<number, number>();
  const actions: CosimAction[] = [];
  let inScript = false;
  let ended = false;
  const needCap = (): NonNullable<typeof cap> => cap ?? bad("the `capacity` line must come before the image");
  for (let t = next(); t !== undefined; t = next()) {
    if (ended) bad("text after `end`");
    const key = t[0];
    if (key === "end") {
      arity(t, 0);
      ended = true;
      continue;
    }
    if (!inScript) {
      switch (key) {
        case "case":
          arity(t, 1);
          if (!NAME_RE.test(t[1])) bad(`case name ${JSON.stringify(t[1])} must use letters, digits, "-", "_", "."`);
          name = t[1];
          continue;
        case "capacity":
          arity(t, 4);
          cap = checkCapacity({ neurons: int(t[1], "neurons", 2 ** 20), axons: int(t[2], "axons", 2 ** 20), synapses: int(t[3], "synapses", 2 ** 26), maxFanIn: int(t[4], "maxFanIn", 2 ** 16) }, where);
          continue;
        case "config": {
          arity(t, 4);
          const c = needCap();
          config = { ...config, numNeurons: int(t[1], "numNeurons", c.neurons), numAxons: int(t[2], "numAxons", c.axons), recordBase: int(t[3], "recordBase", c.neurons), recordCount: int(t[4], "recordCount", c.neurons) };
          continue;
        }
        case "learning":
          arity(t, 1);
          config = { ...config, learning: hex(t[1], "learning", 49) };
          continue;
        case "param":
          arity(t, 2);
          params.set(int(t[1], "neuron", needCap().neurons - 1), Number(BigInt.asIntN(32, hex(t[2], "parameter word", 32))));
          continue;
        case "synapse":
          arity(t, 2);
          synapses.set(int(t[1], "synapse address", needCap().synapses - 1), Number(hex(t[2], "synapse word", 32)));
          continue;
        case "fwd": {
          arity(t, 3);
          const c = needCap();
          fwd.set(int(t[1], "source", c.axons + c.neurons - 1), [int(t[2], "base", c.synapses - 1), int(t[3], "count", c.synapses)]);
          continue;
        }
        case "rev": {
          arity(t, 3);
          const c = needCap();
          rev.set(int(t[1], "neuron", c.neurons - 1), [int(t[2], "base", c.synapses - 1), int(t[3], "count", c.synapses)]);
          continue;
        }
        case "list":
          arity(t, 2);
          list.set(int(t[1], "list entry", needCap().synapses - 1), int(t[2], "synapse address", needCap().synapses - 1));
          continue;
        case "reset":
          arity(t, 0);
          inScript = true;
          continue;
        default:
          bad(`${JSON.stringify(key)} is not an image line (the image ends with "reset")`);
      }
    }
    switch (key) {
      case "reset":
      case "dump":
      case "counters":
        arity(t, 0);
        actions.push({ kind: key });
        break;
      case "weights":
        arity(t, 1);
        if (int(t[1], "count", 2 ** 26) !== synapses.size) bad(`weights ${t[1]}: the image has ${synapses.size} synapses`);
        actions.push({ kind: "weights" });
        break;
      case "ring":
        arity(t, 1);
        if (int(t[1], "neurons", 2 ** 20) !== config.numNeurons) bad(`ring ${t[1]}: the image has ${config.numNeurons} neurons`);
        actions.push({ kind: "ring" });
        break;
      case "learning":
        arity(t, 1);
        actions.push({ kind: "learning", settings: decodeLearning(hex(t[1], "learning", 49)) });
        break;
      case "run": {
        if (t.length !== 2 && t.length !== 3) bad("`run` takes STEPS and an optional JITTER seed");
        const steps = int(t[1], "steps", 1_000_000);
        const jitter = t.length === 3 ? int(t[2], "jitter", 2 ** 32 - 1) : 0;
        const inputs: number[][] = [];
        for (let s = 0; s < steps; s++) {
          const u = next();
          if (u === undefined) return bad(`run ${steps} needs ${steps} "in" lines; the file ends after ${s}`);
          if (u[0] !== "in") bad(`expected "in COUNT AXON..." for step ${s} of the run`);
          const n = int(u[1], "COUNT", needCap().axons);
          if (u.length !== n + 2) bad(`"in ${n}" lists ${u.length - 2} axons`);
          inputs.push(u.slice(2).map((a) => int(a, "axon", needCap().axons - 1)));
        }
        actions.push(jitter === 0 ? { kind: "run", inputs } : { kind: "run", inputs, jitter });
        break;
      }
      default:
        bad(`${JSON.stringify(key)} is not a script line`);
    }
  }
  if (!ended) bad("the file ends without `end` (truncated?)");
  if (name === undefined) bad("no `case NAME` line");
  if (!inScript) bad("the image is not followed by `reset`");
  const c = needCap();
  const dense = (m: Map<number, number>, what: string): number[] => {
    const out = Array.from({ length: m.size }, (_, i) => m.get(i));
    const gap = out.findIndex((v) => v === undefined);
    if (gap >= 0) bad(`${what} ${gap} is missing (entries must be 0..${m.size - 1})`);
    return out as number[];
  };
  const synapseLow = Uint32Array.from(dense(synapses, "synapse"));
  const paramWords = Int32Array.from(dense(params, "param"));
  if (paramWords.length !== config.numNeurons) bad(`${paramWords.length} param lines for numNeurons ${config.numNeurons}`);
  const fwdBase = new Uint32Array(c.axons + c.neurons);
  const fwdCount = new Uint32Array(c.axons + c.neurons);
  for (const [src, [base, count]] of fwd) [fwdBase[src], fwdCount[src]] = [base, count];
  const revBase = new Uint32Array(c.neurons);
  const revCount = new Uint32Array(c.neurons);
  for (const [j, [base, count]] of rev) [revBase[j], revCount[j]] = [base, count];
  const memories: CoreMemories = {
    capacity: c,
    params: paramWords,
    synapseLow,
    synapseHigh: new Uint32Array(synapseLow.length),
    fwdBase,
    fwdCount,
    revBase,
    revCount,
    revList: Uint32Array.from(dense(list, "list entry")),
    config,
  };
  return { name: name!, network: memories, actions };
}

// ------------------------------------------------------------------------------------------
// Traces: parsing and comparison.

/** One record of a trace: its key and integer values, with the step it belongs to. */
export interface TraceRecord {
  /** `S`, `D`, `V`, `I`, `R`, `T`, `A`, `W`, `G` or `C`. */
  readonly key: string;
  readonly values: readonly number[];
  /** 1-based line number in the trace file. */
  readonly line: number;
  /** Step the record belongs to: its own for `S` and `D`, the last `D` for state lines. */
  readonly step: number | undefined;
}

/** A parsed trace. */
export interface Trace {
  readonly caseName: string;
  readonly records: readonly TraceRecord[];
}

const RECORD_KEYS = new Set(["S", "D", "V", "I", "R", "T", "A", "W", "G", "C"]);

/** Parse a trace; throws E_FORMAT naming the file and line of the first malformed line. */
export function parseTrace(text: string, where: Where = {}): Trace {
  const lines = text.split("\n");
  const bad = (line: number, what: string): never => {
    throw new FormatError(`line ${line}: ${what}`, { context: { ...where, line }, suggestion: "See docs/formats/vectors.md for the trace format." });
  };
  if (lines[0] !== TRACE_HEADER) bad(1, `the first line must be "${TRACE_HEADER}"`);
  const caseLine = /^case (\S+)$/.exec(lines[1] ?? "");
  if (caseLine === null) bad(2, 'the second line must be "case NAME"');
  const records: TraceRecord[] = [];
  let step: number | undefined;
  let ended = false;
  for (let k = 2; k < lines.length; k++) {
    const raw = lines[k];
    if (raw === "" || raw.startsWith("#")) continue;
    if (ended) bad(k + 1, "text after `end`");
    if (raw === "end") {
      ended = true;
      continue;
    }
    const parts = raw.split(" ");
    const key = parts[0];
    if (!RECORD_KEYS.has(key)) bad(k + 1, `unknown record ${JSON.stringify(key)}`);
    const values = parts.slice(1).map((p) => (/^-?\d+$/.test(p) ? Number(p) : bad(k + 1, `${JSON.stringify(p)} is not an integer`)));
    if (key === "S" || key === "D") step = values[0];
    records.push({ key, values, line: k + 1, step });
  }
  if (!ended) bad(lines.length, "the trace ends without `end` (truncated?)");
  return { caseName: caseLine![1], records };
}

/** One difference between two traces. */
export interface TraceMismatch {
  readonly caseName: string;
  /** Line in the expected trace. */
  readonly line: number;
  readonly step: number | undefined;
  /** What differs: `cycles`, `spikes`, `membrane`, `current`, `refractory`, `trace`, `axonTrace`, `weight`, `ring`, a counter name, or `record`. */
  readonly field: string;
  /** Neuron, axon, synapse or ring entry index, when the field has one. */
  readonly index?: number;
  readonly expected: string;
  readonly actual: string;
}

/** Result of comparing two traces. */
export interface TraceDiff {
  /** Differing values (every differing element counts). */
  readonly total: number;
  /** The first mismatches, in trace order (at most `limit`). */
  readonly mismatches: readonly TraceMismatch[];
}

const STATE_FIELD: Readonly<Record<string, string>> = {
  V: "membrane", I: "current", R: "refractory", T: "trace", A: "axonTrace", W: "weight", G: "ring",
};
const COUNTER_NAMES = ["steps", "cycles", "lastStepCycles", "spikes", "inputEvents", "synapticEvents", "outputEvents"];

/** Describe a mismatch in one line: case, step, field, index, values. */
export function formatMismatch(m: TraceMismatch): string {
  const where = m.step === undefined ? "" : ` step ${m.step}`;
  let index = "";
  if (m.index !== undefined) {
    if (m.field === "ring") index = ` neuron ${Math.floor(m.index / DELAY_SLOTS)} slot ${m.index % DELAY_SLOTS}`;
    else if (m.field === "weight") index = ` synapse ${m.index}`;
    else if (m.field === "axonTrace") index = ` axon ${m.index}`;
    else index = ` neuron ${m.index}`;
  }
  return `${m.caseName}:${where}${index} ${m.field}: expected ${m.expected}, got ${m.actual}`;
}

/** Compare an expected trace (simulator) with an actual one (RTL); report the first `limit` mismatches. */
export function diffTraces(expected: Trace, actual: Trace, limit = 10): TraceDiff {
  const mismatches: TraceMismatch[] = [];
  let total = 0;
  const caseName = expected.caseName;
  const add = (m: Omit<TraceMismatch, "caseName">, count = 1): void => {
    total += count;
    if (mismatches.length < limit) mismatches.push({ caseName, ...m });
  };
  if (expected.caseName !== actual.caseName) {
    add({ line: 2, step: undefined, field: "case", expected: expected.caseName, actual: actual.caseName });
  }
  const n = Math.max(expected.records.length, actual.records.length);
  for (let k = 0; k < n; k++) {
    const e = expected.records[k];
    const a = actual.records[k];
    if (e === undefined || a === undefined) {
      add({ line: e?.line ?? a!.line, step: (e ?? a)!.step, field: "record", expected: e === undefined ? "nothing" : `${e.key} record`, actual: a === undefined ? "nothing (trace ends)" : `${a.key} record` });
      break;
    }
    if (e.key !== a.key) {
      add({ line: e.line, step: e.step, field: "record", expected: `${e.key} record`, actual: `${a.key} record` });
      break;
    }
    compareRecord(e, a, add);
  }
  return { total, mismatches };
}

function compareRecord(e: TraceRecord, a: TraceRecord, add: (m: Omit<TraceMismatch, "caseName">, count?: number) => void): void {
  const { line, step } = e;
  switch (e.key) {
    case "S": {
      if (e.values[0] !== a.values[0]) add({ line, step, field: "step", expected: String(e.values[0]), actual: String(a.values[0]) });
      if (e.values[1] !== a.values[1]) add({ line, step, field: "cycles", expected: String(e.values[1]), actual: String(a.values[1]) });
      const es = e.values.slice(3).join(",");
      const as = a.values.slice(3).join(",");
      if (es !== as) add({ line, step, field: "spikes", expected: `[${es}]`, actual: `[${as}]` });
      return;
    }
    case "D":
      if (e.values[0] !== a.values[0]) add({ line, step, field: "step", expected: String(e.values[0]), actual: String(a.values[0]) });
      return;
    case "C":
      for (let k = 0; k < Math.max(e.values.length, a.values.length); k++) {
        if (e.values[k] !== a.values[k]) add({ line, step, field: COUNTER_NAMES[k] ?? `counter${k}`, expected: String(e.values[k]), actual: String(a.values[k]) });
      }
      return;
    default: {
      const field = STATE_FIELD[e.key];
      if (e.values.length !== a.values.length) {
        add({ line, step, field: `${field} count`, expected: String(e.values.length), actual: String(a.values.length) });
        return;
      }
      for (let k = 0; k < e.values.length; k++) {
        if (e.values[k] !== a.values[k]) add({ line, step, field, index: k, expected: String(e.values[k]), actual: String(a.values[k]) });
      }
    }
  }
}
