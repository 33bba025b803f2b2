// SPDX-License-Identifier: Apache-2.0
// Tests of spike-train comparison: matching within a tolerance, precision/recall, correlation, readout.

import { describe, expect, it } from "vitest";
import { compareSpikeTrains, spikeCountClass } from "./spike-agreement.ts";

describe("compareSpikeTrains", () => {
  it("pairs spikes one-to-one within the tolerance", () => {
    const reference = [[0], [], [0, 1], [], [1]];
    const test = [[], [0], [], [1], [], [1]];
    const a = compareSpikeTrains(reference, test, 2, 1);
    // neuron 0: ref 0, 2 vs test 1 → one match; neuron 1: ref 2, 4 vs test 3, 5 → two matches
    expect(a).toMatchObject({ referenceSpikes: 4, testSpikes: 3, matched: 3, recall: 0.75, precision: 1 });
    expect(compareSpikeTrains(reference, test, 2, 0).matched).toBe(0);
    expect(compareSpikeTrains(reference, reference, 2, 0)).toMatchObject({ matched: 4, recall: 1, precision: 1, countCorrelation: 1 });
  });

  it("handles empty and constant trains", () => {
    expect(compareSpikeTrains([[], []], [[], []], 3)).toMatchObject({ recall: 1, precision: 1, countCorrelation: 1 });
    expect(compareSpikeTrains([[0]], [[]], 1)).toMatchObject({ recall: 0, precision: 0, countCorrelation: 0 });
    expect(compareSpikeTrains([[0, 1]], [[1]], 2).countCorrelation).toBeCloseTo(0, 12);
  });
});

describe("spikeCountClass", () => {
  it("takes the most spikes, ties to the lowest index, inside the window only", () => {
    expect(spikeCountClass([[0, 3], [3, 2], [2]], 1, 3)).toBe(1); // neurons 2 and 3 tie at 2 → class 1 (neuron 2)
    expect(spikeCountClass([[0, 0, 0]], 1, 3)).toBe(0);
  });
});
