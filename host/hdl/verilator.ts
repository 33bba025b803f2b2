// SPDX-License-Identifier: Apache-2.0
// Building and running Verilator: the co-simulation harness of loci_core is compiled once per
// set of sources (cached in build/verilator/, keyed by a hash of every source file, the flags
// and the Verilator version) and then runs any number of vector files per invocation.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LociError } from "../../sim/errors.ts";

/** Repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** File list of the core (relative paths and +incdir+ lines). */
export const CORE_FILE_LIST = "hdl/rtl/loci_core.f";
/** The harness's C++ source. */
export const HARNESS_SOURCE = "hdl/tb/loci_core_cosim.cpp";

/** Verilator flags of the harness build (part of the cache key). */
const VERILATOR_FLAGS = ["--cc", "--exe", "--build", "-O3", "--x-assign", "unique", "--x-initial", "unique", "--top-module", "loci_core"];
const CXX_FLAGS = "-O2 -std=c++17";

/** Run a tool; a missing tool is an E_TOOL error with an install hint. */
export function runTool(tool: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { cwd: options.cwd ?? REPO_ROOT, encoding: "utf8", timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20 });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new LociError("E_TOOL", `${tool} is not installed (or not on PATH)`, {
        context: { tool },
        suggestion: "Run `npm run setup` (or `sudo apt-get install verilator yosys nextpnr-ice40 fpga-icestorm`).",
      });
    }
    if (code === "ETIMEDOUT") {
      throw new LociError("E_TOOL", `${tool} did not finish within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s`, { context: { tool, args: args.join(" ") } });
    }
    throw new LociError("E_TOOL", `${tool} failed to start: ${r.error.message}`, { context: { tool }, cause: r.error });
  }
  return { status: r.status ?? (r.signal === null ? 1 : 128), stdout: r.stdout, stderr: r.stderr };
}

/** Source files of the core from its file list (paths relative to the repository root). */
export function coreSources(): { files: string[]; includeDirs: string[] } {
  const text = readFileSync(join(REPO_ROOT, CORE_FILE_LIST), "utf8");
  const files: string[] = [];
  const includeDirs: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("//")) continue;
    if (line.startsWith("+incdir+")) includeDirs.push(line.slice("+incdir+".length));
    else files.push(line);
  }
  return { files, includeDirs };
}

/** Every file the harness build depends on: RTL, headers, harness sources. */
function harnessInputs(): string[] {
  const { files, includeDirs } = coreSources();
  const headers = includeDirs.flatMap((d) => ["loci_spec.vh", "loci_core_map.vh"].map((h) => join(d, h)).filter((p) => existsSync(join(REPO_ROOT, p))));
  return [CORE_FILE_LIST, ...files, ...headers, HARNESS_SOURCE, "hdl/tb/loci_core_map.h"];
}

/** The Verilator version string (part of the cache key). */
export function verilatorVersion(): string {
  const r = runTool("verilator", ["--version"], { timeoutMs: 30_000 });
  if (r.status !== 0) throw new LociError("E_TOOL", `verilator --version failed: ${r.stderr.trim()}`, { context: { tool: "verilator" } });
  return r.stdout.trim();
}

/** The cache key of the harness build. */
export function harnessKey(): string {
  const h = createHash("sha256");
  h.update(verilatorVersion());
  h.update(VERILATOR_FLAGS.join(" ") + CXX_FLAGS);
  for (const f of harnessInputs()) {
    h.update(f);
    h.update(readFileSync(join(REPO_ROOT, f)));
  }
  return h.digest("hex").slice(0, 16);
}

/** Result of `buildHarness`. */
export interface HarnessBuild {
  /** Absolute path of the harness executable. */
  readonly binary: string;
  /** True when this call compiled it (false: taken from the cache). */
  readonly built: boolean;
  /** Seconds spent compiling (0 from the cache). */
  readonly seconds: number;
}

/**
 * Build the harness unless the cache holds one for these sources. Safe when several processes
 * build at once: each compiles in its own directory and the first rename wins.
 */
export function buildHarness(cacheDir = join(REPO_ROOT, "build", "verilator")): HarnessBuild {
  const key = harnessKey();
  const dir = join(cacheDir, `cosim-${key}`);
  const binary = join(dir, "loci_core_cosim");
  if (existsSync(binary)) return { binary, built: false, seconds: 0 };
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, `tmp-${key}-`));
  const started = Date.now();
  const { files, includeDirs } = coreSources();
  const args = [
    ...VERILATOR_FLAGS,
    "-j", "2",
    ...includeDirs.map((d) => `-I${join(REPO_ROOT, d)}`),
    ...files.map((f) => join(REPO_ROOT, f)),
    join(REPO_ROOT, HARNESS_SOURCE),
    "-CFLAGS", `${CXX_FLAGS} -I${join(REPO_ROOT, "hdl", "tb")}`,
    "--Mdir", work,
    "-o", "loci_core_cosim",
  ];
  const r = runTool("verilator", args, { timeoutMs: 900_000 });
  if (r.status !== 0 || !existsSync(join(work, "loci_core_cosim"))) {
    rmSync(work, { recursive: true, force: true });
    const tail = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new LociError("E_TOOL", `verilator could not build the co-simulation harness:\n${tail}`, {
      context: { tool: "verilator" },
      suggestion: "Run `hdl/lint/lint.sh` to see the first RTL error.",
    });
  }
  try {
    renameSync(work, dir);
  } catch {
    // Another process finished first: use its build.
    rmSync(work, { recursive: true, force: true });
  }
  return { binary, built: true, seconds: (Date.now() - started) / 1000 };
}

/** What one harness invocation reported. */
export interface HarnessRun {
  readonly cases: number;
  /** Core clocks simulated, all cases together. */
  readonly clocks: number;
  readonly seconds: number;
}

/**
 * Run the harness over vector files, writing `<name>.trace` files into `outDir`. A malformed
 * vector file is E_FORMAT, a core that misbehaves (never finishes, refuses an access) is
 * E_MISMATCH, a bad argument is E_USAGE; the harness's own message is the error message.
 */
export function runHarness(binary: string, vectorFiles: readonly string[], outDir: string, options: { seed?: number; timeoutMs?: number } = {}): HarnessRun {
  const args = ["--out-dir", outDir, "--seed", String(options.seed ?? 1), ...vectorFiles];
  const started = Date.now();
  const r = runTool(binary, args, { timeoutMs: options.timeoutMs ?? 600_000 });
  const seconds = (Date.now() - started) / 1000;
  const message = r.stderr.trim().replace(/^loci_core_cosim: /, "");
  if (r.status === 3) throw new LociError("E_FORMAT", message, { suggestion: "See docs/formats/vectors.md for the vector format." });
  if (r.status === 4) throw new LociError("E_MISMATCH", `the RTL misbehaved: ${message}`, { suggestion: "Re-run this case alone and look at the core's state; it is an RTL bug." });
  if (r.status === 2) throw new LociError("E_USAGE", message);
  if (r.status !== 0) throw new LociError("E_TOOL", `the co-simulation harness failed (status ${r.status}): ${message}`, { context: { tool: binary } });
  const summary = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { cases?: number; clocks?: number };
  return { cases: summary.cases ?? 0, clocks: summary.clocks ?? 0, seconds };
}
