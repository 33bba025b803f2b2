// SPDX-License-Identifier: Apache-2.0
// Tests of candidate expansion: pair rules (self-connections, masks, pruning lists), distance
// clipping, fixed delays, and the expansion limit.

import { describe, expect, it } from "vitest";
import { MAX_CANDIDATES, expandCandidates } from "./candidates.ts";
import { validateModel, type LociModel } from "./model-file.ts";
import { errorOf } from "./test-support.ts";

/** A 1-D model: `n` inputs and `m` LIF neurons on a line, with the given projections. */
function lineModel(n: number, m: number, projections: object[]): LociModel {
  return validateModel({
    format: "loci-model",
    version: 1,
    dimensions: 1,
    geometry: { minDistance: 0.5, velocity: 2 },
    populations: [
      { name: "in", kind: "input", size: n, positions: Array.from({ length: n }, (_, k) => [k]), signs: Array.from({ length: n }, (_, k) => (k % 2 === 0 ? 1 : -1)) },
      { name: "lif", kind: "lif", size: m, positions: Array.from({ length: m }, (_, k) => [k]), signs: Array.from({ length: m }, () => 1), neuron: { threshold: 1, tauMemShift: 2, tauSynShift: 1, refractoryPeriod: 0, resetMode: "zero" } },
    ],
    projections,
    output: "lif",
    encoding: { kind: "latency", steps: 4 },
  });
}

describe("expandCandidates", () => {
  it("gives distance, weight and delay per pair, clipping distances at minDistance", () => {
    const c = expandCandidates(lineModel(2, 2, [{ from: "in", to: "lif", gain: [1, 3] }]));
    expect(c.count).toBe(4);
    expect([...c.distance]).toEqual([0.5, 1, 1, 0.5]);
    expect([...c.weight]).toEqual([2, 3, -1, -6]);
    expect([...c.exactDelay]).toEqual([0.25, 0.5, 0.5, 0.25]);
    expect([...c.delay]).toEqual([1, 1, 1, 1]);
  });

  it("excludes self-connections unless asked, and applies masks (as sets) and pruning lists", () => {
    const recurrent = (extra: object): LociModel => lineModel(1, 3, [{ from: "lif", to: "lif", gain: 1, ...extra }]);
    expect(expandCandidates(recurrent({})).count).toBe(6);
    expect(expandCandidates(recurrent({ selfConnections: true })).count).toBe(9);
    expect(expandCandidates(recurrent({ pruned: [[0, 1], [0, 1], [2, 2]] })).count).toBe(5);
    const masked = expandCandidates(recurrent({ mask: [[2, 0], [0, 0], [2, 0]] }));
    expect(masked.count).toBe(2);
    expect([...masked.pre, ...masked.post]).toEqual([0, 2, 0, 0]);
  });

  it("uses a fixed delay when given (exact delay NaN)", () => {
    const c = expandCandidates(lineModel(1, 1, [{ from: "in", to: "lif", gain: 1, fixedDelay: 9 }]));
    expect([...c.delay]).toEqual([9]);
    expect(Number.isNaN(c.exactDelay[0])).toBe(true);
  });

  it("refuses projections beyond the expansion limit with a capacity error", () => {
    const n = 9000;
    const m = Math.ceil(MAX_CANDIDATES / n) + 1;
    const e = errorOf(() => expandCandidates(lineModel(n, m, [{ from: "in", to: "lif", gain: 1 }])));
    expect(e.code).toBe("E_CAPACITY");
    expect(e.message).toMatch(/projections\[0\] \(in → lif\) spans 9000 × \d+ pairs; the compiler expands at most 67108864/);
  });
});
