// SPDX-License-Identifier: Apache-2.0
// `npm run bench:sim`: synaptic events per second of the Loci simulator against Brian2 in the
// same run, on the same network (1,000 LIF neurons, fan-out 64, delays 1..16) and the same
// stimulus, at three activity levels (1 %, 5 %, 20 % of the neurons spiking per step).
//
// How activity is controlled and events are counted (bench/sim-workload.ts): every neuron has a
// drive axon with a 1:1 synapse strong enough to make it spike one step later, and recurrent
// input too weak to make it spike; each step the stimulus drives exactly round(f * 1000) random
// neurons. Both sides count synaptic events as (neuron spikes x 64) + input events, from their
// own spike counts, and the benchmark checks that those spike counts are what the drive implies.
// Timing: Loci's `Simulator.run` on a fresh simulator after a JIT warm-up run, best of
// `--repeats`; Brian2 times the run phase only (code generation and compilation excluded),
// best of the same number of repeats (cpp_standalone: the compiled binary is re-run). One core
// each (Brian2 standalone without OpenMP).
// `--clock cpu` (default) measures process CPU time on both sides, so other processes sharing
// the machine do not distort the ratio; `--clock wall` measures elapsed time (cpp_standalone
// always reports the run loop's elapsed time, measured inside its binary).
//
// Options: --brian2 both|cython|cpp_standalone|numpy|none (default both: the ratio is taken
//          against the faster of the two at each level),
//          --repeats N (default 3), --scale x (multiplies the step counts, default 1),
//          --clock cpu|wall (default cpu).
// The last line printed is JSON.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Simulator } from "../sim/simulator.ts";
import { scheduleStimulus } from "../sim/stimulus.ts";
import { BENCH_WORKLOAD, benchNetwork, benchStimulus, recurrentTable } from "./sim-workload.ts";

interface Level {
  readonly name: string;
  readonly fraction: number;
  readonly steps: number;
}

interface Measured {
  readonly seconds: number;
  readonly spikes: number;
  readonly inputEvents: number;
  readonly synapticEvents: number;
  readonly eventsPerSecond: number;
}

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const brianTarget = option("--brian2", "both");
const repeats = Number(option("--repeats", "3"));
const scale = Number(option("--scale", "1"));
const clock = option("--clock", "cpu");
if (!["both", "cython", "cpp_standalone", "numpy", "none"].includes(brianTarget) || !(repeats >= 1) || !(scale > 0) || !["cpu", "wall"].includes(clock)) {
  console.error("usage: bench/sim.bench.ts [--brian2 both|cython|cpp_standalone|numpy|none] [--repeats N] [--scale x] [--clock cpu|wall]");
  process.exit(2);
}

const LEVELS: Level[] = [
  { name: "1%", fraction: 0.01, steps: Math.round(20000 * scale) },
  { name: "5%", fraction: 0.05, steps: Math.round(10000 * scale) },
  { name: "20%", fraction: 0.2, steps: Math.round(4000 * scale) },
];

const w = BENCH_WORKLOAD;
const table = recurrentTable(w);
const net = benchNetwork(w, table);

function measureLoci(level: Level): Measured {
  const stimulus = benchStimulus(w, level.fraction, level.steps);
  const schedule = scheduleStimulus(stimulus, w.neurons);
  new Simulator(net).run(scheduleStimulus(benchStimulus(w, level.fraction, 2000, 7), w.neurons)); // JIT warm-up
  let best: Measured | undefined;
  for (let r = 0; r < repeats; r++) {
    const sim = new Simulator(net);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = sim.run(schedule);
    const cpu = process.cpuUsage(c0);
    const seconds = clock === "cpu" ? (cpu.user + cpu.system) / 1e6 : (performance.now() - t0) / 1000;
    const { spikes, inputEvents, synapticEvents } = result.totals;
    // Activity control: the neurons driven at step t spike at t + 1 (the last step's drive lands after the run).
    const expected = stimulus.events.length - Math.round(level.fraction * w.neurons);
    if (spikes !== expected) throw new Error(`activity not controlled at ${level.name}: ${spikes} spikes, expected ${expected}`);
    if (synapticEvents !== spikes * w.fanOut + inputEvents) throw new Error("event count mismatch");
    if (best === undefined || seconds < best.seconds) best = { seconds, spikes, inputEvents, synapticEvents, eventsPerSecond: synapticEvents / seconds };
  }
  return best!;
}

interface BrianLevel extends Measured {
  readonly name: string;
}

