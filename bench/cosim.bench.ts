// SPDX-License-Identifier: Apache-2.0
// `npm run bench:cosim`: steps per second of the same workload through the simulator
// (`Simulator.stepOnce`) and through the Verilated RTL core (the co-simulation harness, one
// multi-step run, streams driven as a link would), in one run; both must end in the same
// counters (checked). The workload is the default core full: 256 neurons, 1,024 axons,
// 16,384 synapses (delays 1..16, a third plastic), 5 % of the axons active per step; once with
// learning off and once on. The RTL time is the harness's time inside runs (programming and
// readback excluded); its clock count also gives the core's speed on the board at 24 MHz.
//
// Options: --steps N (default 2000), --repeats N (best of, default 3).
// The last line printed is JSON: {simStepsPerSecond, rtlStepsPerSecond, ratio, ...} for the
// learning-off workload, and both workloads under `workloads`.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NetworkBuilder, type LearningSettings, type Network } from "../sim/network.ts";
import { Random } from "../sim/random.ts";
import { Simulator } from "../sim/simulator.ts";
import { DEFAULT_CORE_CLOCK_HZ, UP5K_CAPACITY } from "../sim/spec.ts";
import { expectedTrace, parseTrace, type CosimCase } from "../sim/vectors.ts";
import { runCosim } from "../host/hdl/cosim.ts";

function option(name: string, fallback: number): number {
  const k = process.argv.indexOf(name);
  const v = k >= 0 ? Number(process.argv[k + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
}

const STEPS = option("--steps", 2000);
const REPEATS = option("--repeats", 3);
const ACTIVITY = 0.05;

const LEARN_ON: LearningSettings = { enabled: true, tauTraceShift: 3, traceIncrement: 60, aPlus: 20, aMinus: 18, learnShift: 6, wMin: -128, wMax: 127 };

function workload(learning: boolean): { network: Network; inputs: number[][] } {
  const rng = new Random(2026);
  const cap = UP5K_CAPACITY;
  const b = new NetworkBuilder(cap.axons, cap);
  b.addNeurons(cap.neurons, { threshold: 400, tauMemShift: 3, tauSynShift: 2, refractoryPeriod: 2 });
  const sources = cap.axons + cap.neurons;
  for (let k = 0; k < cap.synapses; k++) {
    const s = Math.floor((k * sources) / cap.synapses);
    const from = s < cap.axons ? { axon: s } : { neuron: s - cap.axons };
    b.addSynapse({ from, to: rng.nextInt(cap.neurons), weight: rng.intBetween(-40, 120), delay: rng.intBetween(1, 16), plastic: rng.nextInt(3) === 0 });
  }
  if (learning) b.setLearning(LEARN_ON);
  const inputs = Array.from({ length: STEPS }, () => {
    const out: number[] = [];
    for (let a = 0; a < cap.axons; a++) if (rng.nextFloat() < ACTIVITY) out.push(a);
    return out;
  });
  return { network: b.build(), inputs };
}

interface Result {
  readonly workload: string;
  readonly steps: number;
  readonly spikes: number;
  readonly cyclesPerStep: number;
  readonly simStepsPerSecond: number;
  readonly rtlStepsPerSecond: number;
  readonly rtlClocksPerSecond: number;
  /** The core on the board at the default clock (cycle model), for scale. */
  readonly boardStepsPerSecond: number;
  readonly ratio: number;
}

async function measure(learning: boolean): Promise<Result> {
  const { network, inputs } = workload(learning);
  const name = learning ? "learning-on" : "learning-off";
  // Simulator: a fresh simulator per repeat, after one warm-up run.
  let simBest = Infinity;
  let simCounters = new Simulator(network).counters();
  for (let r = 0; r <= REPEATS; r++) {
    const sim = new Simulator(network);
    const t0 = performance.now();
    for (const step of inputs) sim.stepOnce(step);
    const s = (performance.now() - t0) / 1000;
    if (r > 0) simBest = Math.min(simBest, s);
    simCounters = sim.counters();
  }
  // RTL: one multi-step run per repeat, in one harness invocation per repeat.
  const c: CosimCase = { name, network, actions: [{ kind: "run", inputs }, { kind: "counters" }] };
  const work = mkdtempSync(join(tmpdir(), "loci-bench-cosim-"));
  let rtlBest = Infinity;
  let clocks = 0;
  try {
    for (let r = 0; r < REPEATS; r++) {
      const result = await runCosim([c], { workDir: work });
      if (result.mismatches > 0) throw new Error(`${name}: the RTL differs from the simulator: ${result.firstMismatch}`);
      rtlBest = Math.min(rtlBest, result.rtlRunSeconds);
      clocks = result.rtlRunClocks;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const counters = parseTrace(expectedTrace(c)).records.find((x) => x.key === "C")!.values;
  if (counters[1] !== simCounters.cycles || counters[3] !== simCounters.spikes) throw new Error(`${name}: counters differ between the timed and the traced simulator runs`);
  const cyclesPerStep = simCounters.cycles / STEPS;
  const simStepsPerSecond = STEPS / simBest;
  const rtlStepsPerSecond = STEPS / rtlBest;
  return {
    workload: name,
    steps: STEPS,
    spikes: simCounters.spikes,
    cyclesPerStep: Math.round(cyclesPerStep * 10) / 10,
    simStepsPerSecond: Math.round(simStepsPerSecond),
    rtlStepsPerSecond: Math.round(rtlStepsPerSecond),
    rtlClocksPerSecond: Math.round(clocks / rtlBest),
    boardStepsPerSecond: Math.round(DEFAULT_CORE_CLOCK_HZ / cyclesPerStep),
    ratio: simStepsPerSecond / rtlStepsPerSecond,
  };
}

const results: Result[] = [];
for (const learning of [false, true]) {
  const r = await measure(learning);
  results.push(r);
  console.log(
    `  ${r.workload.padEnd(12)} ${r.steps} steps, ${r.spikes} spikes, ${r.cyclesPerStep} cycles/step: ` +
      `simulator ${r.simStepsPerSecond} steps/s, Verilated RTL ${r.rtlStepsPerSecond} steps/s (${(r.rtlClocksPerSecond / 1e6).toFixed(2)} M clocks/s), ` +
      `ratio ${r.ratio.toFixed(1)}x; the board at 24 MHz: ${r.boardStepsPerSecond} steps/s`,
  );
}
const off = results[0];
console.log(
  JSON.stringify({
    benchmark: "cosim",
    simStepsPerSecond: off.simStepsPerSecond,
    rtlStepsPerSecond: off.rtlStepsPerSecond,
    ratio: off.ratio,
    workloads: results,
  }),
);
