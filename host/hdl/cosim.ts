// SPDX-License-Identifier: Apache-2.0
// Co-simulation of the simulator against the Verilated RTL: write each case's vector file and
// expected trace (simulator), run the harness once over all of them, and diff every trace.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LociError } from "../../sim/errors.ts";
import { diffTraces, expectedTrace, formatMismatch, parseTrace, writeVectors, type CosimCase, type TraceMismatch } from "../../sim/vectors.ts";
import { buildHarness, runHarness, type HarnessOptions } from "./verilator.ts";

/** Options of `runCosim`. */
export interface CosimOptions extends HarnessOptions {
  /** Keep vectors and traces here (default: a temporary directory, removed afterwards). */
  readonly workDir?: string;
  /** Expected traces by case name, instead of the simulator's (e.g. a recorded trace). */
  readonly expected?: ReadonlyMap<string, string>;
  /** Mismatches reported per case (default 10). */
  readonly limit?: number;
  /** Called after the cases are written and after the harness ran. */
  readonly onProgress?: (stage: "vectors" | "build" | "rtl" | "diff", done: number, total: number) => void;
}

/** Outcome of one case. */
export interface CaseResult {
  readonly name: string;
  /** Differing values (0 = the RTL matched the simulator exactly). */
  readonly mismatches: number;
  readonly first: readonly TraceMismatch[];
  /** Steps the case ran. */
  readonly steps: number;
}

/** Outcome of a co-simulation. */
export interface CosimResult {
  readonly cases: number;
  /** Cases with at least one mismatch. */
  readonly mismatches: number;
  /** The first mismatch of the first failing case, as one line (undefined when all match). */
  readonly firstMismatch: string | undefined;
  readonly results: readonly CaseResult[];
  /** Steps run by all cases. */
  readonly steps: number;
  /** Core clocks the harness simulated (programming and readback included). */
  readonly clocks: number;
  /** Seconds: building the harness (0 when cached) and running it. */
  readonly buildSeconds: number;
  readonly rtlSeconds: number;
  /** Clocks and seconds the harness spent inside runs (no programming or readback). */
  readonly rtlRunClocks: number;
  readonly rtlRunSeconds: number;
}

function caseSteps(c: CosimCase): number {
  let n = 0;
  for (const a of c.actions) if (a.kind === "run") n += a.inputs.length;
  return n;
}

/** Run cases on both sides and compare. Throws only when the flow itself fails (tools, files). */
export async function runCosim(cases: readonly CosimCase[], options: CosimOptions = {}): Promise<CosimResult> {
  if (cases.length === 0) throw new LociError("E_USAGE", "no co-simulation cases to run");
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new LociError("E_USAGE", `two co-simulation cases are named ${c.name}`);
    names.add(c.name);
  }
  const temporary = options.workDir === undefined;
  const dir = options.workDir ?? mkdtempSync(join(tmpdir(), "loci-cosim-"));
  mkdirSync(join(dir, "rtl"), { recursive: true });
  const progress = options.onProgress ?? ((): void => undefined);
  try {
    const vecFiles: string[] = [];
    const expected = new Map<string, string>();
    cases.forEach((c, k) => {
      const vec = join(dir, `${c.name}.vec`);
      writeFileSync(vec, writeVectors(c));
      const trace = options.expected?.get(c.name) ?? expectedTrace(c);
      writeFileSync(join(dir, `${c.name}.expected.trace`), trace);
      expected.set(c.name, trace);
      vecFiles.push(vec);
      progress("vectors", k + 1, cases.length);
    });
    const build = await buildHarness();
    progress("build", 1, 1);
    const run = await runHarness(build.binary, vecFiles, join(dir, "rtl"), options);
    progress("rtl", 1, 1);
    const results: CaseResult[] = cases.map((c, k) => {
      const rtlPath = join(dir, "rtl", `${c.name}.trace`);
      const want = parseTrace(expected.get(c.name)!, { file: `${c.name}.expected.trace` });
      const got = parseTrace(readFileSync(rtlPath, "utf8"), { file: rtlPath });
      const diff = diffTraces(want, got, options.limit ?? 10);
      progress("diff", k + 1, cases.length);
      return { name: c.name, mismatches: diff.total, first: diff.mismatches, steps: caseSteps(c) };
    });
    const failing = results.filter((r) => r.mismatches > 0);
    return {
      cases: results.length,
      mismatches: failing.length,
      firstMismatch: failing.length === 0 ? undefined : formatMismatch(failing[0].first[0]),
      results,
      steps: results.reduce((s, r) => s + r.steps, 0),
      clocks: run.clocks,
      buildSeconds: build.seconds,
      rtlSeconds: run.seconds,
      rtlRunClocks: run.runClocks,
      rtlRunSeconds: run.runSeconds,
    };
  } finally {
    if (temporary) rmSync(dir, { recursive: true, force: true });
  }
}
