// SPDX-License-Identifier: Apache-2.0
// One hand-worked case per rule of docs/core-spec.md: every expected number below was computed
// by hand from the spec text (the arithmetic is in the comments), not by running the simulator.
import { describe, expect, it } from "vitest";
import { learningDelta } from "./fixed.ts";
import { NetworkBuilder, type LearningSettings, type NeuronParams, type SynapseSpec } from "./network.ts";
import { Simulator } from "./simulator.ts";
import { CYCLES as C } from "./spec.ts";

/** Integrate-and-fire defaults for hand calculation: no decays, no refractory, high threshold. */
const QUIET: NeuronParams = { threshold: 32767, tauMemShift: 15, tauSynShift: 0, refractoryPeriod: 0, weightShift: 0, resetMode: "zero" };

function build(neurons: Partial<NeuronParams>[], axons: number, synapses: SynapseSpec[], learning: Partial<LearningSettings> = {}): Simulator {
  const b = new NetworkBuilder(axons);
  for (const p of neurons) b.addNeuron({ ...QUIET, ...p });
  for (const s of synapses) b.addSynapse(s);
  b.setLearning(learning);
  return new Simulator(b.build());
}

/** Overwrite parts of the state (as a board readback would), keeping the rest. */
function setState(sim: Simulator, patch: { membrane?: number[]; current?: number[]; refractory?: number[]; neuronTrace?: number[]; axonTrace?: number[] }): void {
  const s = sim.snapshot();
  sim.restore({
    ...s,
    membrane: patch.membrane === undefined ? s.membrane : Int32Array.from(patch.membrane),
    current: patch.current === undefined ? s.current : Int32Array.from(patch.current),
    refractory: patch.refractory === undefined ? s.refractory : Int32Array.from(patch.refractory),
    neuronTrace: patch.neuronTrace === undefined ? s.neuronTrace : Int32Array.from(patch.neuronTrace),
    axonTrace: patch.axonTrace === undefined ? s.axonTrace : Int32Array.from(patch.axonTrace),
  });
}

function membraneTrail(sim: Simulator, steps: number, j = 0): number[] {
  return Array.from({ length: steps }, () => (sim.stepOnce([]), sim.membrane(j)));
}

describe("3.1 shift decay (membrane, tauMemShift k)", () => {
  it("positive values: v -= ceil(v / 2^k)", () => {
    const sim = build([{ tauMemShift: 2 }], 0, []);
    setState(sim, { membrane: [100] });
    // 100 - ceil(100/4)=25 -> 75; 75 - ceil(75/4)=19 -> 56; 56 - 14 -> 42; 42 - 11 -> 31
    expect(membraneTrail(sim, 4)).toEqual([75, 56, 42, 31]);
  });

  it("negative values decay symmetrically: v -= sign(v) ceil(|v| / 2^k)", () => {
    const sim = build([{ tauMemShift: 2 }], 0, []);
    setState(sim, { membrane: [-100] });
    expect(membraneTrail(sim, 4)).toEqual([-75, -56, -42, -31]);
    setState(sim, { membrane: [-7] });
    // -7 - floor(-7/4) = -7 + 2 = -5; -5 + 2 = -3; -3 + 1 = -2; -2 + 1 = -1; -1 + 1 = 0
    expect(membraneTrail(sim, 5)).toEqual([-5, -3, -2, -1, 0]);
  });

  it("every non-zero value moves at least one LSB and reaches zero (k = 4, |v| = 1)", () => {
    const sim = build([{ tauMemShift: 4 }, { tauMemShift: 4 }], 0, []);
    setState(sim, { membrane: [1, -1] });
    sim.stepOnce([]);
    expect([sim.membrane(0), sim.membrane(1)]).toEqual([0, 0]);
  });

  it("k = 0 clears the value in one step; k = 15 never decays", () => {
    const sim = build([{ tauMemShift: 0 }, { tauMemShift: 15 }], 0, []);
    setState(sim, { membrane: [1234, 1234] });
    sim.stepOnce([]);
    expect([sim.membrane(0), sim.membrane(1)]).toEqual([0, 1234]);
    for (let k = 0; k < 40; k++) sim.stepOnce([]);
    expect(sim.membrane(1)).toBe(1234);
  });

  it("the current decays by the same rule with tauSynShift, and k = 15 keeps it", () => {
    const sim = build([{ tauSynShift: 1, threshold: 32767 }, { tauSynShift: 15 }], 0, []);
    setState(sim, { current: [-9, 500] });
    sim.stepOnce([]);
    // -9 - floor(-9/2) = -9 + 5 = -4
    expect([sim.current(0), sim.current(1)]).toEqual([-4, 500]);
  });
});

