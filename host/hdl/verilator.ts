// SPDX-License-Identifier: Apache-2.0
// Building and running the co-simulation harness of loci_core (hdl/tb/loci_core_cosim.cpp):
// Verilator compiles it once per set of sources (cached in build/verilator/, keyed by a hash of
// every source, header, flag and the Verilator version; a lock keeps parallel test workers from
// building twice), and one invocation then runs any number of vector files.

import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { LociError } from "../../sim/errors.ts";
import { contentHash, withBuildLock } from "./build-cache.ts";
import { REPO_ROOT, readFileList } from "./file-list.ts";
import { runTool } from "./run-tool.ts";

/** File list of the core, relative to the repository root. */
export const CORE_FILE_LIST = "hdl/rtl/loci_core.f";
/** The harness's C++ sources, relative to the repository root. */
export const HARNESS_SOURCES = ["hdl/tb/loci_core_cosim.cpp", "hdl/tb/loci_core_map.h"] as const;
/** Where harness builds are cached. */
export const HARNESS_CACHE_DIR = join(REPO_ROOT, "build", "verilator");

/** Verilator flags of the harness build (part of the cache key). Random initial state: the
 * results must not depend on it (the harness seeds it with --seed). */
const VERILATOR_FLAGS = ["--cc", "--exe", "--build", "-O3", "--x-assign", "unique", "--x-initial", "unique", "--top-module", "loci_core"];
const CXX_FLAGS = "-O2 -std=c++17";

/** Result of `buildHarness`. */
export interface HarnessBuild {
  /** Absolute path of the harness executable. */
  readonly binary: string;
  /** True when this call compiled it (false: taken from the cache). */
  readonly built: boolean;
  /** Seconds spent compiling (0 from the cache). */
  readonly seconds: number;
}

/** The Verilator version line (part of the cache key). */
async function verilatorVersion(): Promise<string> {
  return (await runTool("verilator", ["--version"], { what: "the co-simulation harness build" })).stdout.trim();
}

/** Build the harness unless the cache holds one for exactly these sources and flags. */
export async function buildHarness(cacheDir = HARNESS_CACHE_DIR): Promise<HarnessBuild> {
  const list = readFileList(CORE_FILE_LIST);
  const headers = list.includeDirs.flatMap((d) => ["loci_spec.vh", "loci_core_map.vh"].map((h) => join(d, h))).filter((p) => existsSync(p));
  const harness = HARNESS_SOURCES.map((f) => join(REPO_ROOT, f));
  const key = contentHash([...list.sources, ...headers, ...harness, join(REPO_ROOT, CORE_FILE_LIST)], [await verilatorVersion(), ...VERILATOR_FLAGS, CXX_FLAGS]);
  const dir = join(cacheDir, `cosim-${key}`);
  const binary = join(dir, "loci_core_cosim");
  if (existsSync(binary)) return { binary, built: false, seconds: 0 };
  return withBuildLock(cacheDir, async () => {
    // Another process may have built it while this one waited for the lock.
    if (existsSync(binary)) return { binary, built: false, seconds: 0 };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const args = [
      ...VERILATOR_FLAGS,
      "-j", "2",
      ...list.includeDirs.map((d) => `-I${d}`),
      ...list.sources,
      harness[0],
      "-CFLAGS", `${CXX_FLAGS} -I${join(REPO_ROOT, "hdl", "tb")}`,
      "--Mdir", dir,
      "-o", "loci_core_cosim",
    ];
    const r = await runTool("verilator", args, { what: "the co-simulation harness build (run hdl/lint/lint.sh for the first RTL error)", timeoutMs: 900_000 });
    if (!existsSync(binary)) {
      throw new LociError("E_TOOL", `verilator finished but left no harness at ${binary}`, { context: { tool: "verilator" } });
    }
    return { binary, built: true, seconds: r.ms / 1000 };
  });
}

/** What one harness invocation reported. */
export interface HarnessRun {
  readonly cases: number;
  /** Core clocks simulated, all cases together (programming and readback included). */
  readonly clocks: number;
  /** Clocks and wall-clock seconds spent inside runs only. */
  readonly runClocks: number;
  readonly runSeconds: number;
  /** Wall-clock seconds of the whole invocation. */
  readonly seconds: number;
}

/** Options of `runHarness`. */
export interface HarnessOptions {
  /** Seed of the randomised initial state of every register and memory (default 1). */
  readonly seed?: number;
  /** Bound of one run in clocks (default: the harness derives it from the run's steps). */
  readonly maxCycles?: number;
  /** Kill the harness after this many milliseconds (default 600 s). */
  readonly timeoutMs?: number;
}

/**
 * Run the harness over vector files, writing `<name>.trace` files into `outDir`. A malformed
 * vector file is E_FORMAT, a core that misbehaves (never finishes, refuses an access) is
 * E_MISMATCH, a bad argument is E_USAGE; the harness's own message becomes the error message.
 */
export async function runHarness(binary: string, vectorFiles: readonly string[], outDir: string, options: HarnessOptions = {}): Promise<HarnessRun> {
  const args = ["--out-dir", outDir, "--seed", String(options.seed ?? 1)];
  if (options.maxCycles !== undefined) args.push("--max-cycles", String(options.maxCycles));
  args.push(...vectorFiles);
  const r = await runTool(binary, args, { what: "the co-simulation harness", allowFailure: true, timeoutMs: options.timeoutMs ?? 600_000 });
  const message = r.stderr.trim().replace(/^loci_core_cosim: /, "");
  if (r.code === 3) throw new LociError("E_FORMAT", message, { suggestion: "See docs/formats/vectors.md for the vector format." });
  if (r.code === 4) {
    throw new LociError("E_MISMATCH", `the RTL misbehaved: ${message}`, { suggestion: "Run this case alone (loci cosim FILE.vec) and inspect the core; it is an RTL bug." });
  }
  if (r.code === 2) throw new LociError("E_USAGE", message);
  if (r.code !== 0) throw new LociError("E_TOOL", `the co-simulation harness failed (exit ${r.code}): ${message}`, { context: { tool: binary } });
  let summary: { cases?: number; clocks?: number; runClocks?: number; runSeconds?: number } = {};
  try {
    summary = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as typeof summary;
  } catch (error) {
    throw new LociError("E_TOOL", `the co-simulation harness printed no summary: ${r.stdout.slice(-200)}`, { cause: error });
  }
  return { cases: summary.cases ?? 0, clocks: summary.clocks ?? 0, runClocks: summary.runClocks ?? 0, runSeconds: summary.runSeconds ?? 0, seconds: r.ms / 1000 };
}
