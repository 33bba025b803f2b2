// SPDX-License-Identifier: Apache-2.0
// The float reference against the bit-exact simulator: the same network run with float weights,
// thresholds and decay factors, and with the compiled image. Spike trains must agree closely;
// the bounds below are set from measured agreement with a margin (see the report of issue 5).

import { describe, expect, it } from "vitest";
import { Random } from "../sim/random.ts";
import { Simulator } from "../sim/simulator.ts";
import { compileModel } from "./compile.ts";
import { encodeIntensities } from "./encoding.ts";
import { FloatSimulator, decayFactor, floatNetworkOf, type FloatNetwork } from "./float-model.ts";
import { randomLayeredModel, type RandomModelOptions } from "./random-model.ts";
import { compareSpikeTrains, type SpikeAgreement } from "./spike-agreement.ts";

describe("float model semantics", () => {
  it("reproduces the worked example of core-spec.md (same phases, same delay rule)", () => {
    const net: FloatNetwork = {
      numAxons: 1,
      numNeurons: 2,
      axonBase: 1024,
      source: Int32Array.of(0, 1024),
      target: Int32Array.of(0, 1),
      weight: Float64Array.of(6, 20),
      delay: Uint8Array.of(1, 2),
      threshold: Float64Array.of(10, 15),
      tauMemShift: Uint8Array.of(15, 1),
      tauSynShift: Uint8Array.of(0, 0),
      refractoryPeriod: Uint8Array.of(1, 0),
      subtract: Uint8Array.of(0, 0),
    };
    const sim = new FloatSimulator(net);
    const spikes = [[0], [0], [], [], []].map((inputs) => [...sim.stepOnce(inputs)]);
    expect(spikes).toEqual([[], [], [0], [], [1]]);
    expect(sim.current(1)).toBe(20);
    expect([0, 1, 4, 15].map(decayFactor)).toEqual([0, 0.5, 0.9375, 1]);
  });
});

/** Run float and bit-exact models of one compiled random model on rate-coded random images. */
function agreement(options: RandomModelOptions, samples: number): { spikes: SpikeAgreement; outputCounts: number } {
  const model = randomLayeredModel(options);
  const compiled = compileModel(model);
  const floatNet = floatNetworkOf(compiled);
  const rng = new Random((options.seed ?? 1) + 1000);
  const reference: Int32Array[] = [];
  const test: Int32Array[] = [];
  let closeCounts = 0;
  const inputs = options.inputs ?? 784;
  const steps = 50;
  for (let s = 0; s < samples; s++) {
    const floatSim = new FloatSimulator(floatNet);
    const sim = new Simulator(compiled.network);
    const input = encodeIntensities({ kind: "rate", steps, maxRate: 0.5 }, Array.from({ length: inputs }, () => rng.nextInt(256)));
    const a: Int32Array[] = [];
    const b: Int32Array[] = [];
    for (let t = 0; t < steps; t++) {
      a.push(floatSim.stepOnce(input.spikes[t]));
      b.push(sim.stepOnce(input.spikes[t]).spikes);
    }
    reference.push(...a);
    test.push(...b);
    const out = compiled.map.output;
    for (let o = out.first; o < out.first + out.size; o++) {
      const count = (train: Int32Array[]): number => train.reduce((n, l) => n + (l.includes(o) ? 1 : 0), 0);
      if (Math.abs(count(a) - count(b)) <= 1) closeCounts++;
    }
  }
  return { spikes: compareSpikeTrains(reference, test, compiled.network.neurons.length, 1), outputCounts: closeCounts / (samples * compiled.map.output.size) };
}

describe("float model vs. bit-exact simulator of the compiled image", () => {
  const shape = { inputs: 60, hidden: 40, outputs: 6, hiddenThreshold: 3, outputThreshold: 2 };

  it.each([
    [3, 1],
    [3, 2],
    [16, 1],
    [16, 2],
  ])("feed-forward, %i-D positions, seed %i: spikes agree within one step (at least 0.97)", (dimensions, seed) => {
    const { spikes, outputCounts } = agreement({ ...shape, dimensions, seed }, 10);
    expect(spikes.referenceSpikes).toBeGreaterThan(1000);
    expect(spikes.recall).toBeGreaterThanOrEqual(0.97);
    expect(spikes.precision).toBeGreaterThanOrEqual(0.97);
    expect(spikes.countCorrelation).toBeGreaterThanOrEqual(0.99);
    // Per sample and output neuron, spike counts differ by at most one in 90 % of cases.
    expect(outputCounts).toBeGreaterThanOrEqual(0.9);
  });

  it("recurrent: agreement degrades (chaotic divergence) but stays high (at least 0.8)", () => {
    const { spikes } = agreement({ ...shape, dimensions: 3, seed: 1, recurrent: true }, 10);
    expect(spikes.referenceSpikes).toBeGreaterThan(1000);
    expect(spikes.recall).toBeGreaterThanOrEqual(0.8);
    expect(spikes.precision).toBeGreaterThanOrEqual(0.8);
    expect(spikes.countCorrelation).toBeGreaterThanOrEqual(0.95);
  });

  it("detects a wrong compilation: halving the core's weights breaks agreement", () => {
    const compiled = compileModel(randomLayeredModel({ ...shape, dimensions: 3, seed: 1 }));
    const halved = { ...compiled.network, synapses: { ...compiled.network.synapses, weight: compiled.network.synapses.weight.map((w) => w >> 1) } };
    const floatSim = new FloatSimulator(floatNetworkOf(compiled));
    const sim = new Simulator(halved);
    const rng = new Random(5);
    const a: Int32Array[] = [];
    const b: Int32Array[] = [];
    const input = encodeIntensities({ kind: "rate", steps: 200, maxRate: 0.5 }, Array.from({ length: 60 }, () => rng.nextInt(256)));
    for (let t = 0; t < 200; t++) {
      a.push(floatSim.stepOnce(input.spikes[t]));
      b.push(sim.stepOnce(input.spikes[t]).spikes);
    }
    const agree = compareSpikeTrains(a, b, compiled.network.neurons.length);
    expect(agree.referenceSpikes).toBeGreaterThan(100);
    expect(Math.min(agree.recall, agree.precision)).toBeLessThan(0.8);
  });
});
