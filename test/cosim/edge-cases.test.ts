// SPDX-License-Identifier: Apache-2.0
// The edge-case suite through the simulator and the Verilated RTL: every trace value equal
// (spikes, cycles, membrane, current, refractory, traces, weights, ring, counters), and each
// case checked to really reach its edge (rails, every delay slot, capacity, clip limits).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UP5K_CAPACITY } from "../../sim/spec.ts";
import { expectedTrace, formatMismatch, parseTrace, type CosimCase, type Trace } from "../../sim/vectors.ts";
import { edgeCases } from "../../host/hdl/cosim-cases.ts";
import { runCosim, type CosimResult } from "../../host/hdl/cosim.ts";
import { REPO_ROOT } from "../../host/hdl/file-list.ts";
import { layoutMemories } from "../../sim/memory-layout.ts";

const WORK = join(REPO_ROOT, "build", "cosim-tests", "edge");
const cases = edgeCases();
let result: CosimResult;

function byName(name: string): CosimCase {
  const c = cases.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no edge case ${name}`);
  return c;
}

function trace(name: string): Trace {
  return parseTrace(expectedTrace(byName(name)));
}

function values(t: Trace, key: string): number[] {
  return t.records.filter((r) => r.key === key).flatMap((r) => r.values);
}

beforeAll(async () => {
  result = await runCosim(cases, { workDir: WORK, seed: 7 });
}, 600_000);

describe("edge cases: RTL equals the simulator", () => {
  it("runs every case with no differing value", () => {
    const failing = result.results.filter((r) => r.mismatches > 0).map((r) => `${r.name}: ${r.mismatches} (${r.first.map(formatMismatch).join("; ")})`);
    expect(failing).toEqual([]);
    expect(result.cases).toBe(cases.length);
    // Every case's RTL trace has as many step records as the simulator's.
    for (const c of cases) {
      const rtl = parseTrace(readFileSync(join(WORK, "rtl", `${c.name}.trace`), "utf8"));
      expect(rtl.records.filter((r) => r.key === "S").length).toBe(result.results.find((r) => r.name === c.name)!.steps);
    }
  });
});

describe("edge cases reach their edges", () => {
  it("saturation: current and membrane at both rails, the ring at +4096*127 and -4096*128", () => {
    const t = trace("edge-saturation");
    expect(values(t, "I")).toContain(32767);
    expect(values(t, "I")).toContain(-32768);
    // Neuron 4 (threshold 1, subtract reset): v + i saturates at 32767, then 32767 - 1 remains.
    expect(t.records.filter((r) => r.key === "V").map((r) => r.values[4])).toContain(32766);
    expect(values(t, "V")).toContain(-32768);
    expect(values(t, "G")).toContain(4096 * 127);
    expect(values(t, "G")).toContain(-4096 * 128);
  });

  it("delay slots: every one of the 16 slots of neuron 0 holds an event at some step", () => {
    const t = trace("edge-delay-slots");
    const used = new Set<number>();
    for (const r of t.records.filter((x) => x.key === "G")) r.values.slice(0, 16).forEach((v, s) => v !== 0 && used.add(s));
    expect(used.size).toBe(16);
  });

  it("maximum fan-out and full capacity fill the synapse memory", () => {
    const fan = layoutMemories(byName("edge-max-fan-out").network as never);
    expect(fan.fwdCount[0]).toBe(UP5K_CAPACITY.synapses);
    const full = layoutMemories(byName("edge-full-capacity").network as never);
    expect([full.config.numNeurons, full.config.numAxons, full.synapseLow.length]).toEqual([UP5K_CAPACITY.neurons, UP5K_CAPACITY.axons, UP5K_CAPACITY.synapses]);
    expect(values(trace("edge-full-capacity"), "S").length).toBeGreaterThan(0);
  });

  it("refractory: a neuron with period R spikes every R+1 steps under constant drive", () => {
    const t = trace("edge-refractory");
    const spikes = t.records.filter((r) => r.key === "S").map((r) => r.values.slice(3));
    for (const period of [0, 3, 7, 15]) {
      const at = spikes.flatMap((s, step) => (s.includes(period) ? [step] : []));
      expect(at.length).toBeGreaterThan(1);
      for (let k = 1; k < at.length; k++) expect(at[k] - at[k - 1]).toBeGreaterThanOrEqual(period + 1);
    }
  });

  it("STDP: weights reach both clip limits and the pinned range", () => {
    const w = trace("edge-stdp-clip").records.filter((r) => r.key === "W").map((r) => r.values);
    expect(w[0]).toContain(127);
    expect(w[1]).toContain(-128);
    expect(w.at(-1)!.filter((x) => x === 5).length).toBeGreaterThan(0);
  });

  it("no input: nothing spikes and the counters say so", () => {
    const c = trace("edge-no-input").records.find((r) => r.key === "C")!;
    expect(c.values[3]).toBe(0);
    expect(c.values[4]).toBe(0);
  });
});
