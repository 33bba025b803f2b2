// SPDX-License-Identifier: Apache-2.0
// `loci synth --board icebreaker`: synthesize, place and route the board top (yosys, nextpnr,
// icepack), write the bitstream and the JSON report, and print resources and achieved Fmax.

import { Option } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { LociError } from "../../../sim/errors.ts";
import {
  BOARDS,
  committedReportPath,
  readReport,
  synthBoard,
  synthInputsHash,
  type BoardName,
  type SynthReport,
} from "../../hdl/board-synth.ts";
import { REPO_ROOT } from "../../hdl/file-list.ts";
import { intOption, numberOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";

/** Options of `loci synth` after parsing. */
export interface SynthCommandOptions {
  readonly board: BoardName;
  /** Target core clock, MHz (default: the board's PLL clock, 24 for the iCEBreaker). */
  readonly freq?: number;
  /** nextpnr placer seed (default 1). */
  readonly seed: number;
  /** Write the report even when timing fails, and exit 0. */
  readonly allowTimingFail: boolean;
  /** Skip the run when the committed report was made from the same sources. */
  readonly ifChanged: boolean;
  readonly json: boolean;
}

/** The outcome of `loci synth`: the report and whether it was reused. */
export interface SynthOutcome {
  readonly report: SynthReport;
  /** True when the committed report matched the sources and no tool ran. */
  readonly upToDate: boolean;
  readonly reportPath: string;
}

/** Run (or reuse) the board flow. */
export async function runSynth(options: SynthCommandOptions, io: CliIO): Promise<SynthOutcome> {
  const board = BOARDS[options.board];
  const freqMhz = options.freq ?? board.coreClockMhz;
  const reportPath = committedReportPath(board);
  if (options.ifChanged) {
    const committed = readReport(reportPath);
    const bitstream = committed === undefined ? "" : join(REPO_ROOT, committed.bitstream);
    if (committed !== undefined && committed.placed && committed.sourcesHash === synthInputsHash(board, freqMhz, options.seed) && existsSync(bitstream)) {
      return { report: committed, upToDate: true, reportPath };
    }
  }
  const report = await synthBoard(board, {
    freqMhz,
    seed: options.seed,
    allowTimingFailure: options.allowTimingFail,
    onLog: options.json ? undefined : (line) => io.err(`synth: ${line}\n`),
  });
  return { report, upToDate: false, reportPath };
}

function pct(used: number, available: number | undefined): string {
  return available ? ` / ${available} (${Math.round((100 * used) / available)} %)` : "";
}

/** Human-readable summary of a report. */
export function formatSynth(outcome: SynthOutcome): string {
  const r = outcome.report;
  const res = r.resources;
  const a = r.available;
  const lines = [
    `${r.board}: ${r.top} on iCE40${r.device.toUpperCase()}-${r.package.toUpperCase()}${outcome.upToDate ? " (report up to date, nothing rebuilt)" : ""}`,
    `  logic cells ${res.logicCells}${pct(res.logicCells, a.logicCells)}   LUT4 ${res.luts}   FF ${res.ffs}   carry ${res.carries}`,
    `  EBR ${res.ebr}${pct(res.ebr, a.ebr)}   SPRAM ${res.spram}${pct(res.spram, a.spram)}   DSP ${res.dsp}${pct(res.dsp, a.dsp)}   PLL ${res.pll}   IO ${res.io}`,
    ...(r.placed ? [] : [`  NOT PLACED: ${r.error ?? "nextpnr failed"}`]),
    ...r.clocks.map((c) => `  clock ${c.net}: Fmax ${c.achievedMhz} MHz, target ${c.targetMhz} MHz: ${c.achievedMhz >= c.targetMhz ? "met" : "NOT MET"}`),
    `  bitstream ${r.bitstream}   report ${outcome.reportPath.slice(REPO_ROOT.length + 1)}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Register `loci synth`. */
export const registerSynth: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("synth")
    .description("synthesize, place and route the board top (yosys, nextpnr, icepack); write the bitstream and a JSON report")
    .addOption(new Option("--board <name>", "target board").choices(Object.keys(BOARDS)).default("icebreaker"))
    .option("--freq <MHz>", "target core clock for nextpnr (default: the board's PLL clock, 24)", numberOption("--freq", 1, 400))
    .option("--seed <n>", "nextpnr placer seed", intOption("--seed", 1, 2 ** 31 - 1), 1)
    .option("--allow-timing-fail", "keep the bitstream and report when timing is not met (exit 0)", false)
    .option("--if-changed", "do nothing when hdl/syn/reports/<board>.json was made from the same sources", false)
    .option("--json", "print the report as one JSON document", false)
    .action(async (opts: SynthCommandOptions) => {
      const outcome = await runSynth(opts, io);
      if (opts.json) printJson(io, { ...outcome.report, upToDate: outcome.upToDate });
      else io.out(formatSynth(outcome));
      if (!outcome.report.timingMet && !opts.allowTimingFail) {
        throw new LociError("E_TOOL", "timing not met", { suggestion: "Try --seed N." });
      }
    });
};
