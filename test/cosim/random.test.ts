// SPDX-License-Identifier: Apache-2.0
// Random co-simulation: 220 networks drawn from a fixed seed (sizes, fan-outs, delays,
// parameters, STDP on and off, activity, record windows, throttled streams) through the
// simulator and the Verilated RTL; every value of every trace must be equal. The suite also
// checks that it exercised what it claims (spikes, learning, stalls), so it cannot silently
// shrink to trivial cases.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Simulator } from "../../sim/simulator.ts";
import { formatMismatch } from "../../sim/vectors.ts";
import { randomCases } from "../../host/hdl/cosim-cases.ts";
import { runCosim, type CosimResult } from "../../host/hdl/cosim.ts";
import { REPO_ROOT } from "../../host/hdl/file-list.ts";

const CASES = 220;
const SEED = 20_261_123;
const WORK = join(REPO_ROOT, "build", "cosim-tests", "random");
const cases = randomCases(CASES, SEED);
let result: CosimResult;

beforeAll(async () => {
  result = await runCosim(cases, { workDir: WORK, seed: SEED });
}, 900_000);

describe(`${CASES} random co-simulation cases`, () => {
  it("the RTL equals the simulator in every value of every case", () => {
    const failing = result.results.filter((r) => r.mismatches > 0).map((r) => `${r.name}: ${r.mismatches} (${r.first.map(formatMismatch).join("; ")})`);
    expect(failing).toEqual([]);
    expect(result.cases).toBe(CASES);
    expect(result.steps).toBeGreaterThan(CASES * 10);
  });

  it("exercised spikes, learning, plastic weight changes and stalls", () => {
    let spiking = 0;
    let learned = 0;
    for (const c of cases) {
      const sim = new Simulator(c.network);
      const before = sim.weights();
      for (const a of c.actions) {
        if (a.kind === "run") for (const inputs of a.inputs) sim.stepOnce(inputs);
        else if (a.kind === "learning") sim.setLearning(a.settings);
        else if (a.kind === "reset") sim.reset();
      }
      if (sim.counters().spikes > 0) spiking++;
      if (sim.weights().some((w, k) => w !== before[k])) learned++;
    }
    const stalled = cases.filter((c) => /^# stall [1-9]/m.test(readFileSync(join(WORK, "rtl", `${c.name}.trace`), "utf8"))).length;
    expect(spiking).toBeGreaterThan(CASES * 0.6);
    expect(learned).toBeGreaterThan(CASES * 0.15);
    // Stalls do not count as cycles: cases with stalls still match the cycle model exactly.
    expect(stalled).toBeGreaterThan(CASES * 0.15);
  });
});
