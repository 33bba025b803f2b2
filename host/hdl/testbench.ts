// SPDX-License-Identifier: Apache-2.0
// Runs a self-checking Verilog testbench with Icarus Verilog and reads its verdict: the bench
// prints `TB PASS <name> k=v ...` or `TB FAIL ...` lines; anything else (no verdict, a FAIL line,
// a compile error) is a failure. Also runs `verilator --lint-only -Wall` on a module.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { LociError } from "../../sim/errors.ts";
import { REPO_ROOT } from "./file-list.ts";
import { runTool, tail } from "./run-tool.ts";

/** A testbench and the sources it needs, paths relative to the repository root. */
export interface TestbenchSpec {
  /** Top module of the bench (also names the build output). hdl/tb and hdl/rtl are always on the
   *  include path (shared testbench code, generated headers). */
  readonly top: string;
  readonly sources: readonly string[];
  readonly includeDirs?: readonly string[];
  /** Parameter overrides of the bench top (`-P`). */
  readonly parameters?: Readonly<Record<string, number>>;
  /** Kill the simulation after this many milliseconds (default 300 s). */
  readonly timeoutMs?: number;
}

/** What a passing bench reported. */
export interface TestbenchResult {
  readonly name: string;
  /** The `k=v` numbers of its PASS line (checks, frames, bytes, ...). */
  readonly numbers: Readonly<Record<string, number>>;
  readonly output: string;
  readonly ms: number;
}

/** Parse `TB PASS name k=v ...`; undefined when the output has no PASS line or any FAIL line. */
export function parseVerdict(output: string): { name: string; numbers: Record<string, number> } | undefined {
  if (/^TB FAIL/m.test(output)) return undefined;
  const m = /^TB PASS (\S+)(.*)$/m.exec(output);
  if (!m) return undefined;
  const numbers: Record<string, number> = {};
  for (const kv of m[2].trim().split(/\s+/)) {
    const [k, v] = kv.split("=");
    if (k && v !== undefined && /^-?\d+$/.test(v)) numbers[k] = Number(v);
  }
  return { name: m[1], numbers };
}

/** Compile and run a bench with iverilog/vvp; throws E_MISMATCH when it does not pass. */
export async function runTestbench(spec: TestbenchSpec): Promise<TestbenchResult> {
  const outDir = join(REPO_ROOT, "build", "tb");
  mkdirSync(outDir, { recursive: true });
  const vvp = join(outDir, `${spec.top}-${process.pid}.vvp`);
  const params = Object.entries(spec.parameters ?? {}).map(([k, v]) => `-P${spec.top}.${k}=${v}`);
  await runTool(
    "iverilog",
    [
      "-g2012",
      "-Wall",
      "-Wno-timescale",
      "-s",
      spec.top,
      "-o",
      vvp,
      ...params,
      ...[...(spec.includeDirs ?? []), "hdl/tb", "hdl/rtl"].map((d) => `-I${join(REPO_ROOT, d)}`),
      ...spec.sources.map((s) => join(REPO_ROOT, s)),
    ],
    { what: `compiling testbench ${spec.top}` },
  );
  const run = await runTool("vvp", ["-n", vvp], { what: `testbench ${spec.top}`, timeoutMs: spec.timeoutMs ?? 300_000, allowFailure: true });
  const output = run.stdout + run.stderr;
  const verdict = parseVerdict(output);
  if (run.code !== 0 || verdict === undefined) {
    throw new LociError("E_MISMATCH", `testbench ${spec.top} failed:\n${tail(output, 30)}`, {
      context: { testbench: spec.top },
      suggestion: `Rerun it: iverilog -g2012 -s ${spec.top} ... && vvp -n (see host/hdl/testbench.ts).`,
    });
  }
  return { name: verdict.name, numbers: verdict.numbers, output, ms: run.ms };
}

/** Lint modules of hdl/rtl/ with the project's lint script (hdl/lint/lint.sh); throws on any warning. */
export async function lintModules(modules: readonly string[]): Promise<void> {
  const result = await runTool("bash", ["hdl/lint/lint.sh", ...modules], { cwd: REPO_ROOT, what: "Verilog lint", allowFailure: true });
  if (result.code !== 0) {
    throw new LociError("E_MISMATCH", `Verilog lint is not clean:\n${tail(result.stdout + result.stderr, 30)}`, {
      suggestion: "Fix the warning, or waive it in hdl/lint/*.vlt scoped to the line or signal, with a reason.",
    });
  }
}

/** `verilator --lint-only -Wall` on a top with the given sources and waiver files; throws on any warning. */
export async function lintVerilog(top: string, sources: readonly string[], waivers: readonly string[] = [], includeDirs: readonly string[] = []): Promise<void> {
  const result = await runTool(
    "verilator",
    [
      "--lint-only",
      "-Wall",
      "--top-module",
      top,
      ...includeDirs.map((d) => `-I${join(REPO_ROOT, d)}`),
      ...waivers.map((w) => join(REPO_ROOT, w)),
      ...sources.map((s) => join(REPO_ROOT, s)),
    ],
    { what: `lint of ${top}`, allowFailure: true, cwd: REPO_ROOT },
  );
  if (result.code !== 0 || /%Warning|%Error/.test(result.stderr)) {
    throw new LociError("E_MISMATCH", `verilator lint of ${top} is not clean:\n${tail(result.stderr, 30)}`, {
      context: { top },
      suggestion: "Fix the warning, or waive it in hdl/lint/*.vlt scoped to the line or signal, with a reason.",
    });
  }
}
