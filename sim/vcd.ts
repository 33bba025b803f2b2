// SPDX-License-Identifier: Apache-2.0
// Value Change Dump (IEEE 1364 VCD) of a simulation: chosen neurons' membrane, current,
// refractory count, trace and spike bit, plus the step's cycle count, one time unit per step,
// so a run opens in GTKWave beside an RTL waveform.

import { RangeValueError } from "./errors.ts";
import { WIDTH } from "./spec.ts";

/** What the writer reads from the simulator after each step (Simulator implements it). */
export interface ProbeSource {
  readonly numNeurons: number;
  membrane(j: number): number;
  current(j: number): number;
  refractory(j: number): number;
  neuronTrace(j: number): number;
}

/** Options of the VCD writer. */
export interface VcdOptions {
  /** Neurons to dump (distinct, each 0..numNeurons-1). */
  readonly probes: readonly number[];
  /** `$timescale` of one step (default "1us": the time axis counts steps). */
  readonly timescale?: "1s" | "1ms" | "1us" | "1ns";
  /** Text for the `$comment` block (default: none). */
  readonly comment?: string;
}

interface Signal {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  last: number | undefined;
}

const SIGNALS = [
  ["membrane", WIDTH.membrane],
  ["current", WIDTH.current],
  ["refractory", WIDTH.refractory],
  ["trace", WIDTH.trace],
  ["spike", 1],
] as const;

/** Width of the `cycles` signal: the cycles of one step (unsigned). */
export const VCD_CYCLES_WIDTH = 32;

