// SPDX-License-Identifier: Apache-2.0
// `loci sim`: run a network file on the bit-exact, cycle-exact simulator with a stimulus file or
// a generated Bernoulli input; print spikes, cycles per step and a summary (or one JSON
// document), and optionally dump probed neurons to a VCD for GTKWave.

import { InvalidArgumentError } from "commander";
import { performance } from "node:perf_hooks";
import { LociError } from "../../../sim/errors.ts";
import { writeFileAtomic } from "../../../sim/json-file.ts";
import { loadNetwork, type LoadedNetwork } from "../../../sim/load.ts";
import { summarizeRun, type RunSummary } from "../../../sim/run-summary.ts";
import { Simulator, type RunResult } from "../../../sim/simulator.ts";
import { DEFAULT_CORE_CLOCK_HZ } from "../../../sim/spec.ts";
import { bernoulliStimulus, readStimulusFile, type Stimulus } from "../../../sim/stimulus.ts";
import { VcdWriter } from "../../../sim/vcd.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";

/** Options of `loci sim` after parsing. */
export interface SimOptions {
  /** Steps to run; default: the stimulus file's length (required with --rate or no input). */
  readonly steps?: number;
  /** Stimulus file (`loci-stimulus` JSON). */
  readonly input?: string;
  /** Bernoulli input: probability per axon per step, 0..1. */
  readonly rate?: number;
  /** Seed of the generated input (default 1). */
  readonly seed: number;
  /** VCD output path (written only after the run succeeds). */
  readonly vcd?: string;
  /** Neurons dumped to the VCD (default: the first min(16, numNeurons)). */
  readonly probe?: readonly number[];
  /** Core clock for the predicted speed (Hz, default 24 MHz). */
  readonly clockHz: number;
  /** Most table rows printed in text mode (default 200). */
  readonly maxRows: number;
  readonly json: boolean;
}

/** Everything a finished simulation produced, for printing. */
export interface SimReport {
  readonly network: LoadedNetwork;
  readonly numSynapses: number;
  readonly stimulusLabel: string;
  readonly result: RunResult;
  /** Input events of each run step. */
  readonly inputsPerStep: Int32Array;
  readonly summary: RunSummary;
  readonly vcd?: string;
}

/** Parse "0,1,5" into distinct non-negative integers (for commander). */
export function parseProbeList(value: string): number[] {
  const parts = value.split(",").map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new InvalidArgumentError(`--probe must be a comma-separated list of neuron indices, got "${value}"`);
  const list = parts.map(Number);
  if (new Set(list).size !== list.length) throw new InvalidArgumentError(`--probe lists a neuron twice: "${value}"`);
  return list;
}

function usage(message: string, suggestion: string): LociError {
  return new LociError("E_USAGE", message, { suggestion });
}

function chooseStimulus(options: SimOptions, loaded: LoadedNetwork): { stimulus: Stimulus; steps: number; label: string } {
  if (options.input !== undefined && options.rate !== undefined) {
    throw usage("--input and --rate cannot be used together", "Give either a stimulus file or a generated rate.");
  }
  if (options.input !== undefined) {
    const stimulus = readStimulusFile(options.input, { numAxons: loaded.numAxons });
    return { stimulus, steps: options.steps ?? stimulus.steps, label: `${options.input} (${stimulus.events.length} events)` };
  }
  if (options.steps === undefined) throw usage("--steps is required without --input", "Pass --steps N.");
  if (options.rate !== undefined) {
    const stimulus = bernoulliStimulus({ steps: options.steps, numAxons: loaded.numAxons, rate: options.rate, seed: options.seed });
    return { stimulus, steps: options.steps, label: `Bernoulli rate ${options.rate}/axon/step, seed ${options.seed} (${stimulus.events.length} events)` };
  }
  return { stimulus: { steps: 0, events: [] }, steps: options.steps, label: "none" };
}

/**
 * Load, check and simulate. Every input is checked before the first step; the VCD is written
 * (atomically) only after the run succeeds, so a failure leaves no partial output.
 */
