// SPDX-License-Identifier: Apache-2.0
// Event streams: encoding per-step index lists and parsing them back, across arbitrary chunking.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEventWords, EventWordParser, wordsTakenAfterStep } from "./event-words.ts";

describe("event words", () => {
  it("encodes the example of docs/protocol.md §7.1", () => {
    const steps = [[3, 7], [], [5]];
    expect(Array.from(encodeEventWords(3, (t) => steps[t]))).toEqual([3, 7, 0x8002, 5, 0x8001]);
  });

  it("splits long idle stretches into step-end words of at most 32767 steps", () => {
    expect(Array.from(encodeEventWords(70000, () => []))).toEqual([0xffff, 0xffff, 0x8000 | (70000 - 2 * 32767)]);
  });

  it("round-trips through the parser whatever the chunking, with the words taken by each step", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { maxLength: 6 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }),
        (steps, cuts) => {
          const words = encodeEventWords(steps.length, (t) => steps[t]);
          const parser = new EventWordParser({ indexLimit: 100 });
          const got: number[][] = [];
          const taken: number[] = [];
          let total = 0;
          let pos = 0;
          for (let c = 0; pos < words.length; c++) {
            const chunk = words.subarray(pos, pos + cuts[c % cuts.length]);
            expect(parser.check(chunk)).toBeUndefined();
            parser.take(chunk, (s, ids, n) => {
              got[s] = [...ids];
              total += n;
              taken[s] = total;
            });
            pos += chunk.length;
          }
          expect(parser.stepsCovered).toBe(steps.length);
          expect(got).toEqual(steps.map((s) => [...s]));
          expect(taken).toEqual(Array.from(wordsTakenAfterStep(words, steps.length)));
          expect(taken[steps.length - 1]).toBe(words.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("counts a step-end word as taken once its last step has ended", () => {
    expect(Array.from(wordsTakenAfterStep([3, 0x8003, 5, 0x8001], 4))).toEqual([1, 1, 2, 4]);
  });

  it("refuses indices past the limit and step-end 0 without changing its state", () => {
    const p = new EventWordParser({ indexLimit: 10 });
    expect(p.check([1, 10])).toMatch(/not below 10/);
    expect(p.check([0x8000])).toMatch(/0x8000/);
    expect(p.stepsCovered).toBe(0);
    p.take([0x8004]);
    expect(p.stepsCovered).toBe(4);
  });
});