describe("saturation at both rails", () => {
  it("current: the step's input saturates once at +32767 and -32768", () => {
    // 3 axons x 127 x 2^7 = 48,768 -> 32767; 3 x -128 x 2^7 = -49,152 -> -32768.
    const up = build([{ weightShift: 7 }], 3, [0, 1, 2].map((a) => ({ from: { axon: a }, to: 0, weight: 127 })));
    up.stepOnce([0, 1, 2]);
    up.stepOnce([]);
    expect(up.current(0)).toBe(32767);
    const down = build([{ weightShift: 7 }], 3, [0, 1, 2].map((a) => ({ from: { axon: a }, to: 0, weight: -128 })));
    down.stepOnce([0, 1, 2]);
    down.stepOnce([]);
    expect(down.current(0)).toBe(-32768);
  });

  it("current: the wide sum saturates once, not per event (+32767 + 127*128 - 128*128*... order free)", () => {
    // i = 30000 (no decay), input 127 - 128 = -1 -> 30000 - 1 = 29999: summed before shifting and saturating.
    const sim = build([{ tauSynShift: 15 }], 2, [{ from: { axon: 0 }, to: 0, weight: 127 }, { from: { axon: 1 }, to: 0, weight: -128 }]);
    setState(sim, { current: [30000] });
    sim.stepOnce([0, 1]);
    sim.stepOnce([]);
    expect(sim.current(0)).toBe(29999);
  });

  it("membrane: v + i saturates at +32767 before the threshold test, and at -32768", () => {
    // v = 30000, i = 30000 (k = 15): 60,000 -> 32767 >= 32767 fires; subtract reset -> 0 (unsaturated would leave 27,233).
    const sim = build([{ tauSynShift: 15, resetMode: "subtract", threshold: 32767 }, { tauSynShift: 15 }], 0, []);
    setState(sim, { membrane: [30000, -30000], current: [30000, -30000] });
    const r = sim.stepOnce([]);
    expect([...r.spikes]).toEqual([0]);
    expect(sim.membrane(0)).toBe(0);
    expect(sim.membrane(1)).toBe(-32768);
  });
});

describe("threshold and reset", () => {
  it("v equal to the threshold fires; one below does not", () => {
    const sim = build([{ threshold: 50 }, { threshold: 51 }], 1, [{ from: { axon: 0 }, to: 0, weight: 50 }, { from: { axon: 0 }, to: 1, weight: 50 }]);
    sim.stepOnce([0]);
    const r = sim.stepOnce([]);
    expect([...r.spikes]).toEqual([0]);
    expect([sim.membrane(0), sim.membrane(1)]).toEqual([0, 50]);
  });

  it("reset to zero sets v = 0; subtract sets v = v - threshold", () => {
    const sim = build([{ threshold: 100, resetMode: "zero" }, { threshold: 100, resetMode: "subtract" }], 1, [
      { from: { axon: 0 }, to: 0, weight: 75 },
      { from: { axon: 0 }, to: 1, weight: 75 },
    ]);
    setState(sim, { membrane: [75, 75] });
    sim.stepOnce([0]);
    const r = sim.stepOnce([]); // v = 75 + 75 = 150 >= 100
    expect([...r.spikes]).toEqual([0, 1]);
    expect([sim.membrane(0), sim.membrane(1)]).toEqual([0, 50]);
  });
});

