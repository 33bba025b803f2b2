// SPDX-License-Identifier: Apache-2.0
// Input stimuli: which axon spikes at which step. The `loci-stimulus` JSON format (version 1,
// docs/formats/stimulus.md), its validation, per-step bucketing for the simulator, and
// deterministic generators (Bernoulli rate, fixed count per step).

import { LociError, RangeValueError, formatValue } from "./errors.ts";
import { checkFormatHeader, parseJsonText, readFileBytes, writeFileAtomic } from "./json-file.ts";
import { Random } from "./random.ts";
import { checkArray, checkInt, checkKnownKeys, checkNumber, type Where } from "./validate.ts";

/** Format name in the file header. */
export const STIMULUS_FORMAT = "loci-stimulus";
/** The stimulus file version this code reads and writes. */
export const STIMULUS_VERSION = 1;
/** Longest stimulus accepted, in steps (the step counter is 32-bit; 2^31 keeps indices safe). */
export const MAX_STIMULUS_STEPS = 2 ** 31 - 1;

/** One input event: `axon` spikes at `step` (steps counted from the start of the run). */
export type StimulusEvent = readonly [step: number, axon: number];

/** A stimulus: its length in steps and its input events (any order, no duplicates). */
export interface Stimulus {
  /** Length in steps; every event has `0 <= step < steps`. */
  readonly steps: number;
  /** Input events `[step, axon]`. The order of events inside a step does not change a result. */
  readonly events: readonly StimulusEvent[];
  /** Free text carried through the file (optional). */
  readonly description?: string;
}

/**
 * A stimulus bucketed by step (compressed rows): the axons of step `s` are
 * `axons[offsets[s] .. offsets[s + 1] - 1]`, in the order the events were listed.
 */
export class InputSchedule {
  /** Length in steps. */
  readonly steps: number;
  /** `steps + 1` offsets into `axons`. */
  readonly offsets: Int32Array;
  /** Axon indices, grouped by step. */
  readonly axons: Int32Array;

  constructor(steps: number, offsets: Int32Array, axons: Int32Array) {
    this.steps = steps;
    this.offsets = offsets;
    this.axons = axons;
  }

  /** The axons spiking at `step` (a view; empty outside 0..steps-1). */
  at(step: number): Int32Array {
    if (step < 0 || step >= this.steps) return this.axons.subarray(0, 0);
    return this.axons.subarray(this.offsets[step], this.offsets[step + 1]);
  }

  /** Total number of input events. */
  get eventCount(): number {
    return this.axons.length;
  }

  /** Back to the plain event list (step-major, listed order within a step). */
  toStimulus(): Stimulus {
    const events: StimulusEvent[] = [];
    for (let s = 0; s < this.steps; s++) {
      for (let k = this.offsets[s]; k < this.offsets[s + 1]; k++) events.push([s, this.axons[k]]);
    }
    return { steps: this.steps, events };
  }
}

/**
 * Check a stimulus against the axons in use and bucket it by step. Every event needs an integer
 * step in 0..steps-1 and an axon in 0..numAxons-1, and no `(step, axon)` pair may repeat.
 * Throws a LociError naming `events[k]`, the value and the allowed range.
 */
export function scheduleStimulus(stimulus: Stimulus, numAxons: number, where: Where = {}): InputSchedule {
  const steps = checkInt("steps", stimulus.steps, { min: 0, max: MAX_STIMULUS_STEPS }, where);
  const events = stimulus.events;
  const n = events.length;
  const counts = new Int32Array(steps + 1);
  for (let k = 0; k < n; k++) {
    const ev = events[k] as unknown;
    if (!Array.isArray(ev) || ev.length !== 2) {
      throw new RangeValueError(`events[${k}]`, ev, "a pair [step, axon]", where);
    }
    const step = checkInt(`events[${k}].step`, ev[0], { min: 0, max: steps - 1 }, where);
    if (numAxons === 0) {
      throw new RangeValueError(`events[${k}].axon`, ev[1], "none: the network has no input axons (numAxons = 0)", where);
    }
    checkInt(`events[${k}].axon`, ev[1], { min: 0, max: numAxons - 1 }, where);
    counts[step + 1]++;
  }
  const offsets = counts;
  for (let s = 0; s < steps; s++) offsets[s + 1] += offsets[s];
  const axons = new Int32Array(n);
  const fill = offsets.slice(0, steps);
  const eventIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const [step, axon] = events[k];
    eventIndex[fill[step]] = k;
    axons[fill[step]++] = axon;
  }
  // Duplicates: an axon seen twice within one step's bucket.
  const seenAt = new Int32Array(numAxons).fill(-1);
  for (let s = 0; s < steps; s++) {
    for (let p = offsets[s]; p < offsets[s + 1]; p++) {
      const a = axons[p];
      if (seenAt[a] === s) {
        const k = eventIndex[p];
        throw new LociError("E_RANGE", `${where.file === undefined ? "" : `${where.file}: `}events[${k}] = [${s}, ${a}] repeats an earlier event (axon ${a} already spikes at step ${s})`, {
          context: { ...where, field: `events[${k}]`, value: [s, a], allowed: "each (step, axon) pair at most once" },
          suggestion: "An axon spikes at most once per step; remove the duplicate event.",
        });
      }
      seenAt[a] = s;
    }
  }
  return new InputSchedule(steps, offsets, axons);
}

/**
 * Parse a `loci-stimulus` document (already JSON-decoded). Checks the header, the fields and each
 * event's shape; pass `numAxons` to also check axon indices and duplicates (as `scheduleStimulus`).
 */
