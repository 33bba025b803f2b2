// SPDX-License-Identifier: Apache-2.0
// The input and output event streams of a run (docs/protocol.md §7.1, §7.2): 16-bit words, a
// record per step (`n` then n indices) or `0x8000 | k` for k steps without events.

import { FrameError } from "./errors.ts";
import { MAX_SKIP, SKIP_FLAG } from "./protocol.ts";

/** Encode per-step index lists as stream words. `at(t)` gives the indices of step t (0-based). */
export function encodeEventWords(steps: number, at: (step: number) => ArrayLike<number>): Uint16Array {
  const out: number[] = [];
  let skip = 0;
  const flush = (): void => {
    while (skip > 0) {
      const k = Math.min(skip, MAX_SKIP);
      out.push(SKIP_FLAG | k);
      skip -= k;
    }
  };
  for (let t = 0; t < steps; t++) {
    const ids = at(t);
    if (ids.length === 0) {
      skip++;
      continue;
    }
    flush();
    out.push(ids.length);
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }
  flush();
  return Uint16Array.from(out);
}

/** Limits an input record parser enforces (docs/protocol.md §7.1). */
export interface RecordLimits {
  /** Indices must be below this (numAxons for input). */
  readonly indexLimit: number;
  /** Largest n of one record. */
  readonly maxPerStep: number;
  /** Steps the records may cover in total. */
  readonly maxSteps: number;
}

/** A step with its event indices, relative to the start of the stream. */
export interface StepEvents {
  readonly step: number;
  readonly ids: readonly number[];
}

/**
 * Called for every completed step (relative index), with its event indices and the stream words
 * attributed to it (a record's words go to its step; a skip word goes to the first of its steps).
 */
export type StepCallback = (step: number, ids: readonly number[], words: number) => void;

interface ParseState {
  remaining: number;
  ids: number[];
  steps: number;
}

/**
 * Incremental parser of an event word stream. Records may span chunks. `check` validates a chunk
 * without changing the state (a bad frame changes nothing); `take` consumes it.
 */
export class EventWordParser {
  private state: ParseState = { remaining: 0, ids: [], steps: 0 };

  constructor(private readonly limits: RecordLimits, private readonly allowEmptyRecord = true) {}

  /** Steps fully described so far. */
  get stepsCovered(): number {
    return this.state.steps;
  }

  /** Indices of the record in progress (received so far). */
  get partial(): readonly number[] {
    return this.state.ids.slice();
  }

  /** True when the stream ends on a record boundary. */
  get atBoundary(): boolean {
    return this.state.remaining === 0;
  }

  /** Why `words` would be refused, or undefined when they are valid. */
  check(words: ArrayLike<number>): string | undefined {
    const s: ParseState = { remaining: this.state.remaining, ids: [], steps: this.state.steps };
    return this.run(words, s, undefined);
  }

  /** Consume `words` (call `check` first), reporting every step they complete. */
  take(words: ArrayLike<number>, onStep?: StepCallback): void {
    const err = this.run(words, this.state, onStep);
    if (err !== undefined) throw new FrameError(err);
  }

  private run(words: ArrayLike<number>, s: ParseState, onStep: StepCallback | undefined): string | undefined {
    const { indexLimit, maxPerStep, maxSteps } = this.limits;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (s.remaining > 0) {
        if (w >= indexLimit) return `index ${w} at word ${i} is not below ${indexLimit}`;
        if (onStep !== undefined) s.ids.push(w);
        if (--s.remaining === 0) {
          onStep?.(s.steps - 1, s.ids, s.ids.length + 1);
          s.ids = [];
        }
        continue;
      }
      if ((w & SKIP_FLAG) !== 0) {
        const k = w & MAX_SKIP;
        if (k === 0) return `skip word 0x8000 at word ${i} (k must be 1..32767)`;
        if (s.steps + k > maxSteps) return `records cover ${s.steps + k} steps, more than ${maxSteps}`;
        if (onStep !== undefined) for (let t = 0; t < k; t++) onStep(s.steps + t, [], t === 0 ? 1 : 0);
        s.steps += k;
        continue;
      }
      if (w > maxPerStep) return `a step with ${w} events (at most ${maxPerStep})`;
      if (w === 0 && !this.allowEmptyRecord) return `empty record at word ${i}`;
      if (s.steps + 1 > maxSteps) return `records cover ${s.steps + 1} steps, more than ${maxSteps}`;
      s.steps++;
      s.remaining = w;
      if (w === 0) onStep?.(s.steps - 1, [], 1);
    }
    return undefined;
  }
}
