// SPDX-License-Identifier: Apache-2.0
// `loci hil <image> --port P`: hardware in the loop. Runs stimuli on the board and on the golden
// simulator and compares, exactly, every output spike, the read-back state (membranes, currents,
// refractory counters, traces, ring, learned weights) and the cycle counters.

import { LociError } from "../../../sim/errors.ts";
import type { CoreMemories } from "../../../sim/memory-layout.ts";
import { Simulator, type CoreState } from "../../../sim/simulator.ts";
import { bernoulliStimulus, readStimulusFile, scheduleStimulus, type InputSchedule } from "../../../sim/stimulus.ts";
import type { Board, BoardCounters } from "../../driver/board.ts";
import { loadImage } from "../../driver/load-image.ts";
import { openBoard } from "../../driver/open-port.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";
import { requirePort, withPortOptions, type PortOptions } from "./board.ts";

/** Options of `loci hil`. */
export interface HilOptions extends PortOptions {
  /** Generated cases (ignored with --input). */
  readonly cases: number;
  readonly steps: number;
  readonly rate: number;
  readonly seed: number;
  readonly input?: string;
}

/** One disagreement between board and simulator. */
export interface HilMismatch {
  readonly case: number;
  /** What differs: "spikes", "state.membrane", "counters.cycles", ... */
  readonly what: string;
  /** Step (spikes) or index (state arrays). */
  readonly at?: number;
  readonly board: unknown;
  readonly sim: unknown;
}

/** What `loci hil` reports. */
export interface HilReport {
  readonly image: string;
  readonly port: string;
  readonly cases: number;
  readonly mismatches: number;
  readonly steps: number;
  readonly spikes: number;
  readonly cycles: number;
  /** The first disagreements (at most 20). */
  readonly first: HilMismatch[];
}

/** Compare two state snapshots field by field; pushes mismatches (first index of each field). */
export function compareStates(caseIndex: number, board: CoreState, sim: CoreState, out: HilMismatch[]): number {
  let count = 0;
  if (board.step !== sim.step) {
    out.push({ case: caseIndex, what: "state.step", board: board.step, sim: sim.step });
    count++;
  }
  for (const key of ["membrane", "current", "refractory", "neuronTrace", "axonTrace", "weights", "ring"] as const) {
    const a = board[key];
    const b = sim[key];
    if (a.length !== b.length) {
      out.push({ case: caseIndex, what: `state.${key}.length`, board: a.length, sim: b.length });
      count++;
      continue;
    }
    let first = -1;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        if (first < 0) first = i;
        n++;
      }
    }
    if (n > 0) {
      out.push({ case: caseIndex, what: `state.${key}`, at: first, board: a[first], sim: b[first] });
      count += n;
    }
  }
  return count;
}

/** Run one case on both sides and compare. */
async function runCase(caseIndex: number, board: Board, sim: Simulator, schedule: InputSchedule, numSynapses: number, out: HilMismatch[]): Promise<{ mismatches: number; spikes: number; cycles: number }> {
  await board.reset();
  sim.reset();
  const { base, count } = { base: sim.memories.config.recordBase, count: sim.memories.config.recordCount };
  const result = await board.run(schedule.steps, (t) => schedule.at(t));
  let mismatches = 0;
  let lastCycles = 0;
  let spikes = 0;
  for (let t = 0; t < schedule.steps; t++) {
    const r = sim.stepOnce(schedule.at(t));
    lastCycles = r.cycles;
    const expected = Array.from(r.spikes).filter((j) => j >= base && j < base + count);
    spikes += expected.length;
    const got = result.spikes[t];
    if (got.length !== expected.length || got.some((j, i) => j !== expected[i])) {
      if (mismatches === 0 || out.length < 20) out.push({ case: caseIndex, what: "spikes", at: t, board: got, sim: expected });
      mismatches++;
    }
  }
  const state = await board.readState(sim.numNeurons, sim.numAxons, numSynapses);
  mismatches += compareStates(caseIndex, state, sim.snapshot(), out);
  const bc: BoardCounters = await board.counters();
  const sc = sim.counters();
  const expected: Partial<Record<keyof BoardCounters, number>> = {
    steps: sim.step,
    cycles: sc.cycles % 2 ** 32,
    lastStepCycles: lastCycles,
    spikes: sc.spikes,
    inputEvents: sc.inputEvents,
    synapticEvents: sc.synapticEvents,
  };
  for (const [k, v] of Object.entries(expected) as [keyof BoardCounters, number][]) {
    if (bc[k] !== v) {
      out.push({ case: caseIndex, what: `counters.${k}`, board: bc[k], sim: v });
      mismatches++;
    }
  }
  return { mismatches, spikes, cycles: sc.cycles };
}