export function parseStimulus(doc: unknown, options: Where & { numAxons?: number } = {}): Stimulus {
  const where: Where = options.file === undefined ? {} : { file: options.file };
  const obj = checkFormatHeader(doc, STIMULUS_FORMAT, STIMULUS_VERSION, where);
  checkKnownKeys("", obj, ["format", "version", "description", "steps", "events"], where);
  const steps = checkInt("steps", obj.steps, { min: 0, max: MAX_STIMULUS_STEPS }, where);
  if (obj.description !== undefined && typeof obj.description !== "string") {
    throw new RangeValueError("description", obj.description, "a string", where);
  }
  const rows = checkArray("events", obj.events ?? [], where);
  const events: StimulusEvent[] = rows.map((row, k) => {
    if (!Array.isArray(row) || row.length !== 2) throw new RangeValueError(`events[${k}]`, row, "a pair [step, axon]", where);
    const step = checkInt(`events[${k}].step`, row[0], { min: 0, max: steps - 1 }, where);
    const axon = checkInt(`events[${k}].axon`, row[1], { min: 0, max: options.numAxons === undefined ? Number.MAX_SAFE_INTEGER : options.numAxons - 1 }, where);
    return [step, axon] as const;
  });
  const stimulus: Stimulus = { steps, events, ...(obj.description === undefined ? {} : { description: obj.description as string }) };
  if (options.numAxons !== undefined) scheduleStimulus(stimulus, options.numAxons, where);
  return stimulus;
}

/** Read and check a stimulus file (see `parseStimulus`). */
export function readStimulusFile(path: string, options: { numAxons?: number } = {}): Stimulus {
  const text = readFileBytes(path).toString("utf8");
  return parseStimulus(parseJsonText(text, { file: path }), { ...options, file: path });
}

/** Render a stimulus as a `loci-stimulus` v1 document (events sorted by step, then axon; 16 per line). */
export function formatStimulus(stimulus: Stimulus): string {
  const events = [...stimulus.events].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const lines: string[] = [];
  for (let k = 0; k < events.length; k += 16) {
    lines.push(`    ${events.slice(k, k + 16).map(([s, a]) => `[${s}, ${a}]`).join(", ")}`);
  }
  const head = [`  "format": "${STIMULUS_FORMAT}"`, `  "version": ${STIMULUS_VERSION}`];
  if (stimulus.description !== undefined) head.push(`  "description": ${JSON.stringify(stimulus.description)}`);
  head.push(`  "steps": ${stimulus.steps}`);
  const body = events.length === 0 ? `  "events": []` : `  "events": [\n${lines.join(",\n")}\n  ]`;
  return `{\n${[...head, body].join(",\n")}\n}\n`;
}

/** Write a stimulus file atomically. */
export function writeStimulusFile(path: string, stimulus: Stimulus): void {
  writeFileAtomic(path, formatStimulus(stimulus));
}

/** Options of the stimulus generators. */
export interface GeneratorOptions {
  /** Length in steps. */
  readonly steps: number;
  /** Axons `0..numAxons-1` take part (unless `axons` lists them). */
  readonly numAxons: number;
  /** PRNG seed (default 1): the same seed always gives the same stimulus. */
  readonly seed?: number;
  /** Only these axons spike (default: all of 0..numAxons-1). */
  readonly axons?: readonly number[];
}

function generatorAxons(options: GeneratorOptions): number[] {
  checkInt("steps", options.steps, { min: 0, max: MAX_STIMULUS_STEPS });
  checkInt("numAxons", options.numAxons, { min: 0, max: 2 ** 20 });
  const axons = options.axons === undefined ? Array.from({ length: options.numAxons }, (_, a) => a) : [...options.axons];
  axons.forEach((a, k) => checkInt(`axons[${k}]`, a, { min: 0, max: options.numAxons - 1 }));
  if (new Set(axons).size !== axons.length) throw new RangeValueError("axons", formatValue(axons), "distinct axon indices");
  return axons;
}

/**
 * Bernoulli stimulus: every axon spikes at every step independently with probability `rate`
 * (0..1 per step; a Poisson process of `r` Hz at step length `dt` s has rate `1 - exp(-r dt)`).
 * Draws one 32-bit number per (step, axon), step-major, axon-ascending.
 */
export function bernoulliStimulus(options: GeneratorOptions & { readonly rate: number }): Stimulus {
  const axons = generatorAxons(options);
  const rate = checkNumber("rate", options.rate, { min: 0, max: 1 });
  const rng = new Random(options.seed ?? 1);
  const events: StimulusEvent[] = [];
  for (let s = 0; s < options.steps; s++) {
    for (const a of axons) if (rng.nextFloat() < rate) events.push([s, a]);
  }
  return { steps: options.steps, events };
}

/**
 * Fixed-count stimulus: exactly `perStep` distinct axons, chosen uniformly at random, spike at
 * every step (so the input activity is exactly controlled, as the benchmark needs).
 */
export function fixedCountStimulus(options: GeneratorOptions & { readonly perStep: number }): Stimulus {
  const axons = generatorAxons(options);
  const perStep = checkInt("perStep", options.perStep, { min: 0, max: axons.length });
  const rng = new Random(options.seed ?? 1);
  const pool = Int32Array.from(axons);
  const events: StimulusEvent[] = [];
  for (let s = 0; s < options.steps; s++) {
    // Partial Fisher-Yates: the first perStep entries become a uniform random subset.
    for (let k = 0; k < perStep; k++) {
      const r = k + rng.nextInt(pool.length - k);
      const tmp = pool[k];
      pool[k] = pool[r];
      pool[r] = tmp;
      events.push([s, pool[k]]);
    }
  }
  return { steps: options.steps, events };
}
