// SPDX-License-Identifier: Apache-2.0
// `loci hil <image> --port P`: hardware in the loop (host/driver/hil.ts) from the command line:
// flash the image, run generated or given stimuli on the board and on the golden simulator, and
// compare spikes, read-back state and cycle counters exactly.

import { LociError } from "../../../sim/errors.ts";
import { Simulator } from "../../../sim/simulator.ts";
import { bernoulliStimulus, readStimulusFile, scheduleStimulus, type InputSchedule } from "../../../sim/stimulus.ts";
import { hilOnBoard, type HilResult } from "../../driver/hil.ts";
import { loadImage } from "../../driver/load-image.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";
import { openPort, withPortOptions, type PortOptions } from "./board.ts";

/** Options of `loci hil`. */
export interface HilOptions extends PortOptions {
  /** Generated cases (ignored with --input). */
  readonly cases: number;
  readonly steps: number;
  readonly rate: number;
  readonly seed: number;
  readonly input?: string;
}

/** What `loci hil` reports. */
export interface HilReport extends HilResult {
  readonly image: string;
  readonly port: string;
}

/** The stimuli of a hil run: the --input file, or `cases` Bernoulli inputs from seed, seed+1, ... */
export function hilStimuli(options: HilOptions, numAxons: number): InputSchedule[] {
  if (options.input !== undefined) return [scheduleStimulus(readStimulusFile(options.input, { numAxons }), numAxons)];
  return Array.from({ length: options.cases }, (_, c) =>
    scheduleStimulus(bernoulliStimulus({ steps: options.steps, numAxons, rate: options.rate, seed: options.seed + c }), numAxons),
  );
}

/** Flash the image, run every case on board and simulator, and compare. */
export async function runHil(imagePath: string, options: HilOptions, io: CliIO): Promise<HilReport> {
  const image = loadImage(imagePath);
  new Simulator(image.memories, { file: imagePath }); // refuse an invalid image before touching the board
  const stimuli = hilStimuli(options, image.memories.config.numAxons);
  const board = await openPort(options, io);
  try {
    await board.flash(image.memories);
    const bar = progressBar(io, "hil", stimuli.length, !options.json);
    const r = await hilOnBoard(board, image.memories, stimuli, (c) => bar.update(c.index + 1, `${c.mismatches} mismatches`));
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