interface BrianRun {
  readonly target: string;
  readonly version: string;
  readonly levels: BrianLevel[];
}

function measureBrian2(target: string): BrianRun {
  const dir = mkdtempSync(join(tmpdir(), "loci-bench-"));
  try {
    const levels = LEVELS.map((level) => {
      const stim = benchStimulus(w, level.fraction, level.steps);
      return { name: level.name, fraction: level.fraction, steps: level.steps, indices: stim.events.map((e) => e[1]), steps_of: stim.events.map((e) => e[0]) };
    });
    const file = join(dir, "workload.json");
    writeFileSync(file, JSON.stringify({ neurons: w.neurons, fanOut: w.fanOut, pre: [...table.pre], post: [...table.post], delay: [...table.delay], levels }));
    const script = new URL("./brian2-sim.py", import.meta.url).pathname;
    const run = spawnSync("/usr/bin/python3", [script, file, target, String(repeats), clock], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) {
      const why = run.error?.message ?? run.stderr.split("\n").filter(Boolean).slice(-3).join(" | ");
      throw new Error(`Brian2 peer (${target}) failed (${why}). Install it with scripts/setup.sh --bench (python3-brian), or pass --brian2 none.`);
    }
    const lines = run.stdout.trim().split("\n");
    const parsed = JSON.parse(lines[lines.length - 1]) as { brian2: string; levels: BrianLevel[] };
    return { target, version: parsed.brian2, levels: parsed.levels };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const M = (x: number): string => (x / 1e6).toFixed(1);
console.log(`Loci simulator vs Brian2 (${brianTarget}): ${w.neurons} neurons, fan-out ${w.fanOut}, delays 1..16, best of ${repeats}, ${clock} time`);
const loci = LEVELS.map((level) => ({ level, m: measureLoci(level) }));
for (const { level, m } of loci) {
  console.log(`  loci   ${level.name.padStart(4)}: ${M(m.eventsPerSecond).padStart(6)} M events/s  (${m.synapticEvents} events, ${level.steps} steps, ${(m.seconds * 1000).toFixed(0)} ms)`);
}
const targets = brianTarget === "none" ? [] : brianTarget === "both" ? ["cython", "cpp_standalone"] : [brianTarget];
const brian = targets.map((target) => {
  console.log(`  brian2 ${target}: code generation and compilation (not timed)...`);
  return measureBrian2(target);
});
const results = loci.map(({ level, m }, k) => {
  const peers = brian.map((b) => ({ target: b.target, ...b.levels[k] }));
  for (const b of peers) {
    // Same network, same stimulus, same activity: both sides must have delivered the same events.
    if (b.synapticEvents !== m.synapticEvents) {
      throw new Error(`${level.name}: Brian2 ${b.target} delivered ${b.synapticEvents} events, Loci ${m.synapticEvents}; the workloads differ`);
    }
  }
  const fastest = peers.reduce<(typeof peers)[number] | undefined>((best, b) => (best === undefined || b.eventsPerSecond > best.eventsPerSecond ? b : best), undefined);
  return {
    level: level.name,
    fraction: level.fraction,
    steps: level.steps,
    events: m.synapticEvents,
    lociEventsPerSecond: Math.round(m.eventsPerSecond),
    lociSeconds: m.seconds,
    brian2: Object.fromEntries(peers.map((b) => [b.target, { eventsPerSecond: Math.round(b.eventsPerSecond), seconds: b.seconds }])),
    brian2Fastest: fastest?.target ?? null,
    ratioVsBrian2: fastest === undefined ? null : m.eventsPerSecond / fastest.eventsPerSecond,
  };
});
for (const r of results) {
  for (const [target, b] of Object.entries(r.brian2)) {
    console.log(`  brian2 ${r.level.padStart(4)}: ${M(b.eventsPerSecond).padStart(6)} M events/s  (${target}, run phase ${(b.seconds * 1000).toFixed(0)} ms)`);
  }
  if (r.ratioVsBrian2 !== null) console.log(`  ${r.level.padStart(4)}: loci ${r.ratioVsBrian2.toFixed(2)}x the fastest Brian2 (${r.brian2Fastest})`);
}
const five = results[1];
console.log(
  JSON.stringify({
    benchmark: "sim",
    clock,
    eventsPerSecond: five.lociEventsPerSecond,
    ratioVsBrian2: five.ratioVsBrian2,
    brian2Targets: targets,
    brian2Version: brian[0]?.version ?? null,
    node: process.version,
    levels: results,
  }),
);
