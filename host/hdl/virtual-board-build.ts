// SPDX-License-Identifier: Apache-2.0
// Builds the virtual board: the board top Verilated (UART included, at bit level) with the C++
// pty harness of hdl/tb/virtual-board/, cached in build/virtual-board/ by a hash of every input.

import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { RangeValueError } from "../../sim/errors.ts";
import { contentHash, withBuildLock } from "./build-cache.ts";
import { REPO_ROOT, readFileList } from "./file-list.ts";
import { runTool } from "./run-tool.ts";

/** Rates of the default virtual board: the iCEBreaker top's core clock and line rate. */
export const VIRTUAL_BOARD_DEFAULTS = Object.freeze({
  /** Core clock in Hz (the PLL output on the real board). */
  clockHz: 24_000_000,
  /** Line rate in baud (8N1: baud / 10 bytes per second). */
  baud: 3_000_000,
});

/**
 * Simulation models of the iCE40 primitives the board top instantiates (one copy, also what
 * hdl/lint/lint.sh lints the iCE40 mapping against); synthesis uses the real primitives.
 */
export const ICE40_SIM_MODELS = {
  pll: "hdl/lint/ice40/SB_PLL40_PAD.v",
  spram: "hdl/lint/ice40/SB_SPRAM256KA.v",
  dsp: "hdl/lint/ice40/SB_MAC16.v",
} as const;

/** Board tops the harness can wrap. */
export const VIRTUAL_BOARD_TOPS = {
  /** The iCEBreaker top: UART, link command engine and core; PLL and SPRAM by simulation models. */
  icebreaker: {
    module: "loci_top_icebreaker",
    fileList: "hdl/syn/icebreaker/loci_top_icebreaker.f",
    simOnly: [ICE40_SIM_MODELS.pll, ICE40_SIM_MODELS.spram, ICE40_SIM_MODELS.dsp],
    uptime: undefined,
  },
  /** The iCEBreaker top with a core stand-in (memories as arrays, an echo run): tests the link. */
  "link-model": {
    module: "loci_top_icebreaker",
    fileList: "hdl/tb/virtual-board/link-model.f",
    simOnly: [ICE40_SIM_MODELS.pll],
    uptime: undefined,
  },
  /** A UART echo top with the same pins: proves the pty <-> bit-level UART chain. */
  echo: {
    module: "loci_echo_top",
    fileList: "hdl/tb/virtual-board/echo.f",
    simOnly: [],
    uptime: undefined,
  },
} as const;

/** Name of a top the virtual board can wrap. */
export type VirtualBoardTop = keyof typeof VIRTUAL_BOARD_TOPS;

/** What to build (defaults: the iCEBreaker top at 24 MHz and 3 Mbaud). */
export interface VirtualBoardBuildOptions {
  /** Which top (default `icebreaker`). */
  readonly top?: VirtualBoardTop;
  /** Core clock in Hz the RTL divider is built for (default 24 MHz). */
  readonly clockHz?: number;
  /** Line rate in baud (default 3,000,000, docs/protocol.md §1). */
  readonly baud?: number;
  /** Called with a line of progress text ("building ...", "cached ..."). */
  readonly onLog?: (line: string) => void;
}

const HARNESS_DIR = "hdl/tb/virtual-board";
const HARNESS_FILES = ["virtual_board.cpp", "uart_model.h", "pty_port.h", "virtual-board.vlt"].map((f) => join(HARNESS_DIR, f));
const OUT_DIR = join(REPO_ROOT, "build", "virtual-board");

/** Where the executable of a build lands: the default build at build/virtual-board/loci-virtual-board. */
export function virtualBoardPath(options: VirtualBoardBuildOptions = {}): string {
  const top = options.top ?? "icebreaker";
  const clockHz = options.clockHz ?? VIRTUAL_BOARD_DEFAULTS.clockHz;
  const baud = options.baud ?? VIRTUAL_BOARD_DEFAULTS.baud;
  const isDefault = top === "icebreaker" && clockHz === VIRTUAL_BOARD_DEFAULTS.clockHz && baud === VIRTUAL_BOARD_DEFAULTS.baud;
  return isDefault ? join(OUT_DIR, "loci-virtual-board") : join(OUT_DIR, `${top}-${clockHz}-${baud}`, "loci-virtual-board");
}

function checkRates(clockHz: number, baud: number): void {
  if (!Number.isSafeInteger(clockHz) || clockHz < 1_000_000 || clockHz > 200_000_000) {
    throw new RangeValueError("clockHz", clockHz, "1000000..200000000 Hz");
  }
  if (!Number.isSafeInteger(baud) || baud < 1200 || baud * 4 > clockHz) {
    throw new RangeValueError("baud", baud, `1200..${Math.floor(clockHz / 4)} (at least 4 clocks per bit)`);
  }
  const clocksPerBit = Math.round(clockHz / baud);
  if (Math.abs(clocksPerBit * baud - clockHz) * 50 > clockHz) {
    throw new RangeValueError("baud", baud, `a rate within 2 % of clockHz / n (clockHz = ${clockHz})`);
  }
}

