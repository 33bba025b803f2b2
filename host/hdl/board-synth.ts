// SPDX-License-Identifier: Apache-2.0
// The board flow: yosys (synth_ice40) -> nextpnr-ice40 (place, route, timing) -> icepack, driven
// from a board description, with a JSON report of resources and achieved Fmax. The report is
// written to build/<board>/report.json and kept in git as hdl/syn/reports/<board>.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { LociError, RangeValueError } from "../../sim/errors.ts";
import { contentHash, withBuildLock } from "./build-cache.ts";
import { REPO_ROOT, readFileList } from "./file-list.ts";
import { runTool } from "./run-tool.ts";

/** What the flow needs to know about a board. */
export interface BoardSpec {
  /** Short name (`icebreaker`): names the build directory and the report. */
  readonly name: string;
  /** Top module. */
  readonly top: string;
  /** `.f` file list of the top, relative to the repository root. */
  readonly fileList: string;
  /** Pin constraints (`.pcf`), relative to the repository root. */
  readonly pcf: string;
  /** nextpnr-ice40 device flag (`up5k`) and package (`sg48`). */
  readonly device: "up5k" | "hx8k" | "lp8k" | "hx1k";
  readonly package: string;
  /** Core clock the top's PLL makes, MHz (the default --freq target). */
  readonly coreClockMhz: number;
  /** Top-level parameters for this build (yosys chparam). */
  readonly parameters?: Readonly<Record<string, number>>;
}

/** The boards `loci synth` knows. */
export const BOARDS = {
  icebreaker: {
    name: "icebreaker",
    top: "loci_top_icebreaker",
    fileList: "hdl/syn/icebreaker/loci_top_icebreaker.f",
    pcf: "hdl/syn/icebreaker/icebreaker.pcf",
    device: "up5k",
    package: "sg48",
    coreClockMhz: 24,
  },
} as const satisfies Record<string, BoardSpec>;

/** Name of a board `loci synth` knows. */
export type BoardName = keyof typeof BOARDS;

/** Resource counts of a placed design. */
export interface SynthResources {
  /** SB_LUT4 cells after synthesis. */
  readonly luts: number;
  /** Flip-flops (SB_DFF*) after synthesis. */
  readonly ffs: number;
  /** Carry cells (SB_CARRY). */
  readonly carries: number;
  /** Logic cells placed (a LUT and/or a flip-flop each), out of `available.logicCells`. */
  readonly logicCells: number;
  /** 4-Kbit block RAMs (EBR). */
  readonly ebr: number;
  /** 256-Kbit single-port RAMs. */
  readonly spram: number;
  /** 16x16 multiply-accumulate blocks. */
  readonly dsp: number;
  readonly io: number;
  readonly pll: number;
  readonly globalBuffers: number;
}

/** A clock's timing result. */
export interface ClockTiming {
  readonly net: string;
  /** Highest frequency the routed design meets, MHz. */
  readonly achievedMhz: number;
  /** The target it was placed and routed for, MHz. */
  readonly targetMhz: number;
}

/** The JSON report of one synthesis run. */
export interface SynthReport {
  readonly board: string;
  readonly top: string;
  readonly device: string;
  readonly package: string;
  /** Target core clock, MHz (nextpnr --freq). */
  readonly targetMhz: number;
  /** False when nextpnr could not place or route the design (then `error` says why). */
  readonly placed: boolean;
  readonly error?: string;
  /** Lowest achieved Fmax over the design's clocks, MHz (0 when not placed). */
  readonly fmaxMhz: number;
  /** True when every clock meets its target. */
  readonly timingMet: boolean;
  readonly clocks: readonly ClockTiming[];
  readonly resources: SynthResources;
  /** What the device offers (same keys). */
  readonly available: Readonly<Record<string, number>>;
  readonly seed: number;
  /** Hash of the sources, pcf, parameters and flow options: equal hash, equal result. */
  readonly sourcesHash: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly tools: { readonly yosys: string; readonly nextpnr: string };
  /** Wall time of each tool, seconds. */
  readonly seconds: { readonly yosys: number; readonly nextpnr: number; readonly icepack: number };
  /** The bitstream, relative to the repository root. */
  readonly bitstream: string;
}