/** VCD short identifier number k: printable ASCII 33..126, base 94. */
function vcdId(k: number): string {
  let s = "";
  let n = k;
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

/** Two's-complement binary of `value` in `width` bits, leading zeros dropped (VCD allows it). */
function binary(value: number, width: number): string {
  const v = value < 0 ? 2 ** width + value : value;
  return v.toString(2);
}

/**
 * Builds a VCD in memory, one `sample` per step. Values are the state at the end of the step;
 * the spike bit is 1 during a step in which the neuron spiked. Only changes are written.
 */
export class VcdWriter {
  private readonly chunks: string[] = [];
  private readonly probes: readonly number[];
  private readonly signals: Signal[][];
  private readonly cycles: Signal;
  private readonly step: Signal;
  private readonly spiked: Uint8Array;
  private lastTime = -1;

  constructor(source: Pick<ProbeSource, "numNeurons">, options: VcdOptions) {
    this.probes = options.probes;
    const seen = new Set<number>();
    options.probes.forEach((j, k) => {
      if (!Number.isInteger(j) || j < 0 || j >= source.numNeurons) {
        throw new RangeValueError(`probes[${k}]`, j, `neuron 0..${source.numNeurons - 1}`);
      }
      if (seen.has(j)) throw new RangeValueError(`probes[${k}]`, j, "a neuron not probed before");
      seen.add(j);
    });
    this.spiked = new Uint8Array(source.numNeurons);
    let next = 0;
    this.step = { id: vcdId(next++), name: "step", width: 32, last: undefined };
    this.cycles = { id: vcdId(next++), name: "cycles", width: VCD_CYCLES_WIDTH, last: undefined };
    this.signals = this.probes.map((j) =>
      SIGNALS.map(([name, width]) => ({ id: vcdId(next++), name: `n${j}_${name}`, width, last: undefined })),
    );
    const head: string[] = [];
    head.push(`$date ${new Date(0).toUTCString()} $end`); // fixed: identical runs give identical files
    head.push("$version Loci simulator (sim/vcd.ts) $end");
    if (options.comment !== undefined) head.push(`$comment ${options.comment.replace(/\$end/g, "")} $end`);
    head.push(`$timescale ${options.timescale ?? "1us"} $end`);
    head.push("$scope module loci $end");
    head.push(...[this.step, this.cycles].map((s) => `$var wire ${s.width} ${s.id} ${s.name} [${s.width - 1}:0] $end`));
    this.probes.forEach((j, p) => {
      head.push(`$scope module n${j} $end`);
      for (const s of this.signals[p]) {
        head.push(`$var wire ${s.width} ${s.id} ${s.name}${s.width > 1 ? ` [${s.width - 1}:0]` : ""} $end`);
      }
      head.push("$upscope $end");
    });
    head.push("$upscope $end", "$enddefinitions $end", "");
    this.chunks.push(head.join("\n"));
  }

  /** Record the state after step `step` (time `step`), its spikes and its cycle count. */
  sample(step: number, source: ProbeSource, spikes: ArrayLike<number>, cycles: number): void {
    if (!Number.isInteger(step) || step <= this.lastTime) throw new RangeValueError("step", step, `an integer > ${this.lastTime}`);
    for (let k = 0; k < spikes.length; k++) this.spiked[spikes[k]] = 1;
    const lines: string[] = [];
    const change = (s: Signal, value: number): void => {
      if (s.last === value) return;
      s.last = value;
      lines.push(s.width === 1 ? `${value}${s.id}` : `b${binary(value, s.width)} ${s.id}`);
    };
    change(this.step, step >>> 0);
    change(this.cycles, cycles);
    this.probes.forEach((j, p) => {
      const [mem, cur, ref, trace, spike] = this.signals[p];
      change(mem, source.membrane(j));
      change(cur, source.current(j));
      change(ref, source.refractory(j));
      change(trace, source.neuronTrace(j));
      change(spike, this.spiked[j]);
    });
    for (let k = 0; k < spikes.length; k++) this.spiked[spikes[k]] = 0;
    if (lines.length > 0 || this.lastTime < 0) this.chunks.push(`#${step}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`);
    this.lastTime = step;
  }

  /** The VCD text so far, closed with a final timestamp one step after the last sample. */
  text(): string {
    return `${this.chunks.join("")}#${this.lastTime + 1}\n`;
  }
}

/** A variable declared in a VCD header. */
export interface VcdVariable {
  readonly id: string;
  /** Hierarchical name, scopes joined by "." (e.g. "loci.n3.n3_membrane"). */
  readonly name: string;
  readonly width: number;
}

/** A parsed VCD: declarations and, per variable name, its value changes `[time, value]` (unsigned). */
export interface ParsedVcd {
  readonly timescale: string;
  readonly variables: readonly VcdVariable[];
  readonly changes: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  readonly endTime: number;
}

/**
 * Parse a VCD strictly (IEEE 1364-2005 section 18 subset: scalar and vector wires): balanced
 * scopes, every value change names a declared identifier and fits its width, timestamps strictly
 * increase. Throws a FormatError-like RangeValueError naming the offending token.
 */
export function parseVcd(text: string): ParsedVcd {
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  let k = 0;
  const fail = (what: string, value: unknown): never => {
    throw new RangeValueError(`vcd token ${k}`, value, what);
  };
  const scopes: string[] = [];
  const byId = new Map<string, VcdVariable>();
  const variables: VcdVariable[] = [];
  let timescale = "";
  // Header.
  for (;;) {
    if (k >= tokens.length) fail("$enddefinitions", "end of file");
    const tok = tokens[k++];
    const block = (): string[] => {
      const body: string[] = [];
      while (k < tokens.length && tokens[k] !== "$end") body.push(tokens[k++]);
      if (tokens[k++] !== "$end") fail("$end", "end of file");
      return body;
    };
    if (tok === "$enddefinitions") {
      block();
      break;
    } else if (tok === "$scope") {
      const body = block();
      if (body.length !== 2) fail("$scope <type> <name> $end", body.join(" "));
      scopes.push(body[1]);
    } else if (tok === "$upscope") {
      block();
      if (scopes.pop() === undefined) fail("a matching $scope", "$upscope");
    } else if (tok === "$var") {
      const body = block();
      const width = Number(body[1]);
      if (body.length < 4 || !["wire", "reg", "integer"].includes(body[0]) || !Number.isInteger(width) || width < 1) fail("$var <type> <width> <id> <name> [range] $end", body.join(" "));
      if (byId.has(body[2])) fail("a new identifier", body[2]);
      const v = { id: body[2], name: [...scopes, body[3]].join("."), width };
      byId.set(v.id, v);
      variables.push(v);
    } else if (tok === "$timescale") {
      timescale = block().join("");
      if (!/^(1|10|100)(s|ms|us|ns|ps|fs)$/.test(timescale)) fail("1|10|100 followed by s, ms, us, ns, ps or fs", timescale);
    } else if (tok === "$date" || tok === "$version" || tok === "$comment") {
      block();
    } else {
      fail("a header keyword", tok);
    }
  }
  if (scopes.length !== 0) fail("balanced $scope/$upscope", scopes.join("."));
  // Value changes.
  const changes = new Map<string, [number, number][]>(variables.map((v) => [v.name, []]));
  let time = -1;
  const record = (id: string, raw: string, value: number): void => {
    const v = byId.get(id);
    if (v === undefined) fail("a declared identifier", id);
    if (raw.length > v!.width) fail(`at most ${v!.width} bits for ${v!.name}`, raw);
    if (time < 0) fail("a #time before the first value", raw);
    changes.get(v!.name)!.push([time, value]);
  };
  while (k < tokens.length) {
    const tok = tokens[k++];
    if (tok.startsWith("#")) {
      const t = Number(tok.slice(1));
      if (!Number.isInteger(t) || t <= time) fail(`a time > ${time}`, tok);
      time = t;
    } else if (tok.startsWith("b") || tok.startsWith("B")) {
      const bits = tok.slice(1);
      if (!/^[01]+$/.test(bits)) fail("a binary vector of 0/1", tok);
      record(tokens[k++] ?? "", bits, parseInt(bits, 2));
    } else if (/^[01]/.test(tok)) {
      record(tok.slice(1), tok[0], Number(tok[0]));
    } else if (tok === "$dumpvars" || tok === "$end") {
      continue;
    } else {
      fail("a value change or #time", tok);
    }
  }
  return { timescale, variables, changes, endTime: time };
}

/** Value of a parsed VCD variable at `time` (the last change at or before it), as a signed `width`-bit number. */
export function vcdValueAt(vcd: ParsedVcd, name: string, time: number, signed = false): number | undefined {
  const list = vcd.changes.get(name);
  const v = vcd.variables.find((x) => x.name === name);
  if (list === undefined || v === undefined) return undefined;
  let value: number | undefined;
  for (const [t, x] of list) {
    if (t > time) break;
    value = x;
  }
  if (value === undefined || !signed) return value;
  return value >= 2 ** (v.width - 1) ? value - 2 ** v.width : value;
}
