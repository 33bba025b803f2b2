// SPDX-License-Identifier: Apache-2.0
// `loci run <image> --input <spikes> --port P`: flash the image, stream the input events, collect
// the output spikes with their steps, and read back counters (and learned weights).

import { LociError } from "../../../sim/errors.ts";
import { bernoulliStimulus, readStimulusFile, scheduleStimulus, type InputSchedule } from "../../../sim/stimulus.ts";
import { loadImage, type LoadedImage } from "../../driver/load-image.ts";
import type { BoardCounters } from "../../driver/board.ts";
import { decodeSynapse } from "../../../sim/memory-layout.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";
import { openPort, withPortOptions, type PortOptions } from "./board.ts";
import { formatSpikes } from "./sim.ts";

/** Options of `loci run`. */
export interface RunCommandOptions extends PortOptions {
  readonly input?: string;
  readonly rate?: number;
  readonly steps?: number;
  readonly seed: number;
  /** Flash the image first (default true; --no-flash runs what the board holds). */
  readonly flash: boolean;
  /** Read back the learned weights after the run. */
  readonly weights: boolean;
}

/** What `loci run` reports. */
export interface RunReport {
  readonly image: string;
  readonly port: string;
  readonly startStep: number;
  readonly steps: number;
  readonly inputEvents: number;
  /** Output spikes as [step, neuron]. */
  readonly spikes: [number, number][];
  readonly counters: BoardCounters;
  readonly ms: number;
  /** Learned weights in memory order (with --weights), and how many differ from the image. */
  readonly weights?: number[];
  readonly weightsChanged?: number;
}

/** The input schedule of a run: a stimulus file or a generated Bernoulli input. */
export function runInput(options: { input?: string; rate?: number; steps?: number; seed: number }, numAxons: number): InputSchedule {
  if (options.input !== undefined && options.rate !== undefined) throw new LociError("E_USAGE", "--input and --rate cannot be used together", { suggestion: "Give one of them." });
  if (options.input !== undefined) {
    const stim = readStimulusFile(options.input, { numAxons });
    return scheduleStimulus(options.steps === undefined ? stim : { ...stim, steps: options.steps, events: stim.events.filter(([s]) => s < options.steps!) }, numAxons);
  }
  if (options.steps === undefined) throw new LociError("E_USAGE", "--steps is required without --input", { suggestion: "Pass --steps N (and --rate r for generated input)." });
  return scheduleStimulus(bernoulliStimulus({ steps: options.steps, numAxons, rate: options.rate ?? 0, seed: options.seed }), numAxons);
}

/** Run an image on the board on `--port`. `signal` aborts the run (the board finishes the step in progress). */
export async function runImage(imagePath: string, options: RunCommandOptions, io: CliIO, signal?: AbortSignal): Promise<RunReport> {
  const image: LoadedImage = loadImage(imagePath);
  const schedule = runInput(options, image.memories.config.numAxons);
  if (schedule.steps < 1) throw new LociError("E_USAGE", "the run has no steps", { suggestion: "Pass --steps N." });
  const board = await openPort(options, io);
  try {
    if (options.flash) await board.flash(image.memories);
    else await board.reset();
    const bar = progressBar(io, "run", schedule.steps, !options.json);
    const result = await board.run(schedule.steps, (t) => schedule.at(t), { onProgress: (d) => bar.update(d), signal });
    bar.done();
    const spikes: [number, number][] = [];
    result.spikes.forEach((ids, t) => ids.forEach((j) => spikes.push([result.startStep + t, j])));
    const counters = await board.counters();
    let weights: number[] | undefined;
    let weightsChanged: number | undefined;
    if (options.weights) {
      weights = Array.from(await board.readWeights(image.numSynapses));
      const cap = image.memories.capacity;
      weightsChanged = weights.filter((w, k) => w !== decodeSynapse(cap, BigInt(image.memories.synapseLow[k]) | (BigInt(image.memories.synapseHigh[k]) << 32n)).weight).length;
    }
    return {
      image: imagePath,
      port: board.transport.description,
      startStep: result.startStep,
      steps: result.steps,
      inputEvents: schedule.eventCount,
      spikes,
      counters,
      ms: result.ms,
      ...(weights === undefined ? {} : { weights, weightsChanged }),
    };
  } finally {
    await board.close();
  }
}

function printRun(io: CliIO, r: RunReport): void {
  io.out(`ran ${r.steps} steps of ${r.image} on ${r.port} from step ${r.startStep}: ${r.inputEvents} input events, ${r.spikes.length} output spikes in ${r.ms.toFixed(0)} ms\n`);
  const byStep = new Map<number, number[]>();
  for (const [s, j] of r.spikes) byStep.set(s, [...(byStep.get(s) ?? []), j]);
  let rows = 0;
  for (const [s, ids] of byStep) {
    if (rows++ >= 50) {
      io.out(`  ... ${byStep.size - 50} more steps with spikes (use --json)\n`);
      break;
    }
    io.out(`  step ${String(s).padStart(7)}  ${formatSpikes(ids)}\n`);
  }
  const c = r.counters;
  io.out(`counters   steps ${c.steps}, cycles ${c.cycles} (last step ${c.lastStepCycles}), spikes ${c.spikes}, synaptic events ${c.synapticEvents}, stall cycles ${c.stallCycles}\n`);
  if (r.weights !== undefined) io.out(`weights    read back ${r.weights.length}, ${r.weightsChanged} changed by learning\n`);
}

/** Register `loci run`. */
export const registerRun: CommandRegistrar = (program: Command, io: CliIO) => {
  withPortOptions(
    program
      .command("run")
      .description("flash an image, stream input spikes, collect output spikes and counters from the board")
      .argument("<image>", "core image (*.loci) or network file (*.net.json)")
      .option("--input <stim.json>", "stimulus file (docs/formats/stimulus.md)")
      .option("--rate <r>", "generated Bernoulli input: probability per axon per step (0..1)", numberOption("--rate", 0, 1))
      .option("--steps <n>", "steps to run (default: the stimulus length)", intOption("--steps", 1, 2 ** 31 - 1))
      .option("--seed <s>", "seed of the generated input", intOption("--seed", 0, 2 ** 32 - 1), 1)
      .option("--no-flash", "run what the board holds (after a reset) instead of flashing the image")
      .option("--weights", "read back the (learned) weights after the run", false),
  ).action(async (imagePath: string, opts: RunCommandOptions) => {
    // Ctrl-C ends the run cleanly: the board completes the step in progress and stays usable.
    const ac = new AbortController();
    const stop = (): void => ac.abort();
    process.once("SIGINT", stop);
    try {
      const report = await runImage(imagePath, opts, io, ac.signal);
      if (opts.json) printJson(io, report);
      else printRun(io, report);
    } finally {
      process.off("SIGINT", stop);
    }
  });
};
