// SPDX-License-Identifier: Apache-2.0
// Event streams: encoding per-step index lists and parsing them back, across arbitrary chunking.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEventWords, EventWordParser } from "./event-words.ts";

describe("event words", () => {
  it("encodes the example of docs/protocol.md §7.1", () => {
    const steps = [[3, 7], [], [5]];
    expect(Array.from(encodeEventWords(3, (t) => steps[t]))).toEqual([0x0002, 3, 7, 0x8001, 0x0001, 5]);
  });

  it("splits long idle stretches into skip words of at most 32767 steps", () => {
    expect(Array.from(encodeEventWords(70000, () => []))).toEqual([0xffff, 0xffff, 0x8000 | (70000 - 2 * 32767)]);
  });

  it("round-trips through the parser whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { maxLength: 6 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }),
        (steps, cuts) => {
          const words = encodeEventWords(steps.length, (t) => steps[t]);
          const parser = new EventWordParser({ indexLimit: 100, maxPerStep: 100, maxSteps: steps.length });
          const got: number[][] = [];
          let pos = 0;
          for (let c = 0; pos < words.length; c++) {
            const chunk = words.subarray(pos, pos + cuts[c % cuts.length]);
            expect(parser.check(chunk)).toBeUndefined();
            parser.take(chunk, (s, ids) => (got[s] = [...ids]));
            pos += chunk.length;
          }
          expect(parser.stepsCovered).toBe(steps.length);
          expect(parser.atBoundary).toBe(true);
          expect(got).toEqual(steps.map((s) => [...s]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses indices past the limit, too many steps and skip 0 without changing its state", () => {
    const p = new EventWordParser({ indexLimit: 10, maxPerStep: 3, maxSteps: 4 });
    expect(p.check([1, 10])).toMatch(/not below 10/);
    expect(p.check([4])).toMatch(/4 events/);
    expect(p.check([0x8005])).toMatch(/more than 4/);
    expect(p.check([0x8000])).toMatch(/0x8000/);
    expect(p.stepsCovered).toBe(0);
    p.take([0x8004]);
    expect(p.stepsCovered).toBe(4);
  });
});
