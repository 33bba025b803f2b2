// SPDX-License-Identifier: Apache-2.0
// `loci demo --quick`: the core in miniature, in a second and without hardware tools. It builds a
// small spatial network (weights and delays from neuron positions), simulates it bit-exactly and
// prints a spike raster, cycle counts and a summary.

import { performance } from "node:perf_hooks";
import { NetworkBuilder, type Network } from "../../../sim/network.ts";
import { Random } from "../../../sim/random.ts";
import { summarizeRun, type RunSummary } from "../../../sim/run-summary.ts";
import { Simulator, type RunResult } from "../../../sim/simulator.ts";
import { RANGES } from "../../../sim/spec.ts";
import { bernoulliStimulus, type Stimulus } from "../../../sim/stimulus.ts";
import { printJson, type CliIO } from "../io.ts";
import { formatSpikes, formatSummary } from "./sim.ts";

/** Sizes of the demo network: input axons -> hidden layer -> output layer. */
export const DEMO_LAYERS = { axons: 8, hidden: 16, output: 4 } as const;

/**
 * The demo network: neurons sit on three columns of a 2-D plane (axons at x = 0, hidden at x = 4,
 * output at x = 8, heights drawn from `seed`). As in Loci's compiler, each synapse's weight
 * falls with distance (`round(200 / d)`, sign per presynaptic neuron) and its delay grows with
 * it (`round(d) - 3` steps, 1..16); axon links longer than 6 are pruned.
 */
export function buildDemoNetwork(seed = 7): Network {
  const rng = new Random(seed);
  const height = (): number => rng.nextFloat() * 8;
  const axonY = Array.from({ length: DEMO_LAYERS.axons }, height);
  const hiddenY = Array.from({ length: DEMO_LAYERS.hidden }, height);
  const outputY = Array.from({ length: DEMO_LAYERS.output }, height);
  const b = new NetworkBuilder(DEMO_LAYERS.axons);
  b.addNeurons(DEMO_LAYERS.hidden, { threshold: 400, tauMemShift: 2, tauSynShift: 1, refractoryPeriod: 2 });
  const out0 = b.addNeurons(DEMO_LAYERS.output, { threshold: 300, tauMemShift: 3, tauSynShift: 1, refractoryPeriod: 1, resetMode: "subtract" });
  const link = (dy: number, sign: number): { weight: number; delay: number } => {
    const d = Math.hypot(4, dy);
    const w = Math.round((sign * 200) / d);
    return { weight: Math.max(RANGES.weight.min, Math.min(RANGES.weight.max, w)), delay: Math.max(1, Math.min(16, Math.round(d) - 3)) };
  };
  // Long connections (distance > 6) are pruned, as in the paper: they carry the smallest weights.
  axonY.forEach((ya, a) => hiddenY.forEach((yh, h) => {
    if (Math.hypot(4, yh - ya) <= 6) b.addSynapse({ from: { axon: a }, to: h, ...link(yh - ya, 1) });
  }));
  hiddenY.forEach((yh, h) => {
    const sign = h % 4 === 3 ? -1 : 1; // one hidden neuron in four is inhibitory
    outputY.forEach((yo, o) => b.addSynapse({ from: { neuron: h }, to: out0 + o, ...link(yo - yh, sign) }));
  });
  return b.build();
}

/** What the stages share. */
export interface DemoContext {
  readonly io: CliIO;
  readonly json: boolean;
  readonly seed: number;
  readonly steps: number;
  readonly rate: number;
  network?: Network;
  stimulus?: Stimulus;
  result?: RunResult;
  summary?: RunSummary;
  /** Collected for --json. */
  readonly report: Record<string, unknown>;
}

/** One stage of the demo. */
export interface DemoStage {
  readonly title: string;
  run(ctx: DemoContext): void | Promise<void>;
}

function say(ctx: DemoContext, text: string): void {
  if (!ctx.json) ctx.io.out(text);
}

