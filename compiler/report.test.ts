// SPDX-License-Identifier: Apache-2.0
// Tests of the compile report: histograms, the timing estimate against the simulator's cycle
// model, and the text form.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Simulator } from "../sim/simulator.ts";
import { CYCLES } from "../sim/spec.ts";
import { compileModel } from "./compile.ts";
import { parseModel } from "./model-file.ts";
import { compileReport, delayHistogram, formatCompileReport, predictTiming, weightHistogram } from "./report.ts";

const tiny = parseModel(readFileSync(new URL("../examples/tiny.model.json", import.meta.url), "utf8"));

describe("histograms", () => {
  it("bins weights by 16 LSBs and delays by step", () => {
    const w = weightHistogram([-128, -113, -112, 0, 15, 16, 127]);
    expect(w.edges[0]).toBe(-128);
    expect(w.edges[16]).toBe(128);
    expect(w.counts[0]).toBe(2);
    expect(w.counts[1]).toBe(1);
    expect(w.counts[8]).toBe(2);
    expect(w.counts[9]).toBe(1);
    expect(w.counts[15]).toBe(1);
    expect(delayHistogram([1, 1, 16, 3]).counts).toEqual([2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe("timing", () => {
  const compiled = compileModel(tiny);
  const sim = new Simulator(compiled.network);

  it("is the simulator's cycle count when every source or none spikes", () => {
    const all = predictTiming(compiled.network, { inputRate: 1, neuronRate: 1 }, 20);
    expect(all.cyclesPerStep).toBe(sim.predictCycles([0, 1, 2], [0, 1, 2, 3], false));
    expect(all.worstCaseCyclesPerStep).toBe(all.cyclesPerStep);
    const idle = predictTiming(compiled.network, { inputRate: 0, neuronRate: 0 }, 20);
    // STEP + NEURON_PHASE + 4 neurons + DELIVERY_PHASE
    expect(idle.cyclesPerStep).toBe(CYCLES.STEP + CYCLES.NEURON_PHASE + 4 + CYCLES.DELIVERY_PHASE);
    expect(idle.stepsPerSecond).toBe(24e6 / idle.cyclesPerStep);
  });

  it("is linear in the activity: the mean of the cycle counts of random steps at that activity", () => {
    // inputs 0..2 (fan-out 2 each), neurons 2, 3 (fan-out 2), 0, 1 (none): expectation by hand
    const t = predictTiming(compiled.network, { inputRate: 0.5, neuronRate: 0.25 }, 20);
    const idle = CYCLES.STEP + CYCLES.NEURON_PHASE + 4 + CYCLES.DELIVERY_PHASE;
    expect(t.cyclesPerStep).toBeCloseTo(idle + 0.5 * 3 * (CYCLES.SOURCE_AXON + 2) + 0.25 * (2 * (CYCLES.SOURCE_NEURON + 2) + 2 * CYCLES.SOURCE_NEURON), 12);
    expect(t.samplesPerSecond).toBeCloseTo(t.stepsPerSecond / 20, 9);
  });
});

describe("report", () => {
  it("summarises synapses, memory, quantization, histograms and timing", () => {
    const r = compileReport(compileModel(tiny, { sparsity: 0.5 }));
    expect(r.synapses).toMatchObject({ candidates: 10, kept: 5, sparsity: 0.5, plastic: 0 });
    expect(r.memory.synapses).toEqual({ used: 5, capacity: 16384, fraction: 5 / 16384 });
    expect(r.memory.neurons.used).toBe(4);
    expect(r.target).toMatchObject({ board: "icebreaker", coreSpecVersion: 1 });
    expect(r.histograms.delays.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(r.populations.map((p) => [p.name, p.first, p.size])).toEqual([["input", 0, 3], ["hidden", 2, 2], ["output", 0, 2]]);
    const text = formatCompileReport(r, "tiny.loci").join("\n");
    expect(text).toMatch(/^synapses {5}5 of 10 candidates kept \(sparsity 50\.0%/m);
    expect(text).toMatch(/input → hidden +2 of 6 +kept; pruned 4/);
    expect(text).toMatch(/memory +neurons 4\/256 \(1\.6%\), axons 3\/1,024 \(0\.3%\), synapses 5\/16,384 \(0\.0%\)/);
    expect(text).toMatch(/timing +≈ [\d,]+ cycles\/step → [\d,]+ steps\/s at 24 MHz, assuming 10% of axons and 5% of neurons spike per step/);
  });
});
