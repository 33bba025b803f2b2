// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from "vitest";
import { NetworkBuilder } from "./network.ts";
import { Simulator } from "./simulator.ts";

describe("worked example of core-spec.md", () => {
  it("reproduces every row of the table in section 8", () => {
    const b = new NetworkBuilder(1);
    b.addNeuron({ threshold: 10, tauMemShift: 15, tauSynShift: 0, refractoryPeriod: 1, weightShift: 0, resetMode: "zero" });
    b.addNeuron({ threshold: 15, tauMemShift: 1, tauSynShift: 0, refractoryPeriod: 0, weightShift: 0, resetMode: "zero" });
    b.addSynapse({ from: { axon: 0 }, to: 0, weight: 6, delay: 1 });
    b.addSynapse({ from: { neuron: 0 }, to: 1, weight: 20, delay: 2 });
    const sim = new Simulator(b.build());
    const rows: [number, number, number, number[], number][] = [];
    const inputs = [[0], [0], [], [], []];
    for (const inp of inputs) {
      const r = sim.stepOnce(inp);
      rows.push([sim.current(0), sim.membrane(0), sim.refractory(0), [...r.spikes], r.cycles]);
    }
    expect(rows).toEqual([
      [0, 0, 0, [], 19],
      [6, 6, 0, [], 19],
      [6, 0, 1, [0], 18],
      [0, 0, 0, [], 14],
      [0, 0, 0, [1], 17],
    ]);
    expect(sim.current(1)).toBe(20);
    expect(sim.membrane(1)).toBe(0);
  });
});

describe("input validation", () => {
  it("accepts the same axon at step 0 again after a reset, and rejects duplicates within a step", () => {
    const b = new NetworkBuilder(2);
    b.addNeuron();
    b.addSynapse({ from: { axon: 0 }, to: 0, weight: 1 });
    const sim = new Simulator(b.build());
    sim.stepOnce([0]);
    sim.reset();
    expect(() => sim.stepOnce([0])).not.toThrow();
    expect(() => sim.stepOnce([1, 1])).toThrow(/listed twice/);
  });
});
