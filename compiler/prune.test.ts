// SPDX-License-Identifier: Apache-2.0
// Tests of pruning: the packed rank order equals the comparator order (ties included), keep rules,
// and the suggested sparsity.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RANK_ONE, prune, rankKeys, rankOrder, rankOrderByComparator, suggestedSparsity } from "./prune.ts";

describe("rank order", () => {
  it("sorts by key descending, ties by index ascending, like the comparator sort", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }).map((k) => (k === 20 ? RANK_ONE : k * 1e8)), { maxLength: 300 }), (raw) => {
        const keys = Float64Array.from(raw);
        expect(rankOrder(keys)).toEqual(rankOrderByComparator(keys));
      }),
    );
    expect([...rankOrder(Float64Array.of(5, 7, 5, 9))]).toEqual([3, 1, 0, 2]);
  });

  it("computes exact integer keys ⌊2^31 · |w| / M⌋ per target population", () => {
    const keys = rankKeys(Float64Array.of(-2, 1, 0.5, 3), Int32Array.of(0, 0, 1, 1), Float64Array.of(2, 3));
    expect([...keys]).toEqual([RANK_ONE, RANK_ONE / 2, Math.floor(RANK_ONE / 6), RANK_ONE]);
  });
});

describe("prune", () => {
  const input = {
    keys: Float64Array.of(10, 40, 30, 20, 50),
    weight: Float64Array.of(0.1, 0.4, 0.3, 0.2, 0.5),
    quantized: Int8Array.of(0, 4, 3, 2, 5),
    plastic: Uint8Array.of(0, 0, 0, 0, 0),
    target: Int32Array.of(0, 0, 0, 1, 1),
    projection: Int32Array.of(0, 0, 1, 1, 1),
    projections: 2,
  };

  it("drops zeros, then keeps N − round(s·N) by rank", () => {
    const r = prune(input, { sparsity: 0.4 });
    expect([...r.keep]).toEqual([0, 1, 1, 0, 1]);
    expect(r.total).toMatchObject({ candidates: 5, kept: 3, zeroDropped: 1, removedBySparsity: 1, removedToFit: 0 });
    expect(r.total.removedMass).toBeCloseTo(0.3, 12);
    expect(r.perProjection.map((c) => c.kept)).toEqual([1, 2]);
  });

  it("fits a synapse limit and a fan-in limit", () => {
    const r = prune(input, { fit: { synapses: 3, maxFanIn: 1 } });
    // rank: 4 (t1), 1 (t0), 2 (t0 full → skip), 3 (t1 full → skip), 0 (zero)
    expect([...r.keep]).toEqual([0, 1, 0, 0, 1]);
    expect(r.total).toMatchObject({ kept: 2, removedToFit: 2, zeroDropped: 1 });
    expect(r.maxFanIn).toBe(1);
  });
});

describe("suggestedSparsity", () => {
  it("rounds the needed fraction up to 0.01, and always fits", () => {
    expect(suggestedSparsity(23_410, 16_384)).toBe(0.31); // 0.30 would keep 16,387
    expect(suggestedSparsity(10, 7)).toBe(0.3);
    expect(suggestedSparsity(100, 100)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (n, cap) => {
        const s = suggestedSparsity(n, cap);
        expect(n - Math.round(s * n)).toBeLessThanOrEqual(cap);
        const needed = Math.max(0, (n - cap) / n);
        expect(s).toBeGreaterThanOrEqual(needed - 1e-12);
        expect(s).toBeLessThan(needed + 0.01 + 1e-12);
      }),
    );
  });
});
