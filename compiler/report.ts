// SPDX-License-Identifier: Apache-2.0
// The compile report: synapses and sparsity, pruning per projection, memory use against capacity,
// weight and delay histograms, quantization error, and predicted cycles per step and steps per
// second at the board clock (the simulator's cycle model under a stated activity assumption).

import type { ImagePopulation } from "../sim/core-image.ts";
import type { Network } from "../sim/network.ts";
import { Simulator } from "../sim/simulator.ts";
import { CORE_SPEC_VERSION, DEFAULT_CORE_CLOCK_HZ, DELAY_SLOTS, RANGES, type Capacity } from "../sim/spec.ts";
import type { CompiledModel, ThresholdError } from "./compile.ts";
import { formatCount } from "./map.ts";
import type { PruneCounts } from "./prune.ts";
import type { DelayError, WeightError } from "./quantize.ts";

/** Mean spikes per step assumed for the timing estimate. */
export interface ActivityAssumption {
  /** Spikes per input axon per step (0..1). */
  readonly inputRate: number;
  /** Spikes per neuron per step (0..1). */
  readonly neuronRate: number;
}

/** Default activity: 10 % of the axons and 5 % of the neurons spike in a step (MNIST rate code ≈ 0.13 · maxRate). */
export const DEFAULT_ACTIVITY: ActivityAssumption = Object.freeze({ inputRate: 0.1, neuronRate: 0.05 });

/** Used and available amount of one resource. */
export interface Usage {
  readonly used: number;
  readonly capacity: number;
  /** used / capacity. */
  readonly fraction: number;
}

/** Pruning of one projection. */
export interface ProjectionReport extends PruneCounts {
  readonly from: string;
  readonly to: string;
  /** removedMass / weightMass. */
  readonly removedMassFraction: number;
}

/** A histogram: `counts[k]` values in `[edges[k], edges[k + 1])`. */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/** Predicted speed on the board. */
export interface TimingReport {
  readonly clockHz: number;
  readonly activity: ActivityAssumption;
  readonly learning: boolean;
  /** Expected cycles per step under the activity assumption. */
  readonly cyclesPerStep: number;
  readonly stepsPerSecond: number;
  /** Every axon and every neuron spiking in one step. */
  readonly worstCaseCyclesPerStep: number;
  readonly worstCaseStepsPerSecond: number;
  /** Steps per sample of the input encoding, and samples per second at the expected rate. */
  readonly stepsPerSample: number;
  readonly samplesPerSecond: number;
}

/** Everything `loci compile` reports (its `--json` document). */
export interface CompileReport {
  readonly model: { readonly name?: string; readonly digest: string; readonly dimensions: number };
  readonly target: { readonly board?: string; readonly capacity: Capacity; readonly coreSpecVersion: number };
  readonly options: { readonly fit: boolean; readonly sparsity: number; readonly scale: string; readonly headroom: number };
  /** Where each population sits, with its scale (LIF) and whether the threshold limited it. */
  readonly populations: readonly (ImagePopulation & { readonly thresholdLimited?: boolean })[];
  readonly synapses: PruneCounts & {
    /** 1 − kept / candidates. */
    readonly sparsity: number;
    readonly removedMassFraction: number;
    readonly plastic: number;
    readonly perProjection: readonly ProjectionReport[];
  };
  readonly memory: {
    readonly neurons: Usage;
    readonly axons: Usage;
    readonly synapses: Usage;
    readonly maxFanIn: Usage;
    readonly imageBytes: number;
  };
  readonly quantization: { readonly weights: WeightError; readonly delays: DelayError; readonly thresholds: ThresholdError };
  readonly histograms: { readonly weights: Histogram; readonly delays: Histogram };
  readonly timing: TimingReport;
}

const usage = (used: number, capacity: number): Usage => ({ used, capacity, fraction: capacity === 0 ? 0 : used / capacity });

/** Histogram of the integer weights in 16 bins of 16 LSBs: −128..−113, …, 112..127. */
export function weightHistogram(weights: ArrayLike<number>): Histogram {
  const bins = 16;
  const width = (RANGES.weight.max - RANGES.weight.min + 1) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let k = 0; k < weights.length; k++) counts[Math.floor((weights[k] - RANGES.weight.min) / width)]++;
  return { edges: Array.from({ length: bins + 1 }, (_, k) => RANGES.weight.min + k * width), counts };
}