/** Options of one synthesis run. */
export interface SynthOptions {
  /** Target clock, MHz (default: the board's core clock). */
  readonly freqMhz?: number;
  /** nextpnr placer seed (default 1). */
  readonly seed?: number;
  /** Report timing failure instead of throwing (the report says `timingMet: false`). */
  readonly allowTimingFailure?: boolean;
  /** Also write the report to hdl/syn/reports/<board>.json (default true). */
  readonly keepReport?: boolean;
  /** Build directory (default build/<board>). */
  readonly outDir?: string;
  readonly onLog?: (line: string) => void;
}

/** Where the committed report of a board lives. */
export function committedReportPath(board: BoardSpec): string {
  return join(REPO_ROOT, "hdl", "syn", "reports", `${board.name}.json`);
}

/** Read a report (committed or from a build); undefined when the file does not exist. */
export function readReport(path: string): SynthReport | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SynthReport;
  } catch (error) {
    throw new LociError("E_FORMAT", `${path} is not a synthesis report`, { context: { file: path }, cause: error });
  }
}

/** The hash a synthesis of `board` with these options would carry (sources, pcf, options). */
export function synthInputsHash(board: BoardSpec, freqMhz: number, seed: number): string {
  const list = readFileList(board.fileList);
  const headers = list.includeDirs.flatMap((d) => (existsSync(join(d, "loci_spec.vh")) ? [join(d, "loci_spec.vh")] : []));
  return contentHash(
    [...list.sources, ...headers, join(REPO_ROOT, board.pcf), join(REPO_ROOT, board.fileList)],
    [board.top, board.device, board.package, String(freqMhz), String(seed), JSON.stringify(board.parameters ?? {})],
  );
}

interface NextpnrReport {
  readonly fmax?: Readonly<Record<string, { achieved: number; constraint: number }>>;
  readonly utilization?: Readonly<Record<string, { used: number; available: number }>>;
}

interface YosysStat {
  readonly design?: { readonly num_cells_by_type?: Readonly<Record<string, number>> };
}

/** Sum of cells whose type matches. */
function cells(stat: YosysStat, match: (type: string) => boolean): number {
  const byType = stat.design?.num_cells_by_type ?? {};
  return Object.entries(byType).reduce((sum, [t, n]) => (match(t) ? sum + n : sum), 0);
}

/** Utilization lines of a nextpnr log (`Info:  ICESTORM_LC:  8647/ 5280   163%`), for a design it could not place. */
export function utilizationFromLog(log: string): NonNullable<NextpnrReport["utilization"]> {
  const util: Record<string, { used: number; available: number }> = {};
  for (const m of log.matchAll(/^Info:\s+(\w+):\s+(\d+)\/\s*(\d+)\s+\d+%/gm)) util[m[1]] = { used: Number(m[2]), available: Number(m[3]) };
  return util;
}

/** Turn the tools' outputs into a report (exported for tests). A report without clocks is only
 *  allowed for a design nextpnr could not place (`failure`). */