/**
 * Build (or reuse) the virtual-board executable and return its path. The build is keyed by a
 * hash of the RTL sources, the harness, the rates and the Verilator version; a cached
 * executable with the same key is returned at once. Throws E_TOOL when Verilator is missing
 * or the build fails.
 */
export async function buildVirtualBoard(options: VirtualBoardBuildOptions = {}): Promise<string> {
  const top = options.top ?? "icebreaker";
  const clockHz = options.clockHz ?? VIRTUAL_BOARD_DEFAULTS.clockHz;
  const baud = options.baud ?? VIRTUAL_BOARD_DEFAULTS.baud;
  checkRates(clockHz, baud);
  const log = options.onLog ?? (() => undefined);
  const spec = VIRTUAL_BOARD_TOPS[top];
  const list = readFileList(spec.fileList);
  const sources = [...list.sources, ...spec.simOnly.map((f) => join(REPO_ROOT, f))];
  const harness = HARNESS_FILES.map((f) => join(REPO_ROOT, f));
  const headers = list.includeDirs.flatMap((d) => (existsSync(join(d, "loci_spec.vh")) ? [join(d, "loci_spec.vh")] : []));
  const version = (await runTool("verilator", ["--version"], { what: "the virtual board build" })).stdout.trim();

  const cflags = [
    "-O2",
    `-DLOCI_VB_CLOCK_HZ=${clockHz}ull`,
    `-DLOCI_VB_BAUD=${baud}ull`,
    `-DLOCI_VB_IDLE=${spec.module}__DOT__board_idle`,
    ...(spec.uptime === undefined ? [] : [`-DLOCI_VB_UPTIME=${spec.uptime}`]),
    `-I${join(REPO_ROOT, HARNESS_DIR)}`,
  ];
  const key = contentHash([...sources, ...harness, ...headers], [version, top, String(clockHz), String(baud), ...cflags]);
  const exe = virtualBoardPath({ top, clockHz, baud });
  const stamp = `${exe}.key`;
  const cached = (): boolean => existsSync(exe) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === key;
  if (cached()) {
    log(`virtual board: cached ${exe}`);
    return exe;
  }
  return withBuildLock(OUT_DIR, async () => {
    if (cached()) return exe;
    const work = join(OUT_DIR, `obj-${top}-${key}`);
    mkdirSync(work, { recursive: true });
    log(`virtual board: verilating ${spec.module} (${sources.length} sources) at ${clockHz} Hz, ${baud} baud`);
    const args = [
      "--cc",
      "--exe",
      "--build",
      "-j",
      "2",
      "-O3",
      "--x-assign",
      "fast",
      "--x-initial",
      "fast",
      "--trace",
      "-Wno-fatal",
      "--prefix",
      "Vboard",
      "--top-module",
      spec.module,
      `-GClkHz=${clockHz}`,
      `-GBaud=${baud}`,
      ...(spec.module === "loci_top_icebreaker" ? ["-GVirtualBoard=1"] : []),
      "--Mdir",
      work,
      "-o",
      "loci-virtual-board",
      "-CFLAGS",
      cflags.join(" "),
      ...list.includeDirs.map((d) => `-I${d}`),
      join(REPO_ROOT, HARNESS_DIR, "virtual-board.vlt"),
      ...sources,
      join(REPO_ROOT, HARNESS_DIR, "virtual_board.cpp"),
    ];
    const result = await runTool("verilator", args, { cwd: REPO_ROOT, what: "the virtual board build" });
    mkdirSync(join(exe, ".."), { recursive: true });
    const tmp = `${exe}.tmp-${process.pid}`;
    copyFileSync(join(work, "loci-virtual-board"), tmp);
    renameSync(tmp, exe);
    writeFileSync(stamp, `${key}\n`);
    log(`virtual board: built ${exe} in ${(result.ms / 1000).toFixed(1)} s`);
    return exe;
  });
}

/** `npm run build:virtual-board [-- --top echo|link-model]`: build and print the executable's path. */
async function main(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf("--top");
  const top = (i >= 0 ? argv[i + 1] : "icebreaker") as VirtualBoardTop;
  if (!(top in VIRTUAL_BOARD_TOPS)) {
    process.stderr.write(`build:virtual-board: --top must be one of ${Object.keys(VIRTUAL_BOARD_TOPS).join(", ")}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const exe = await buildVirtualBoard({ top, onLog: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`${exe}\n`);
  } catch (error) {
    const e = error as { code?: string; message?: string; suggestion?: string };
    process.stderr.write(`build:virtual-board: error ${e.code ?? "E_INTERNAL"}: ${e.message ?? String(error)}\n`);
    if (e.suggestion) process.stderr.write(`  hint: ${e.suggestion}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv.slice(2));