/** The stimuli of a hil run: the --input file, or `cases` Bernoulli inputs from seed, seed+1, ... */
export function hilStimuli(options: HilOptions, numAxons: number): InputSchedule[] {
  if (options.input !== undefined) return [scheduleStimulus(readStimulusFile(options.input, { numAxons }), numAxons)];
  return Array.from({ length: options.cases }, (_, c) =>
    scheduleStimulus(bernoulliStimulus({ steps: options.steps, numAxons, rate: options.rate, seed: options.seed + c }), numAxons),
  );
}

/**
 * Run every case on a board that holds `memories` and on a simulator loaded from them; compare.
 * The board and the simulator both keep learned weights across cases (RESET keeps them).
 */
export async function hilOnBoard(board: Board, memories: CoreMemories, stimuli: readonly InputSchedule[], onCase?: (done: number, mismatches: number) => void): Promise<Omit<HilReport, "image" | "port">> {
  const sim = new Simulator(memories);
  const out: HilMismatch[] = [];
  let mismatches = 0;
  let steps = 0;
  let spikes = 0;
  let cycles = 0;
  for (let c = 0; c < stimuli.length; c++) {
    const r = await runCase(c, board, sim, stimuli[c], memories.synapseLow.length, out);
    mismatches += r.mismatches;
    steps += stimuli[c].steps;
    spikes += r.spikes;
    cycles += r.cycles;
    onCase?.(c + 1, mismatches);
  }
  return { cases: stimuli.length, mismatches, steps, spikes, cycles, first: out.slice(0, 20) };
}

/** Flash the image, run every case on board and simulator, and compare. */
export async function runHil(imagePath: string, options: HilOptions, io: CliIO): Promise<HilReport> {
  const image = loadImage(imagePath);
  new Simulator(image.memories, { file: imagePath }); // refuse an invalid image before touching the board
  const stimuli = hilStimuli(options, image.memories.config.numAxons);
  const board = await openBoard(requirePort(options), { baud: options.baud });
  try {
    await board.flash(image.memories);
    const bar = progressBar(io, "hil", stimuli.length, !options.json);
    const r = await hilOnBoard(board, image.memories, stimuli, (done, m) => bar.update(done, `${m} mismatches`));
    bar.done();
    return { image: imagePath, port: board.transport.description, ...r };
  } finally {
    await board.close();
  }
}

function printHil(io: CliIO, r: HilReport): void {
  io.out(`hil ${r.image} on ${r.port}: ${r.cases} cases, ${r.steps} steps, ${r.spikes} spikes, ${r.cycles} cycles compared\n`);
  io.out(`${JSON.stringify({ cases: r.cases, mismatches: r.mismatches })}\n`);
}

/** Register `loci hil`. */
export const registerHil: CommandRegistrar = (program: Command, io: CliIO) => {
  withPortOptions(
    program
      .command("hil")
      .description("run stimuli on the board and the simulator; compare spikes, read-back state and cycle counts exactly")
      .argument("<image>", "core image (*.loci) or network file (*.net.json)")
      .option("--cases <n>", "generated cases", intOption("--cases", 1, 10_000), 4)
      .option("--steps <n>", "steps per generated case", intOption("--steps", 1, 1_000_000), 64)
      .option("--rate <r>", "input probability per axon per step", numberOption("--rate", 0, 1), 0.05)
      .option("--seed <s>", "seed of the first case", intOption("--seed", 0, 2 ** 31), 1)
      .option("--input <stim.json>", "one stimulus file instead of generated cases"),
  ).action(async (imagePath: string, opts: HilOptions) => {
    const report = await runHil(imagePath, opts, io);
    if (report.mismatches > 0) {
      if (!opts.json) printHil(io, report);
      throw new LociError("E_MISMATCH", `board and simulator disagree: ${report.mismatches} mismatches in ${report.cases} cases (first: ${report.first[0]?.what ?? "?"})`, {
        context: { cases: report.cases, mismatches: report.mismatches, first: report.first.slice(0, 5) },
        suggestion: "Run `loci cosim` on the RTL, or compare `loci board info` with the image's capacity.",
      });
    }
    if (opts.json) printJson(io, report);
    else printHil(io, report);
  });
};