describe("refractory period", () => {
  it("R = 3: a neuron driven every step fires at t, t+4, t+8; v held while refractory, current integrates", () => {
    const sim = build([{ threshold: 10, refractoryPeriod: 3, tauSynShift: 15 }], 1, [{ from: { axon: 0 }, to: 0, weight: 20 }]);
    const spikeSteps: number[] = [];
    const trail: [number, number, number][] = [];
    for (let t = 0; t < 10; t++) {
      const r = sim.stepOnce([0]);
      if (r.spikes.length > 0) spikeSteps.push(t);
      trail.push([sim.current(0), sim.membrane(0), sim.refractory(0)]);
    }
    // Step 1: i = 20, v = 20 >= 10 fires, ref = 3. Steps 2-4: i = 40, 60, 80; v held at 0; ref 2, 1, 0.
    // Step 5: i = 100, v = 100 fires, ref 3. Steps 6-8 held. Step 9: i = 180, fires.
    expect(spikeSteps).toEqual([1, 5, 9]);
    expect(trail.slice(0, 6)).toEqual([[0, 0, 0], [20, 0, 3], [40, 0, 2], [60, 0, 1], [80, 0, 0], [100, 0, 3]]);
  });

  it("R = 0 allows a spike every step", () => {
    const sim = build([{ threshold: 10 }], 1, [{ from: { axon: 0 }, to: 0, weight: 20 }]);
    const fired = Array.from({ length: 5 }, () => sim.stepOnce([0]).spikes.length);
    expect(fired).toEqual([0, 1, 1, 1, 1]);
  });
});

describe("delays", () => {
  for (let d = 1; d <= 16; d++) {
    it(`delay ${d}: an event emitted at step t arrives in phase A of step t + ${d} (t = 0 and t = 13)`, () => {
      for (const t0 of [0, 13]) {
        const sim = build([{ tauSynShift: 0 }], 1, [{ from: { axon: 0 }, to: 0, weight: 7, delay: d }]);
        for (let t = 0; t < t0; t++) sim.stepOnce([]);
        const currents: number[] = [];
        for (let t = t0; t < t0 + 20; t++) {
          sim.stepOnce(t === t0 ? [0] : []);
          currents.push(sim.current(0)); // tauSynShift 0: the current is this step's input
        }
        expect(currents.map((c, k) => (c === 0 ? 0 : k))).toEqual(currents.map((_, k) => (k === d ? d : 0)));
        expect(currents[d]).toBe(7);
      }
    });
  }

  it("a neuron's spike arrives the same way: delay 16 from a spike at step 1 arrives at step 17", () => {
    const sim = build([{ threshold: 1 }, { tauSynShift: 0 }], 1, [{ from: { axon: 0 }, to: 0, weight: 5 }, { from: { neuron: 0 }, to: 1, weight: 9, delay: 16 }]);
    const arrivals: number[] = [];
    for (let t = 0; t < 20; t++) {
      sim.stepOnce(t === 0 ? [0] : []);
      if (sim.current(1) !== 0) arrivals.push(t);
    }
    expect(arrivals).toEqual([17]);
  });
});

describe("weightShift", () => {
  it("the summed input is multiplied by 2^weightShift before joining the current", () => {
    const sim = build([{ weightShift: 3 }, { weightShift: 7 }], 1, [{ from: { axon: 0 }, to: 0, weight: 5 }, { from: { axon: 0 }, to: 1, weight: -3 }]);
    sim.stepOnce([0]);
    sim.stepOnce([]);
    expect([sim.current(0), sim.current(1)]).toEqual([40, -384]);
  });
});

describe("3.2 STDP rounding", () => {
  it("learningDelta rounds half up: (a x + 2^(s-1)) >> s", () => {
    expect(learningDelta(1, 8, 4)).toBe(1); // 8/16 = 0.5 -> 1
    expect(learningDelta(1, 7, 4)).toBe(0); // 7/16 = 0.4375 -> 0
    expect(learningDelta(3, 8, 4)).toBe(2); // 24/16 = 1.5 -> 2
    expect(learningDelta(255, 255, 0)).toBe(65025); // s = 0: exact
    expect(learningDelta(255, 255, 15)).toBe(2); // 65025/32768 = 1.98 -> 2
    expect(learningDelta(0, 255, 3)).toBe(0);
  });
});

const LEARN: Partial<LearningSettings> = { enabled: true, tauTraceShift: 15, traceIncrement: 100, aPlus: 8, aMinus: 8, learnShift: 4, wMin: -100, wMax: 100 };