export function simulate(networkPath: string, options: SimOptions, io: CliIO): SimReport {
  const network = loadNetwork(networkPath);
  const sim = new Simulator(network.source, { file: networkPath });
  const { stimulus, steps, label } = chooseStimulus(options, network);
  if (options.probe !== undefined && options.vcd === undefined) throw usage("--probe needs --vcd <file>", "Add --vcd out.vcd.");
  const probes = options.probe ?? Array.from({ length: Math.min(16, network.numNeurons) }, (_, j) => j);
  const vcd = options.vcd === undefined ? undefined : new VcdWriter(sim, { probes, comment: `loci sim ${networkPath}` });
  const bar = progressBar(io, "simulating", steps, !options.json);
  const start = performance.now();
  const result = sim.run(stimulus, steps, {
    onProgress: (done) => bar.update(done),
    ...(vcd === undefined ? {} : { onStep: (r, s) => vcd.sample(r.step, s, r.spikes, r.cycles) }),
  });
  const wall = (performance.now() - start) / 1000;
  bar.done();
  if (vcd !== undefined && options.vcd !== undefined) writeFileAtomic(options.vcd, vcd.text());
  const inputsPerStep = new Int32Array(steps);
  for (const [step] of stimulus.events) if (step < steps) inputsPerStep[step]++;
  return {
    network,
    numSynapses: sim.index.target.length,
    stimulusLabel: label,
    result,
    inputsPerStep,
    summary: summarizeRun(result, wall, options.clockHz),
    ...(options.vcd === undefined ? {} : { vcd: options.vcd }),
  };
}

const fmt = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

/** The compact spike list of one step: "n3 n5 n9", at most `limit` names then "+N more". */
export function formatSpikes(spikes: ArrayLike<number>, limit = 24): string {
  if (spikes.length === 0) return "-";
  const names: string[] = [];
  for (let k = 0; k < Math.min(limit, spikes.length); k++) names.push(`n${spikes[k]}`);
  return spikes.length > limit ? `${names.join(" ")} +${spikes.length - limit} more` : names.join(" ");
}

/** The step table: one row per step with spikes or inputs; idle runs of steps collapse into one row. */
export function formatStepTable(result: RunResult, inputsPerStep: ArrayLike<number>, maxRows: number): string[] {
  const rows: string[] = [`${"step".padStart(9)}  ${"cycles".padStart(7)}  ${"in".padStart(4)}  spikes`];
  let printed = 0;
  let omitted = 0;
  const push = (row: string): void => {
    if (printed < maxRows) rows.push(row);
    else omitted++;
    printed++;
  };
  let k = 0;
  while (k < result.steps) {
    const spikes = result.spikesAt(k);
    const inputs = inputsPerStep[k];
    if (spikes.length > 0 || inputs > 0) {
      push(`${String(result.firstStep + k).padStart(9)}  ${String(result.cycles[k]).padStart(7)}  ${String(inputs).padStart(4)}  ${formatSpikes(spikes)}`);
      k++;
      continue;
    }
    let end = k;
    let lo = result.cycles[k];
    let hi = lo;
    while (end + 1 < result.steps && result.spikesAt(end + 1).length === 0 && inputsPerStep[end + 1] === 0) {
      end++;
      lo = Math.min(lo, result.cycles[end]);
      hi = Math.max(hi, result.cycles[end]);
    }
    const range = end === k ? String(result.firstStep + k) : `${result.firstStep + k}-${result.firstStep + end}`;
    push(`${range.padStart(9)}  ${(lo === hi ? String(lo) : `${lo}-${hi}`).padStart(7)}  ${"0".padStart(4)}  - ${end > k ? `(${end - k + 1} idle steps)` : ""}`.trimEnd());
    k = end + 1;
  }
  if (omitted > 0) rows.push(`  ... ${omitted} more rows (raise --max-rows, or use --json for every step)`);
  return rows;
}

