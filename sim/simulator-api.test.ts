// SPDX-License-Identifier: Apache-2.0
// Simulator API beyond the step rules: run() results and totals, counters and the record window,
// input checks, restore() range checks, and memory images with bad configuration registers.
import { describe, expect, it } from "vitest";
import { layoutMemories } from "./memory-layout.ts";
import { NetworkBuilder, type Network } from "./network.ts";
import { ReferenceCore, referenceSnapshot } from "./reference-model.ts";
import { Simulator } from "./simulator.ts";

function chain(): Network {
  // a0 -> n0 -> n1 -> n2 (delay 1, strong), record window n1..n2.
  const b = new NetworkBuilder(2);
  b.addNeurons(3, { threshold: 10, tauMemShift: 0, tauSynShift: 0 });
  b.addSynapse({ from: { axon: 0 }, to: 0, weight: 20 });
  b.addSynapse({ from: { neuron: 0 }, to: 1, weight: 20 });
  b.addSynapse({ from: { neuron: 1 }, to: 2, weight: 20 });
  b.setRecord({ base: 1, count: 2 });
  return b.build();
}

describe("Simulator.run", () => {
  it("returns spikes per step, cycles per step and totals; counters add up", () => {
    const sim = new Simulator(chain());
    const r = sim.run({ steps: 3, events: [[0, 0], [2, 0], [2, 1]] }, 6);
    expect(r.steps).toBe(6);
    expect(r.firstStep).toBe(0);
    expect(Array.from({ length: 6 }, (_, k) => [...r.spikesAt(k)])).toEqual([[], [0], [1], [0, 2], [1], [2]]);
    expect(r.totals.spikes).toBe(6);
    expect(r.totals.outputEvents).toBe(4); // n1 and n2 only
    expect(r.totals.inputEvents).toBe(3);
    expect(r.totals.synapticEvents).toBe(2 + 0 + 2 + 2); // a0 x2 (fan-out 1), a1 (fan-out 0), n0 x2, n1 x2; n2 has none
    expect(r.totals.cycles).toBe([...r.cycles].reduce((x, y) => x + y, 0));
    expect(sim.counters()).toEqual({ steps: 6, ...r.totals });
    const again = sim.run({ steps: 0, events: [] }, 2);
    expect(again.firstStep).toBe(6);
  });

  it("checks the whole stimulus before the first step: a bad event changes nothing", () => {
    const sim = new Simulator(chain());
    expect(() => sim.run({ steps: 3, events: [[0, 0], [2, 2]] })).toThrow(/events\[1\]\.axon = 2/);
    expect(sim.step).toBe(0);
    expect(sim.counters().steps).toBe(0);
  });

  it("stepOnce rejects axons out of range and duplicates within a step, also after a reset", () => {
    const sim = new Simulator(chain());
    expect(() => sim.stepOnce([2])).toThrow(/inputs\[0\] \(step 0\) = 2 is out of range \(allowed: axon 0\.\.1\)/);
    expect(() => sim.stepOnce([1, 1])).toThrow(/listed twice/);
    sim.stepOnce([0]);
    sim.reset();
    expect(() => sim.stepOnce([0])).not.toThrow();
  });
});

describe("restore and memory images", () => {
  it("restore rejects out-of-range state, naming the field, index and range", () => {
    const sim = new Simulator(chain());
    const s = sim.snapshot();
    expect(() => sim.restore({ ...s, membrane: Int32Array.of(0, 40000, 0) })).toThrow(/state\.membrane\[1\] = 40000 .*-32768\.\.32767/);
    expect(() => sim.restore({ ...s, weights: Int8Array.of(1, 2) })).toThrow(/state\.weights\.length = 2/);
    expect(() => sim.restore({ ...s, ring: new Int32Array(48).fill(1 << 20) })).toThrow(/state\.ring\[0\]/);
  });

  it("a memory image with bad configuration registers is rejected", () => {
    const mem = layoutMemories(chain());
    expect(() => new Simulator({ ...mem, config: { ...mem.config, numNeurons: 300 } })).toThrow(/config\.numNeurons = 300 .*1\.\.256/);
    expect(() => new Simulator({ ...mem, config: { ...mem.config, recordCount: 4 } })).toThrow(/config\.recordCount = 4 .*0\.\.2/);
    expect(() => new Simulator({ ...mem, config: { ...mem.config, numAxons: 2000 } })).toThrow(/config\.numAxons = 2000/);
  });

  it("restoreWeights brings back the loaded weights after learning", () => {
    const b = new NetworkBuilder(1);
    b.addNeuron({ threshold: 1 });
    b.addSynapse({ from: { axon: 0 }, to: 0, weight: 10, plastic: true });
    b.setLearning({ enabled: true, aPlus: 100, learnShift: 2, traceIncrement: 50 });
    const sim = new Simulator(b.build());
    sim.run({ steps: 4, events: [[0, 0], [2, 0]] });
    expect(sim.weights()[0]).not.toBe(10);
    sim.restoreWeights();
    expect(sim.weights()[0]).toBe(10);
    // the restored weight is also the one delivered
    sim.reset();
    sim.setLearning({ enabled: false });
    sim.stepOnce([0]);
    sim.stepOnce([]);
    expect(sim.current(0)).toBe(10); // i = 0 - decay(0) + 10
  });
});

describe("step counter wrap", () => {
  it("runs identically to the reference across 2^31 and 2^32 (ring slot = t mod 16)", () => {
    const b = new NetworkBuilder(3);
    b.addNeurons(8, { threshold: 5, tauMemShift: 1, tauSynShift: 1 });
    for (let a = 0; a < 3; a++) for (let j = 0; j < 8; j++) b.addSynapse({ from: { axon: a }, to: j, weight: 3 + a + j, delay: 1 + ((a * 5 + j * 3) % 16) });
    for (let j = 0; j < 8; j++) b.addSynapse({ from: { neuron: j }, to: (j + 3) % 8, weight: -2, delay: 16 - j });
    const net = b.build();
    for (const start of [2 ** 31 - 5, 2 ** 32 - 5]) {
      const sim = new Simulator(net);
      sim.restore({ ...sim.snapshot(), step: start });
      const ref = new ReferenceCore(net);
      ref.t = start;
      for (let k = 0; k < 40; k++) {
        const inputs = k % 3 === 0 ? [0, 2] : k % 5 === 0 ? [1] : [];
        expect(sim.stepOnce(inputs).cycles).toBe(ref.step(inputs).cycles);
        const { step, ...state } = sim.snapshot();
        const { step: refStep, ...want } = referenceSnapshot(ref);
        expect(state).toEqual(want);
        expect(step).toBe(refStep % 2 ** 32);
      }
    }
  });
});