const BUILD: DemoStage = {
  title: "build a spatial network",
  run(ctx) {
    const net = buildDemoNetwork(ctx.seed);
    ctx.network = net;
    const n = net.synapses.source.length;
    ctx.report.network = { axons: net.numAxons, neurons: net.neurons.length, synapses: n, layers: DEMO_LAYERS };
    say(ctx, `  ${net.numAxons} input axons -> ${DEMO_LAYERS.hidden} hidden -> ${DEMO_LAYERS.output} output neurons, ${n} synapses\n`);
    say(ctx, `  weights from inverse distance (${Math.min(...net.synapses.weight)}..${Math.max(...net.synapses.weight)} LSB), delays from distance (${Math.min(...net.synapses.delay)}..${Math.max(...net.synapses.delay)} steps)\n`);
  },
};

const SIMULATE: DemoStage = {
  title: "simulate bit-exactly and cycle-exactly",
  run(ctx) {
    const net = ctx.network!;
    ctx.stimulus = bernoulliStimulus({ steps: ctx.steps, numAxons: net.numAxons, rate: ctx.rate, seed: ctx.seed });
    const sim = new Simulator(net);
    const start = performance.now();
    ctx.result = sim.run(ctx.stimulus);
    ctx.summary = summarizeRun(ctx.result, (performance.now() - start) / 1000);
    say(ctx, `  input: ${ctx.stimulus.events.length} Bernoulli events (rate ${ctx.rate} per axon per step, seed ${ctx.seed}) over ${ctx.steps} steps\n\n`);
    for (const line of raster(ctx.result, net.neurons.length, DEMO_LAYERS.hidden)) say(ctx, `  ${line}\n`);
    const r = ctx.result;
    const spikes: [number, number][] = [];
    for (let k = 0; k < r.steps; k++) for (const j of r.spikesAt(k)) spikes.push([k, j]);
    ctx.report.spikes = spikes;
    ctx.report.cyclesPerStep = Array.from(r.cycles);
  },
};

const REPORT: DemoStage = {
  title: "cycle counts and summary",
  run(ctx) {
    const r = ctx.result!;
    const busiest = r.cycles.indexOf(Math.max(...r.cycles));
    say(ctx, `  busiest step ${busiest}: ${r.cycles[busiest]} cycles, spikes ${formatSpikes(r.spikesAt(busiest))}\n\n`);
    for (const line of formatSummary(ctx.summary!)) say(ctx, `  ${line}\n`);
    ctx.report.summary = ctx.summary;
  },
};

/** The stages of the quick tour, in order. */
export const QUICK_STAGES: readonly DemoStage[] = [BUILD, SIMULATE, REPORT];

/** A spike raster: one row per neuron, one column per step ('|' = spike), a rule between layers. */
export function raster(result: RunResult, numNeurons: number, layerBreak: number): string[] {
  const rows: string[] = [];
  const width = Math.min(result.steps, 100);
  const cells = Array.from({ length: numNeurons }, () => new Array<string>(width).fill("."));
  for (let k = 0; k < width; k++) for (const j of result.spikesAt(k)) cells[j][k] = "|";
  rows.push(`step ${"0".padEnd(10)}${width > 10 ? "10".padEnd(10) : ""}${width > 20 ? "20".padEnd(10) : ""}${width > 30 ? "30" : ""}`.trimEnd());
  for (let j = 0; j < numNeurons; j++) {
    if (j === layerBreak) rows.push(`${"".padEnd(5)}${"-".repeat(width)}`);
    rows.push(`n${String(j).padEnd(3)} ${cells[j].join("")}`);
  }
  if (result.steps > width) rows.push(`(first ${width} of ${result.steps} steps shown)`);
  return rows;
}

/** Run every stage; returns the context (with the JSON report). */
export async function runQuickDemo(io: CliIO, options: { json: boolean; seed: number; steps: number; rate: number }): Promise<DemoContext> {
  const ctx: DemoContext = { io, ...options, report: {} };
  say(ctx, "Loci quick tour: a small spatial spiking network on the simulated Loci core\n");
  for (const [k, stage] of QUICK_STAGES.entries()) {
    say(ctx, `\n[${k + 1}/${QUICK_STAGES.length}] ${stage.title}\n`);
    await stage.run(ctx);
  }
  if (options.json) printJson(io, ctx.report);
  return ctx;
}