describe("STDP", () => {
  it("potentiation: pre (axon) at step 0, post at step 1 -> w += (aPlus * 100 + 8) >> 4 = 50", () => {
    const sim = build([{ threshold: 1 }], 1, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }], LEARN);
    sim.stepOnce([0]); // phase C: axon trace 100; depression with post trace 0: delta 0 -> w 10
    expect([sim.axonTrace(0), sim.weights()[0]]).toEqual([100, 10]);
    const r = sim.stepOnce([]); // phase A: v = 10 fires, trace 100; phase D: w = 10 + (800 + 8) >> 4 = 10 + 50
    expect([...r.spikes]).toEqual([0]);
    expect([sim.neuronTrace(0), sim.weights()[0]]).toEqual([100, 60]);
  });

  it("depression: post at step 1 (driven by axon 1), pre (axon 0) at step 2 -> w -= 50", () => {
    const sim = build([{ threshold: 1 }], 2, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }, { from: { axon: 1 }, to: 0, weight: 5 }], LEARN);
    sim.stepOnce([1]);
    sim.stepOnce([]); // neuron 0 fires: post trace 100; phase D: pre trace of axon 0 is 0 -> delta 0
    expect(sim.weights()[0]).toBe(10);
    sim.stepOnce([0]); // phase C: w = 10 - (8 * 100 + 8) >> 4 = 10 - 50 = -40
    expect(sim.weights()[0]).toBe(-40);
  });

  it("clips at wMin and at wMax", () => {
    const big = { ...LEARN, aPlus: 255, aMinus: 255, traceIncrement: 255, learnShift: 2 };
    const down = build([{ threshold: 1 }], 2, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }, { from: { axon: 1 }, to: 0, weight: 5 }], big);
    down.stepOnce([1]);
    down.stepOnce([]);
    down.stepOnce([0]); // 10 - (255*255 + 2) >> 2 = 10 - 16256 -> clipped to -100
    expect(down.weights()[0]).toBe(-100);
    const up = build([{ threshold: 1 }], 1, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }], big);
    up.stepOnce([0]);
    up.stepOnce([]); // 10 + 16256 -> clipped to 100
    expect(up.weights()[0]).toBe(100);
  });

  it("clipping applies on a visit with delta 0: a plastic weight outside [wMin, wMax] is pulled inside", () => {
    const sim = build([{}], 1, [{ from: { axon: 0 }, to: 0, weight: 120, plastic: true }, { from: { axon: 0 }, to: 0, weight: 120 }], { ...LEARN, aMinus: 0 });
    sim.stepOnce([0]);
    expect([...sim.weights()]).toEqual([100, 120]); // the non-plastic synapse keeps its weight
  });

  it("the weight delivered is the weight before this step's learning", () => {
    const sim = build([{ threshold: 1 }, { tauSynShift: 0 }], 2, [
      { from: { axon: 1 }, to: 0, weight: 5 },
      { from: { axon: 0 }, to: 1, weight: 10, plastic: true },
    ], LEARN);
    // Give n1 a post trace of 100 (as after an earlier spike); memory order puts a0 -> n1 first.
    setState(sim, { neuronTrace: [0, 100] });
    sim.stepOnce([0]); // delivers 10 into n1's ring, then w = 10 - (8*100 + 8) >> 4 = -40
    sim.stepOnce([]);
    expect(sim.current(1)).toBe(10);
    expect(sim.weights()[0]).toBe(-40);
  });

  it("trace decay rounds like the membrane (k = 2) and saturates at 255", () => {
    const sim = build([{ threshold: 1 }], 1, [{ from: { axon: 0 }, to: 0, weight: 5 }], { ...LEARN, tauTraceShift: 2, traceIncrement: 200 });
    sim.stepOnce([0]); // axon trace 200
    sim.stepOnce([0]); // phase A: neuron fires, trace 0 -> 200. Phase B: axon 200 - 50 = 150; phase C: 150 + 200 = 350 -> 255
    expect([sim.neuronTrace(0), sim.axonTrace(0)]).toEqual([200, 255]);
    sim.stepOnce([]); // neuron fires again (input from step 1): 200 - 50 + 200 = 350 -> 255; axon: 255 - 64 = 191
    expect([sim.neuronTrace(0), sim.axonTrace(0)]).toEqual([255, 191]);
    sim.stepOnce([]); // no input: 255 - 64 = 191; axon 191 - 48 = 143
    expect([sim.neuronTrace(0), sim.axonTrace(0)]).toEqual([191, 143]);
  });

  it("same-step pre and post: depression uses the new post trace, potentiation the new pre trace", () => {
    // Neuron 0 fires at step 1 (driven by axon 1 at step 0); axon 0 spikes at step 1 too.
    const sim = build([{ threshold: 1 }], 2, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }, { from: { axon: 1 }, to: 0, weight: 5 }], { ...LEARN, aPlus: 16, aMinus: 4 });
    sim.stepOnce([1]);
    sim.stepOnce([0]);
    // Phase A: post trace 100. Phase C: pre trace 100; w = 10 - (4*100 + 8) >> 4 = 10 - 25 = -15.
    // Phase D: w = -15 + (16*100 + 8) >> 4 = -15 + 100 = 85.
    expect(sim.weights()[0]).toBe(85);
  });

  it("learning disabled: traces and weights do not change", () => {
    const sim = build([{ threshold: 1 }], 1, [{ from: { axon: 0 }, to: 0, weight: 10, plastic: true }], { ...LEARN, enabled: false });
    for (let t = 0; t < 6; t++) sim.stepOnce([0]);
    expect([sim.neuronTrace(0), sim.axonTrace(0), sim.weights()[0]]).toEqual([0, 0, 10]);
    expect(sim.counters().spikes).toBe(5);
  });
});

