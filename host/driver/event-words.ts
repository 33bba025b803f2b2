// SPDX-License-Identifier: Apache-2.0
// The input and output event streams of a run (docs/protocol.md §7.1, §7.2): 16-bit words, an
// index per event (bit 15 clear) and `0x8000 | k` for k step ends in a row (k = 1 .. 32767).
// The events of a step come before its end, so the step of an event is the number of step
// ends before it.

import { FrameError } from "./errors.ts";
import { MAX_STEP_ENDS, STEP_END_FLAG } from "./protocol.ts";

/** Encode per-step index lists as stream words. `at(t)` gives the indices of step t (0-based). */
export function encodeEventWords(steps: number, at: (step: number) => ArrayLike<number>): Uint16Array {
  const out: number[] = [];
  let ends = 0;
  const flush = (): void => {
    while (ends > 0) {
      const k = Math.min(ends, MAX_STEP_ENDS);
      out.push(STEP_END_FLAG | k);
      ends -= k;
    }
  };
  for (let t = 0; t < steps; t++) {
    const ids = at(t);
    if (ids.length > 0) {
      flush();
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
    ends++;
  }
  flush();
  return Uint16Array.from(out);
}

/**
 * For a word stream, the number of words the board has taken out of its input buffer once
 * step t has ended, for t = 0 .. steps − 1: the events up to step t, and a step-end word once its
 * last step has ended (docs/protocol.md §7.3).
 */
export function wordsTakenAfterStep(words: ArrayLike<number>, steps: number): Uint32Array {
  const out = new Uint32Array(steps);
  let t = 0;
  for (let i = 0; i < words.length && t < steps; i++) {
    const w = words[i];
    if ((w & STEP_END_FLAG) === 0) continue;
    const k = w & MAX_STEP_ENDS;
    for (let j = 0; j < k && t < steps; j++, t++) out[t] = j === k - 1 ? i + 1 : i;
  }
  for (; t < steps; t++) out[t] = words.length;
  return out;
}

/** Limits a stream parser enforces. */
export interface StreamLimits {
  /** Indices must be below this (numAxons for input, numNeurons for output). */
  readonly indexLimit: number;
}

/**
 * Called for every completed step (relative index), with its event indices and the stream words
 * the board takes out of its buffer by the end of that step (its events, and a step-end word
 * with the last step it covers).
 */
export type StepCallback = (step: number, ids: readonly number[], words: number) => void;

/**
 * Incremental parser of an event word stream. `check` validates a chunk without changing the
 * state (a bad frame changes nothing); `take` consumes it.
 */
export class EventWordParser {
  private ids: number[] = [];
  private steps = 0;
  /** Event words of the step in progress. */
  private pending = 0;

  constructor(private readonly limits: StreamLimits) {}

  /** Steps ended so far. */
  get stepsCovered(): number {
    return this.steps;
  }

  /** Indices of the step in progress (received so far). */
  get partial(): readonly number[] {
    return this.ids.slice();
  }

  /** Why `words` would be refused, or undefined when they are valid. */
  check(words: ArrayLike<number>): string | undefined {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if ((w & STEP_END_FLAG) !== 0) {
        if ((w & MAX_STEP_ENDS) === 0) return `step-end word 0x8000 at word ${i} (k must be 1..32767)`;
      } else if (w >= this.limits.indexLimit) {
        return `index ${w} at word ${i} is not below ${this.limits.indexLimit}`;
      }
    }
    return undefined;
  }

  /** Consume `words` (call `check` first), reporting every step they complete. */
  take(words: ArrayLike<number>, onStep?: StepCallback): void {
    const err = this.check(words);
    if (err !== undefined) throw new FrameError(err);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if ((w & STEP_END_FLAG) === 0) {
        this.ids.push(w);
        this.pending++;
        continue;
      }
      const k = w & MAX_STEP_ENDS;
      for (let j = 0; j < k; j++) {
        const ids = this.ids;
        this.ids = [];
        const taken = this.pending + (j === k - 1 ? 1 : 0);
        this.pending = 0;
        const step = this.steps++;
        onStep?.(step, ids, taken);
      }
    }
  }
}