/** Histogram of delays: one bin per delay 1..16. */
export function delayHistogram(delays: ArrayLike<number>): Histogram {
  const counts = new Array<number>(DELAY_SLOTS).fill(0);
  for (let k = 0; k < delays.length; k++) counts[delays[k] - 1]++;
  return { edges: Array.from({ length: DELAY_SLOTS + 1 }, (_, k) => k + 1), counts };
}

/**
 * Predicted cycles per step from the simulator's cycle model (`Simulator.predictCycles`). The
 * model is linear in the spikes, so the expectation under independent activity is
 * `P(∅) + inputRate · (P(all axons) − P(∅)) + neuronRate · (P(all neurons) − P(∅))`.
 */
export function predictTiming(network: Network, activity: ActivityAssumption, stepsPerSample: number, clockHz: number = DEFAULT_CORE_CLOCK_HZ): TimingReport {
  const sim = new Simulator(network);
  const learn = network.learning.enabled;
  const allAxons = Int32Array.from({ length: network.numAxons }, (_, a) => a);
  const allNeurons = Int32Array.from({ length: network.neurons.length }, (_, j) => j);
  const idle = sim.predictCycles([], [], learn);
  const axons = sim.predictCycles(allAxons, [], learn) - idle;
  const neurons = sim.predictCycles([], allNeurons, learn) - idle;
  const cyclesPerStep = idle + activity.inputRate * axons + activity.neuronRate * neurons;
  const worst = sim.predictCycles(allAxons, allNeurons, learn);
  return {
    clockHz,
    activity,
    learning: learn,
    cyclesPerStep,
    stepsPerSecond: clockHz / cyclesPerStep,
    worstCaseCyclesPerStep: worst,
    worstCaseStepsPerSecond: clockHz / worst,
    stepsPerSample,
    samplesPerSecond: clockHz / (cyclesPerStep * stepsPerSample),
  };
}