export function summarize(
  board: BoardSpec,
  stat: YosysStat,
  pnr: NextpnrReport,
  extra: Pick<SynthReport, "targetMhz" | "seed" | "sourcesHash" | "parameters" | "tools" | "seconds" | "bitstream">,
  failure?: string,
): SynthReport {
  const util = pnr.utilization ?? {};
  const used = (k: string): number => util[k]?.used ?? 0;
  const avail = (k: string): number => util[k]?.available ?? 0;
  const clocks: ClockTiming[] = Object.entries(pnr.fmax ?? {}).map(([net, t]) => ({
    net,
    achievedMhz: Math.round(t.achieved * 100) / 100,
    targetMhz: t.constraint,
  }));
  if (clocks.length === 0 && failure === undefined) {
    throw new LociError("E_TOOL", "nextpnr reported no clock: the design has no clocked logic or the report is incomplete", {
      suggestion: `Check the top's clock path (PLL output to the logic) in build/${board.name}/nextpnr.log.`,
    });
  }
  const fmaxMhz = clocks.length === 0 ? 0 : Math.min(...clocks.map((c) => c.achievedMhz));
  return {
    board: board.name,
    top: board.top,
    device: board.device,
    package: board.package,
    targetMhz: extra.targetMhz,
    placed: failure === undefined,
    ...(failure === undefined ? {} : { error: failure }),
    fmaxMhz,
    timingMet: failure === undefined && clocks.every((c) => c.achievedMhz >= c.targetMhz),
    clocks,
    resources: {
      luts: cells(stat, (t) => t === "SB_LUT4"),
      ffs: cells(stat, (t) => t.startsWith("SB_DFF")),
      carries: cells(stat, (t) => t === "SB_CARRY"),
      logicCells: used("ICESTORM_LC"),
      ebr: used("ICESTORM_RAM"),
      spram: used("ICESTORM_SPRAM"),
      dsp: used("ICESTORM_DSP"),
      io: used("SB_IO"),
      pll: used("ICESTORM_PLL"),
      globalBuffers: used("SB_GB"),
    },
    available: {
      logicCells: avail("ICESTORM_LC"),
      ebr: avail("ICESTORM_RAM"),
      spram: avail("ICESTORM_SPRAM"),
      dsp: avail("ICESTORM_DSP"),
      io: avail("SB_IO"),
      pll: avail("ICESTORM_PLL"),
      globalBuffers: avail("SB_GB"),
    },
    seed: extra.seed,
    sourcesHash: extra.sourcesHash,
    parameters: extra.parameters,
    tools: extra.tools,
    seconds: extra.seconds,
    bitstream: extra.bitstream,
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/**
 * Synthesize, place, route and pack `board`. Returns the report; throws E_TOOL when a tool is
 * missing or fails, and when timing is not met (unless `allowTimingFailure`).
 */
export async function synthBoard(board: BoardSpec, options: SynthOptions = {}): Promise<SynthReport> {
  const freqMhz = options.freqMhz ?? board.coreClockMhz;
  const seed = options.seed ?? 1;
  if (!(freqMhz > 0 && freqMhz <= 400)) throw new RangeValueError("freqMhz", freqMhz, "0 < MHz <= 400");
  if (!Number.isSafeInteger(seed) || seed < 1) throw new RangeValueError("seed", seed, "an integer >= 1");
  const log = options.onLog ?? (() => undefined);
  const outDir = options.outDir ?? join(REPO_ROOT, "build", board.name);
  const list = readFileList(board.fileList);
  const sourcesHash = synthInputsHash(board, freqMhz, seed);
  const parameters = { ...(board.parameters ?? {}) };

  return withBuildLock(outDir, async () => {
    mkdirSync(outDir, { recursive: true });
    const netlist = join(outDir, `${board.top}.json`);
    const statFile = join(outDir, "yosys-stat.json");
    const asc = join(outDir, "loci.asc");
    const bin = join(outDir, "loci.bin");
    const pnrReport = join(outDir, "nextpnr-report.json");
    const q = (p: string): string => JSON.stringify(p);
    const script = [
      `# Generated by host/hdl/board-synth.ts from ${board.fileList}`,
      `read_verilog -sv ${list.includeDirs.map((d) => `-I${q(d)}`).join(" ")} ${list.sources.map(q).join(" ")}`,
      ...Object.entries(parameters).map(([k, v]) => `chparam -set ${k} ${v} ${board.top}`),
      // -dsp: multipliers go to the UP5K's SB_MAC16 blocks instead of LUTs.
      `synth_ice40 -dsp -top ${board.top} -json ${q(netlist)}`,
      `tee -q -o ${statFile} stat -json`, // yosys takes this path unquoted
    ].join("\n");
    const scriptFile = join(outDir, "synth.ys");
    writeFileSync(scriptFile, `${script}\n`);

    log(`yosys: synth_ice40 ${board.top} (${list.sources.length} sources)`);
    const yosys = await runTool("yosys", ["-q", "-l", join(outDir, "yosys.log"), "-s", scriptFile], { what: "yosys synthesis" });
    log(`nextpnr-ice40: --${board.device} --package ${board.package} --freq ${freqMhz} --seed ${seed}`);
    const pnrLog = join(outDir, "nextpnr.log");
    const pnr = await runTool(
      "nextpnr-ice40",
      [
        `--${board.device}`,
        "--package",
        board.package,
        "--json",
        netlist,
        "--pcf",
        join(REPO_ROOT, board.pcf),
        "--asc",
        asc,
        "--freq",
        String(freqMhz),
        "--seed",
        String(seed),
        "--report",
        pnrReport,
        "--timing-allow-fail",
        "-l",
        pnrLog,
        "-q",
      ],
      { what: "nextpnr place and route", allowFailure: true },
    );
    const placed = pnr.code === 0;
    const failure = placed ? undefined : (/^ERROR: (.*)$/m.exec(pnr.stdout + pnr.stderr)?.[1] ?? `nextpnr exited with ${pnr.code}`);
    if (placed) log("icepack: bitstream");
    const pack = placed ? await runTool("icepack", [asc, bin], { what: "icepack" }) : { ms: 0 };
    const yosysVersion = firstLine((await runTool("yosys", ["-V"], { what: "yosys" })).stdout);
    const nextpnrOut = await runTool("nextpnr-ice40", ["--version"], { what: "nextpnr" });
    const nextpnrVersion = firstLine(nextpnrOut.stdout + nextpnrOut.stderr);

    const pnrJson: NextpnrReport = placed
      ? (JSON.parse(readFileSync(pnrReport, "utf8")) as NextpnrReport)
      : { utilization: utilizationFromLog(existsSync(pnrLog) ? readFileSync(pnrLog, "utf8") : "") };
    const report = summarize(
      board,
      JSON.parse(readFileSync(statFile, "utf8")) as YosysStat,
      pnrJson,
      {
        targetMhz: freqMhz,
        seed,
        sourcesHash,
        parameters,
        tools: { yosys: yosysVersion, nextpnr: nextpnrVersion },
        seconds: {
          yosys: Math.round(yosys.ms / 100) / 10,
          nextpnr: Math.round(pnr.ms / 100) / 10,
          icepack: Math.round(pack.ms / 100) / 10,
        },
        bitstream: placed ? relative(REPO_ROOT, bin) : "",
      },
      failure,
    );
    const text = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(join(outDir, "report.json"), text);
    if (options.keepReport ?? true) {
      mkdirSync(join(REPO_ROOT, "hdl", "syn", "reports"), { recursive: true });
      writeFileSync(committedReportPath(board), text);
    }
    if (!placed) {
      const lc = report.resources.logicCells;
      const avail = report.available.logicCells;
      throw new LociError("E_TOOL", `nextpnr could not place ${board.top}: ${failure}${lc > avail ? ` (logic cells ${lc} of ${avail})` : ""}`, {
        context: { board: board.name, logicCells: lc, available: avail, ebr: report.resources.ebr },
        suggestion: `The design does not fit the device; see the report ${relative(REPO_ROOT, join(outDir, "report.json"))} and ${relative(REPO_ROOT, pnrLog)}.`,
      });
    }
    if (!report.timingMet && !options.allowTimingFailure) {
      const worst = report.clocks.find((c) => c.achievedMhz < c.targetMhz)!;
      throw new LociError("E_TOOL", `timing not met: ${worst.net} reaches ${worst.achievedMhz} MHz, target ${worst.targetMhz} MHz`, {
        context: { board: board.name, fmaxMhz: report.fmaxMhz, targetMhz: freqMhz },
        suggestion: `Try another placer seed (--seed N), or see the critical path in ${relative(REPO_ROOT, pnrReport)}.`,
      });
    }
    return report;
  });
}