/** The summary block of a run, one "label value" line each. */
export function formatSummary(s: RunSummary): string[] {
  const mhz = s.clockHz / 1e6;
  const simRate = s.wallSeconds > 0 ? ` (${fmt(Math.round(s.steps / s.wallSeconds))} steps/s, ${(s.synapticEvents / s.wallSeconds / 1e6).toPrecision(3)} M synaptic events/s on this host)` : "";
  return [
    "summary",
    `  steps            ${fmt(s.steps)}`,
    `  spikes           ${fmt(s.spikes)} (output events in the record window: ${fmt(s.outputEvents)})`,
    `  input events     ${fmt(s.inputEvents)}`,
    `  synaptic events  ${fmt(s.synapticEvents)}`,
    `  total cycles     ${fmt(s.totalCycles)} (mean ${fmt(s.meanCyclesPerStep)}, max ${fmt(s.maxCyclesPerStep)} per step)`,
    `  predicted speed  ${fmt(Math.round(s.predictedStepsPerSecond))} steps/s at a ${fmt(mhz)} MHz core clock (stalls excluded)`,
    `  wall time        ${fmt(s.wallSeconds * 1000)} ms${simRate}`,
  ];
}

/** Print the text report: network, input, the step table and the summary. */
export function printSimText(io: CliIO, report: SimReport, maxRows: number): void {
  const n = report.network;
  io.out(`network   ${n.path} (${n.format}): ${n.numNeurons} neurons, ${n.numAxons} axons, ${report.numSynapses} synapses\n`);
  io.out(`input     ${report.stimulusLabel}\n\n`);
  for (const row of formatStepTable(report.result, report.inputsPerStep, maxRows)) io.out(`${row}\n`);
  io.out("\n");
  for (const line of formatSummary(report.summary)) io.out(`${line}\n`);
  if (report.vcd !== undefined) io.out(`\nwrote ${report.vcd}\n`);
}

/** The `--json` document: spikes as [step, neuron] pairs, cycles of every step, the summary. */
export function simJson(report: SimReport): Record<string, unknown> {
  const r = report.result;
  const spikes: [number, number][] = [];
  for (let k = 0; k < r.steps; k++) for (const j of r.spikesAt(k)) spikes.push([r.firstStep + k, j]);
  return {
    network: { path: report.network.path, format: report.network.format, numNeurons: report.network.numNeurons, numAxons: report.network.numAxons, numSynapses: report.numSynapses },
    input: report.stimulusLabel,
    firstStep: r.firstStep,
    steps: r.steps,
    spikes,
    cyclesPerStep: Array.from(r.cycles),
    summary: report.summary,
    ...(report.vcd === undefined ? {} : { vcd: report.vcd }),
  };
}

/** Register `loci sim`. */
export const registerSim: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("sim")
    .description("simulate a network file bit-exactly and cycle-exactly; print spikes, cycles per step and a summary")
    .argument("<network-file>", "network file (*.net.json, docs/formats/network-file.md)")
    .option("--steps <n>", "steps to run (default: the stimulus length)", intOption("--steps", 0, 2 ** 31 - 1))
    .option("--input <stim.json>", "stimulus file (docs/formats/stimulus.md)")
    .option("--rate <r>", "generated Bernoulli input: probability per axon per step (0..1)", numberOption("--rate", 0, 1))
    .option("--seed <s>", "seed of the generated input", intOption("--seed", 0, 2 ** 32 - 1), 1)
    .option("--vcd <out.vcd>", "write probed neurons (membrane, current, refractory, trace, spike) and cycles to a VCD")
    .option("--probe <list>", "neurons to dump to the VCD, e.g. 0,1,5 (default: the first 16)", parseProbeList)
    .option("--clock-hz <hz>", "core clock for the predicted steps/s", intOption("--clock-hz", 1, 1e9), DEFAULT_CORE_CLOCK_HZ)
    .option("--max-rows <n>", "most rows of the step table in text mode", intOption("--max-rows", 0, 1e9), 200)
    .option("--json", "print one JSON document (spikes, cycles per step, summary)", false)
    .action((networkPath: string, opts: SimOptions) => {
      const report = simulate(networkPath, opts, io);
      if (opts.json) printJson(io, simJson(report));
      else printSimText(io, report, opts.maxRows);
    });
};