/** Build the report of a compilation. */
export function compileReport(compiled: CompiledModel, activity: ActivityAssumption = DEFAULT_ACTIVITY, clockHz: number = DEFAULT_CORE_CLOCK_HZ): CompileReport {
  const { model, network, map, pruning, options } = compiled;
  const cap = options.capacity;
  const s = network.synapses;
  let plastic = 0;
  for (let k = 0; k < s.plastic.length; k++) plastic += s.plastic[k];
  const fraction = (c: PruneCounts): number => (c.weightMass === 0 ? 0 : c.removedMass / c.weightMass);
  return {
    model: { ...(model.metadata?.name === undefined ? {} : { name: model.metadata.name }), digest: compiled.meta.model?.digest ?? "", dimensions: model.dimensions },
    target: { ...(options.boardName === undefined ? {} : { board: options.boardName }), capacity: cap, coreSpecVersion: CORE_SPEC_VERSION },
    options: { fit: options.fit, sparsity: options.sparsity, scale: options.scale, headroom: options.headroom },
    populations: map.placements.map((p) => {
      const sc = compiled.scales[p.population];
      return { name: p.name, kind: p.kind, first: p.first, size: p.size, ...(sc === undefined ? {} : sc) };
    }),
    synapses: {
      ...pruning.total,
      sparsity: compiled.candidates === 0 ? 0 : 1 - pruning.total.kept / compiled.candidates,
      removedMassFraction: fraction(pruning.total),
      plastic,
      perProjection: pruning.perProjection.map((c, k) => ({ from: model.projections[k].from, to: model.projections[k].to, ...c, removedMassFraction: fraction(c) })),
    },
    memory: {
      neurons: usage(network.neurons.length, cap.neurons),
      axons: usage(network.numAxons, cap.axons),
      synapses: usage(s.source.length, cap.synapses),
      maxFanIn: usage(pruning.maxFanIn, cap.maxFanIn),
      imageBytes: compiled.image.length,
    },
    quantization: compiled.quantization,
    histograms: { weights: weightHistogram(s.weight), delays: delayHistogram(s.delay) },
    timing: predictTiming(network, activity, model.encoding.steps, clockHz),
  };
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;
const num = (x: number, digits = 0): string => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Histogram rows: label, count and a bar of `#` scaled to `width` for the largest count. */
export function histogramRows(h: Histogram, label: (k: number) => string, width = 32): string[] {
  const max = Math.max(1, ...h.counts);
  return h.counts.map((c, k) => `${label(k).padStart(10)} ${formatCount(c).padStart(7)} ${"#".repeat(Math.round((c / max) * width))}`.trimEnd());
}

/** The text report of `loci compile`. */
export function formatCompileReport(r: CompileReport, imagePath?: string): string[] {
  const lines: string[] = [];
  const cap = r.target.capacity;
  lines.push(
    `model        ${r.model.name ?? "(unnamed)"}, ${r.model.dimensions}-D positions, sha256 ${r.model.digest.slice(0, 16)}…`,
    `target       ${r.target.board ?? "custom core"}: ${formatCount(cap.neurons)} neurons, ${formatCount(cap.axons)} axons, ${formatCount(cap.synapses)} synapses, fan-in ${formatCount(cap.maxFanIn)}; core spec v${r.target.coreSpecVersion}`,
    `image        ${imagePath === undefined ? "" : `${imagePath}, `}${formatCount(r.memory.imageBytes)} bytes`,
    "",
    "populations",
  );
  for (const p of r.populations) {
    const range = `${p.kind === "input" ? "axons" : "neurons"} ${p.first}..${p.first + p.size - 1}`;
    const scale = p.weightScale === undefined ? "" : `  scale ${num(p.weightScale, 3)} LSB/unit, weightShift ${p.weightShift}${p.thresholdLimited === true ? " (threshold-limited)" : ""}`;
    lines.push(`  ${p.name.padEnd(12)} ${p.kind.padEnd(5)} ${range.padEnd(18)} ${formatCount(p.size).padStart(6)}${scale}`);
  }
  const sy = r.synapses;
  lines.push(
    "",
    `synapses     ${formatCount(sy.kept)} of ${formatCount(sy.candidates)} candidates kept (sparsity ${pct(sy.sparsity)}; weight mass removed ${pct(sy.removedMassFraction)}); ${formatCount(sy.plastic)} plastic`,
    `  removed    ${formatCount(sy.zeroDropped)} zero after quantization, ${formatCount(sy.removedBySparsity)} by --sparsity, ${formatCount(sy.removedToFit)} to fit`,
  );
  for (const p of sy.perProjection) {
    lines.push(
      `  ${`${p.from} → ${p.to}`.padEnd(24)} ${formatCount(p.kept).padStart(7)} of ${formatCount(p.candidates).padEnd(7)} kept; pruned ${formatCount(p.candidates - p.kept)} (mass ${pct(p.removedMassFraction)})`,
    );
  }
  const m = r.memory;
  const use = (label: string, u: Usage): string => `${label} ${formatCount(u.used)}/${formatCount(u.capacity)} (${pct(u.fraction)})`;
  lines.push("", `memory       ${[use("neurons", m.neurons), use("axons", m.axons), use("synapses", m.synapses), use("max fan-in", m.maxFanIn)].join(", ")}`);
  const q = r.quantization;
  lines.push(
    "",
    "quantization",
    `  weights    RMS error ${q.weights.rms.toPrecision(3)} units (${pct(q.weights.relativeRms, 2)} of RMS weight), max ${pct(q.weights.maxRelative, 2)} of the population's largest, ${q.weights.clamped} clamped`,
    `  delays     mean |Δ| ${q.delays.meanAbs.toFixed(3)} steps (max ${q.delays.maxAbs.toFixed(2)}) over ${formatCount(q.delays.count)} distance delays; ${q.delays.clampedLow} raised to 1, ${q.delays.clampedHigh} cut to 16`,
    `  thresholds max error ${pct(q.thresholds.maxRelative, 4)}, ${q.thresholds.clamped} clamped`,
    "",
    "weights (LSB)",
    ...histogramRows(r.histograms.weights, (k) => `${r.histograms.weights.edges[k]}..${r.histograms.weights.edges[k + 1] - 1}`),
    "delays (steps)",
    ...histogramRows(r.histograms.delays, (k) => String(k + 1)),
  );
  const t = r.timing;
  lines.push(
    "",
    `timing       ≈ ${num(t.cyclesPerStep)} cycles/step → ${num(t.stepsPerSecond)} steps/s at ${num(t.clockHz / 1e6)} MHz, assuming ${pct(t.activity.inputRate, 0)} of axons and ${pct(t.activity.neuronRate, 0)} of neurons spike per step${t.learning ? " (learning on)" : ""}`,
    `             ${num(t.stepsPerSample)} steps/sample → ${num(t.samplesPerSecond)} samples/s; worst case (all spike) ${num(t.worstCaseCyclesPerStep)} cycles → ${num(t.worstCaseStepsPerSecond)} steps/s`,
  );
  return lines;
}
