// SPDX-License-Identifier: Apache-2.0
// The VCD writer's output is a legal VCD (parsed back strictly) holding exactly the simulator's
// values at every step.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NetworkBuilder } from "./network.ts";
import { Simulator } from "./simulator.ts";
import { simCase } from "./test-arbitraries.ts";
import { VcdWriter, parseVcd, vcdValueAt } from "./vcd.ts";

describe("VcdWriter", () => {
  it("writes a legal VCD whose values equal the simulator's after every step", () => {
    fc.assert(
      fc.property(simCase({ maxSteps: 30 }), (c) => {
        const sim = new Simulator(c.net);
        const probes = Array.from({ length: Math.min(3, sim.numNeurons) }, (_, j) => sim.numNeurons - 1 - j);
        const vcd = new VcdWriter(sim, { probes });
        const expected: { step: number; cycles: number; values: number[][] }[] = [];
        c.inputs.forEach((inputs) => {
          const r = sim.stepOnce(inputs);
          vcd.sample(r.step, sim, r.spikes, r.cycles);
          const spiked = new Set(r.spikes);
          expected.push({ step: r.step, cycles: r.cycles, values: probes.map((j) => [sim.membrane(j), sim.current(j), sim.refractory(j), sim.neuronTrace(j), spiked.has(j) ? 1 : 0]) });
        });
        const parsed = parseVcd(vcd.text());
        expect(parsed.timescale).toBe("1us");
        expect(parsed.endTime).toBe(c.inputs.length);
        for (const e of expected) {
          expect(vcdValueAt(parsed, "loci.cycles", e.step)).toBe(e.cycles);
          expect(vcdValueAt(parsed, "loci.step", e.step)).toBe(e.step);
          probes.forEach((j, p) => {
            const names = ["membrane", "current", "refractory", "trace", "spike"];
            const got = names.map((n, i) => vcdValueAt(parsed, `loci.n${j}.n${j}_${n}`, e.step, i < 2));
            expect(got).toEqual(e.values[p]);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("declares one scope per probe with five signals, plus step and cycles", () => {
    const b = new NetworkBuilder(0);
    b.addNeurons(2);
    const sim = new Simulator(b.build());
    const vcd = new VcdWriter(sim, { probes: [1] });
    vcd.sample(0, sim, [], 10);
    const parsed = parseVcd(vcd.text());
    expect(parsed.variables.map((v) => `${v.name}:${v.width}`)).toEqual([
      "loci.step:32", "loci.cycles:32", "loci.n1.n1_membrane:16", "loci.n1.n1_current:16", "loci.n1.n1_refractory:4", "loci.n1.n1_trace:8", "loci.n1.n1_spike:1",
    ]);
  });

  it("rejects probes outside the network, repeated probes and non-increasing steps", () => {
    const b = new NetworkBuilder(0);
    b.addNeuron();
    const sim = new Simulator(b.build());
    expect(() => new VcdWriter(sim, { probes: [1] })).toThrow(/probes\[0\] = 1 is out of range \(allowed: neuron 0\.\.0\)/);
    expect(() => new VcdWriter(sim, { probes: [0, 0] })).toThrow(/probes\[1\]/);
    const vcd = new VcdWriter(sim, { probes: [0] });
    vcd.sample(3, sim, [], 1);
    expect(() => vcd.sample(3, sim, [], 1)).toThrow(/step = 3/);
  });

  it("the parser rejects malformed files", () => {
    expect(() => parseVcd("$var wire 4 ! x $end $enddefinitions $end #0 b10101 !")).toThrow(/at most 4 bits/);
    expect(() => parseVcd("$var wire 1 ! x $end $enddefinitions $end #0 1?")).toThrow(/declared identifier/);
    expect(() => parseVcd("$var wire 1 ! x $end $enddefinitions $end #2 1! #1 0!")).toThrow(/a time > 2/);
    expect(() => parseVcd("$scope module a $end $enddefinitions $end")).toThrow(/balanced/);
    expect(() => parseVcd("$timescale 3ns $end $enddefinitions $end")).toThrow(/timescale|1\|10\|100/);
  });
});
