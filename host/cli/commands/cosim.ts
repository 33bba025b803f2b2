// SPDX-License-Identifier: Apache-2.0
// `loci cosim`: run co-simulation cases through the simulator and the Verilated RTL and compare
// every step's spikes and cycle count, the neuron state, traces, weights, ring and counters
// exactly. Cases: N random networks from a seed, the edge-case suite, or vector files.

import { readFileSync } from "node:fs";
import { LociError } from "../../../sim/errors.ts";
import { formatMismatch, parseVectors, type CosimCase } from "../../../sim/vectors.ts";
import { edgeCases, randomCases } from "../../hdl/cosim-cases.ts";
import { runCosim, type CosimResult } from "../../hdl/cosim.ts";
import { intOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";

/** Options of `loci cosim` after parsing. */
export interface CosimCommandOptions {
  /** Random cases to generate (0 = none). */
  readonly random?: number;
  /** Seed of the first random case (default 1). */
  readonly seed: number;
  /** Also run the edge-case suite. */
  readonly edge: boolean;
  /** Keep vectors and traces in this directory. */
  readonly keep?: string;
  /** Compare the RTL with this trace file instead of the simulator (one vector file only). */
  readonly trace?: string;
  readonly json: boolean;
}

/** The JSON summary `loci cosim --json` prints. */
export interface CosimSummary {
  readonly cases: number;
  readonly mismatches: number;
  readonly firstMismatch: string | null;
  readonly steps: number;
  readonly clocks: number;
  readonly buildSeconds: number;
  readonly rtlSeconds: number;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new LociError("E_IO", `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      context: { file: path },
      cause: error,
    });
  }
}

/** The cases the options ask for, in order: vector files, random cases, the edge suite. */
export function cosimCases(files: readonly string[], options: CosimCommandOptions): CosimCase[] {
  const cases = files.map((f) => parseVectors(readText(f), { file: f }));
  if (options.random !== undefined && options.random > 0) cases.push(...randomCases(options.random, options.seed));
  if (options.edge) cases.push(...edgeCases());
  if (cases.length === 0) {
    throw new LociError("E_USAGE", "nothing to co-simulate", { suggestion: "Give vector files, --random N or --edge." });
  }
  if (options.trace !== undefined && (files.length !== 1 || cases.length !== 1)) {
    throw new LociError("E_USAGE", "--trace compares one vector file with one trace", { suggestion: "Give exactly one FILE.vec and no --random or --edge." });
  }
  return cases;
}

/** Run the co-simulation the options describe. */
export async function runCosimCommand(files: readonly string[], options: CosimCommandOptions, io: CliIO): Promise<CosimResult> {
  const cases = cosimCases(files, options);
  const expected = options.trace === undefined ? undefined : new Map([[cases[0].name, readText(options.trace)]]);
  const bar = progressBar(io, "cosim", cases.length, !options.json);
  const result = await runCosim(cases, {
    workDir: options.keep,
    expected,
    onProgress: (stage, done) => bar.update(stage === "vectors" || stage === "diff" ? done : 0, stage),
  });
  bar.done();
  return result;
}

/** The summary of a result. */
export function cosimSummary(r: CosimResult): CosimSummary {
  return {
    cases: r.cases,
    mismatches: r.mismatches,
    firstMismatch: r.firstMismatch ?? null,
    steps: r.steps,
    clocks: r.clocks,
    buildSeconds: r.buildSeconds,
    rtlSeconds: r.rtlSeconds,
  };
}

function printCosim(io: CliIO, r: CosimResult): void {
  io.out(`cosim: ${r.cases} cases, ${r.steps} steps, ${r.clocks} RTL clocks (harness ${r.rtlSeconds.toFixed(1)} s${r.buildSeconds > 0 ? `, build ${r.buildSeconds.toFixed(0)} s` : ""})\n`);
  const failing = r.results.filter((c) => c.mismatches > 0);
  if (failing.length === 0) {
    io.out("cosim: the RTL equals the simulator on every case (spikes, cycles, state, traces, weights, ring, counters)\n");
    return;
  }
  for (const c of failing.slice(0, 5)) {
    io.out(`cosim: ${c.name}: ${c.mismatches} differing values\n`);
    for (const m of c.first.slice(0, 5)) io.out(`  ${formatMismatch(m)}\n`);
  }
}

/** Register `loci cosim`. */
export const registerCosim: CommandRegistrar = (program: Command, io: CliIO) => {
  program
    .command("cosim")
    .description("co-simulate the simulator and the Verilated RTL core; compare spikes, cycles and all state exactly")
    .argument("[files...]", "vector files (*.vec, docs/formats/vectors.md)")
    .option("--random <n>", "random cases to generate", intOption("--random", 1, 100_000))
    .option("--seed <s>", "seed of the first random case", intOption("--seed", 0, 2 ** 32 - 1), 1)
    .option("--edge", "run the edge-case suite", false)
    .option("--keep <dir>", "keep vectors and traces in this directory")
    .option("--trace <file>", "compare one vector file's RTL run with this trace instead of the simulator")
    .option("--json", "print one JSON summary", false)
    .action(async (files: string[], opts: CosimCommandOptions) => {
      const r = await runCosimCommand(files, opts, io);
      if (r.mismatches > 0) {
        if (!opts.json) printCosim(io, r);
        throw new LociError("E_MISMATCH", `the RTL differs from the expected trace in ${r.mismatches} of ${r.cases} cases (first: ${r.firstMismatch})`, {
          context: cosimSummary(r) as unknown as Record<string, unknown>,
          suggestion: "Rerun with --keep DIR and compare DIR/NAME.expected.trace with DIR/rtl/NAME.trace.",
        });
      }
      if (opts.json) printJson(io, cosimSummary(r));
      else printCosim(io, r);
    });
};