describe("cycle model (section 6), hand-counted", () => {
  // Network: axons 0, 1; neurons 0, 1, 2. a0 -> n0, n1 (n1 plastic); a1 -> n2; n0 -> n1, n2 (n2 plastic); n0 fires on any input.
  const synapses: SynapseSpec[] = [
    { from: { axon: 0 }, to: 0, weight: 5 },
    { from: { axon: 0 }, to: 1, weight: 1, plastic: true },
    { from: { axon: 1 }, to: 2, weight: 1 },
    { from: { neuron: 0 }, to: 1, weight: 1 },
    { from: { neuron: 0 }, to: 2, weight: 1, plastic: true },
  ];

  it("without learning: inputs and spikes each cost SOURCE + fan-out", () => {
    const sim = build([{ threshold: 1 }, {}, {}], 2, synapses);
    const base = C.STEP + C.NEURON_PHASE + 3 + C.DELIVERY_PHASE;
    expect(sim.stepOnce([]).cycles).toBe(base);
    expect(sim.stepOnce([0, 1]).cycles).toBe(base + (C.SOURCE_AXON + 2) + (C.SOURCE_AXON + 1));
    expect(sim.stepOnce([]).cycles).toBe(base + (C.SOURCE_NEURON + 2)); // n0 fires
  });

  it("with learning: phase B, one more cycle per plastic synapse delivered, and phase D", () => {
    const sim = build([{ threshold: 1 }, {}, {}], 2, synapses, LEARN);
    const base = C.STEP + C.NEURON_PHASE + 3 + C.AXON_TRACE_PHASE + 2 + C.DELIVERY_PHASE + C.LTP_PHASE;
    expect(sim.stepOnce([]).cycles).toBe(base);
    // a0: fan-out 2, one plastic; a1: fan-out 1.
    expect(sim.stepOnce([0, 1]).cycles).toBe(base + (C.SOURCE_AXON + 2 + 1) + (C.SOURCE_AXON + 1));
    // n0 fires: fan-out 2 with one plastic; phase D: n0 has no plastic fan-in.
    expect(sim.stepOnce([]).cycles).toBe(base + (C.SOURCE_NEURON + 2 + 1) + C.LTP_NEURON);
  });

  it("phase D charges LTP_PER_SYNAPSE per plastic fan-in synapse of a spiking neuron", () => {
    const sim = build([{ threshold: 1 }], 3, [0, 1, 2].map((a) => ({ from: { axon: a }, to: 0, weight: 5, plastic: a !== 2 })), LEARN);
    sim.stepOnce([2]);
    const base = C.STEP + C.NEURON_PHASE + 1 + C.AXON_TRACE_PHASE + 3 + C.DELIVERY_PHASE + C.LTP_PHASE;
    expect(sim.stepOnce([]).cycles).toBe(base + (C.SOURCE_NEURON + 0) + C.LTP_NEURON + C.LTP_PER_SYNAPSE * 2);
  });
});
