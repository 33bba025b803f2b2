// SPDX-License-Identifier: Apache-2.0
// Synthesis of loci_core alone, for the fit and resource reports in hdl/syn/reports/:
//   iCE40UP5K  yosys synth_ice40 -dsp on loci_core (MemTarget "ice40"): LUT4, FF, carry, EBR,
//              SPRAM, DSP; then nextpnr-ice40 on the placement wrapper hdl/syn/core/
//              loci_core_fit.v (the core's ports from a shift register) for logic cells and
//              Fmax at 24 MHz, over a few placer seeds.
//   xc7a35t    yosys synth_xilinx (generic inferred memories): LUT, FF, BRAM, DSP, to compare
//              with NeuroCoreX (90 neurons, 6,981 LUT, 30.5 BRAM on the same part).
// `npm run synth:core` writes both reports; test/cosim/synth-report.test.ts holds them to the
// budget and to the current sources (sourcesHash).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LociError } from "../../sim/errors.ts";
import { DELAY_SLOTS, UP5K_CAPACITY } from "../../sim/spec.ts";
import { contentHash, withBuildLock } from "./build-cache.ts";
import { REPO_ROOT, readFileList } from "./file-list.ts";
import { runTool } from "./run-tool.ts";
import { CORE_FILE_LIST } from "./verilator.ts";

/** The placement wrapper of the core and its pins. */
export const FIT_TOP = "loci_core_fit";
export const FIT_SOURCE = "hdl/syn/core/loci_core_fit.v";
export const FIT_PCF = "hdl/syn/core/loci_core_fit.pcf";
/** Where the reports are kept in git. */
export const CORE_ICE40_REPORT = "hdl/syn/reports/core-ice40.json";
export const CORE_XC7_REPORT = "hdl/syn/reports/core-xc7a35t.json";

/** iCE40UP5K resources (datasheet). */
export const UP5K = { luts: 5280, ebr: 30, spram: 4, dsp: 8 } as const;
/** Artix-7 35T resources (datasheet): 36-Kbit BRAM tiles, DSP48E1 slices. */
export const XC7A35T = { luts: 20800, ffs: 41600, bram36: 50, dsp: 90 } as const;
/** NeuroCoreX on the Cmod A7-35T (its paper): the peer users compare with. */
export const NEUROCOREX = { neurons: 90, luts: 6981, bram36: 30.5 } as const;

/** The iCE40 report. */
export interface CoreIce40Report {
  readonly module: "loci_core";
  readonly device: "iCE40UP5K";
  readonly flow: string;
  /** What the default build holds. */
  readonly capacity: { neurons: number; axons: number; synapses: number; maxFanIn: number; delaySlots: number };
  readonly resources: { luts: number; ffs: number; carries: number; ebr: number; spram: number; dsp: number };
  readonly available: typeof UP5K;
  /** Used / available. */
  readonly utilization: { luts: number; ebr: number; spram: number; dsp: number };
  /** nextpnr on the placement wrapper, per seed (undefined when not run). */
  readonly placed?: {
    readonly top: string;
    readonly targetMhz: number;
    readonly seeds: readonly { seed: number; fmaxMhz: number; logicCells: number }[];
    /** Lowest Fmax over the seeds, MHz. */
    readonly worstFmaxMhz: number;
    readonly timingMet: boolean;
    readonly logicCellsAvailable: number;
    /** What the wrapper adds to the core (its shift register and output fold). */
    readonly wrapper: { luts: number; ffs: number };
  };
  readonly sourcesHash: string;
  readonly tools: { yosys: string; nextpnr?: string };
}

/** The Artix-7 report. */
export interface CoreXc7Report {
  readonly module: "loci_core";
  readonly device: "xc7a35t";
  readonly flow: string;
  readonly resources: { luts: number; lutRam: number; ffs: number; carry4: number; bram36: number; ramb36: number; ramb18: number; dsp: number };
  readonly available: typeof XC7A35T;
  readonly utilization: { luts: number; bram36: number; dsp: number };
  readonly neurocorex: typeof NEUROCOREX;
  readonly sourcesHash: string;
  readonly tools: { yosys: string };
}

interface YosysStat {
  readonly design?: { readonly num_cells_by_type?: Readonly<Record<string, number>> };
}

function cellCount(stat: YosysStat, match: (type: string) => boolean): number {
  return Object.entries(stat.design?.num_cells_by_type ?? {}).reduce((n, [t, c]) => (match(t) ? n + c : n), 0);
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new LociError("E_TOOL", `${what} wrote no readable ${path}`, { context: { file: path }, cause: error });
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Hash of everything the reports depend on (core sources, headers, wrapper, pins). */
export function coreSynthHash(): string {
  const list = readFileList(CORE_FILE_LIST);
  const headers = list.includeDirs.flatMap((d) => ["loci_spec.vh", "loci_core_map.vh"].map((h) => join(d, h))).filter((p) => existsSync(p));
  return contentHash([...list.sources, ...headers, join(REPO_ROOT, FIT_SOURCE), join(REPO_ROOT, FIT_PCF)], ["core-synth-1"]);
}

async function yosys(outDir: string, name: string, lines: readonly string[]): Promise<void> {
  const script = join(outDir, `${name}.ys`);
  writeFileSync(script, `${lines.join("\n")}\n`);
  await runTool("yosys", ["-q", "-l", join(outDir, `${name}.log`), "-s", script], { what: `yosys (${name})`, timeoutMs: 1_800_000 });
}

function readCommand(extra: readonly string[] = []): string {
  const list = readFileList(CORE_FILE_LIST);
  const q = (p: string): string => JSON.stringify(p);
  // yosys takes -I paths unquoted.
  return `read_verilog ${list.includeDirs.map((d) => `-I${d}`).join(" ")} ${[...list.sources, ...extra].map(q).join(" ")}`;
}

/** Options of `synthCore`. */
export interface CoreSynthOptions {
  /** Placer seeds for nextpnr (default [1, 2, 3]; empty = no placement). */
  readonly seeds?: readonly number[];
  readonly targetMhz?: number;
  readonly outDir?: string;
  readonly onLog?: (line: string) => void;
}

/** Run the three flows and return both reports (not written anywhere). */
export async function synthCore(options: CoreSynthOptions = {}): Promise<{ ice40: CoreIce40Report; xc7: CoreXc7Report }> {
  const outDir = options.outDir ?? join(REPO_ROOT, "build", "syn-core");
  const seeds = options.seeds ?? [1, 2, 3];
  const targetMhz = options.targetMhz ?? 24;
  const log = options.onLog ?? ((): void => undefined);
  const sourcesHash = coreSynthHash();
  return withBuildLock(outDir, async () => {
    mkdirSync(outDir, { recursive: true });
    const yosysVersion = (await runTool("yosys", ["-V"], { what: "yosys" })).stdout.trim();

    log("yosys synth_ice40 -dsp loci_core (MemTarget ice40)");
    await yosys(outDir, "ice40", [
      readCommand(),
      'chparam -set MemTarget "ice40" loci_core',
      "synth_ice40 -dsp -top loci_core",
      `tee -q -o ${join(outDir, "ice40-stat.json")} stat -json`,
    ]);
    const ice = readJson<YosysStat>(join(outDir, "ice40-stat.json"), "yosys");
    const resources = {
      luts: cellCount(ice, (t) => t === "SB_LUT4"),
      ffs: cellCount(ice, (t) => t.startsWith("SB_DFF")),
      carries: cellCount(ice, (t) => t === "SB_CARRY"),
      ebr: cellCount(ice, (t) => t === "SB_RAM40_4K"),
      spram: cellCount(ice, (t) => t === "SB_SPRAM256KA"),
      dsp: cellCount(ice, (t) => t === "SB_MAC16"),
    };

    let placed: CoreIce40Report["placed"];
    let nextpnrVersion: string | undefined;
    if (seeds.length > 0) {
      log("yosys synth_ice40 -dsp loci_core_fit (placement wrapper)");
      const netlist = join(outDir, "fit.json");
      await yosys(outDir, "fit", [readCommand([join(REPO_ROOT, FIT_SOURCE)]), `synth_ice40 -dsp -top ${FIT_TOP} -json ${JSON.stringify(netlist)}`, `tee -q -o ${join(outDir, "fit-stat.json")} stat -json`]);
      const fit = readJson<YosysStat>(join(outDir, "fit-stat.json"), "yosys");
      nextpnrVersion = (await runTool("nextpnr-ice40", ["--version"], { what: "nextpnr-ice40", allowFailure: true })).stderr.trim() || "nextpnr-ice40";
      const runs: { seed: number; fmaxMhz: number; logicCells: number }[] = [];
      let available = 0;
      for (const seed of seeds) {
        log(`nextpnr-ice40 --up5k --package sg48 --freq ${targetMhz} --seed ${seed}`);
        const report = join(outDir, `nextpnr-${seed}.json`);
        await runTool(
          "nextpnr-ice40",
          ["--up5k", "--package", "sg48", "--json", netlist, "--pcf", join(REPO_ROOT, FIT_PCF), "--freq", String(targetMhz), "--seed", String(seed), "--report", report, "--timing-allow-fail", "-q"],
          { what: "nextpnr-ice40 (core placement)", timeoutMs: 1_800_000 },
        );
        const r = readJson<{ fmax?: Record<string, { achieved: number }>; utilization?: Record<string, { used: number; available: number }> }>(report, "nextpnr-ice40");
        const fmax = Math.min(...Object.values(r.fmax ?? {}).map((c) => c.achieved));
        if (!Number.isFinite(fmax)) throw new LociError("E_TOOL", "nextpnr-ice40 reported no clock for the core placement", { context: { file: report } });
        runs.push({ seed, fmaxMhz: Math.round(fmax * 100) / 100, logicCells: r.utilization?.ICESTORM_LC?.used ?? 0 });
        available = r.utilization?.ICESTORM_LC?.available ?? available;
      }
      const worst = Math.min(...runs.map((s) => s.fmaxMhz));
      placed = {
        top: FIT_TOP,
        targetMhz,
        seeds: runs,
        worstFmaxMhz: worst,
        timingMet: worst >= targetMhz,
        logicCellsAvailable: available,
        wrapper: {
          luts: cellCount(fit, (t) => t === "SB_LUT4") - resources.luts,
          ffs: cellCount(fit, (t) => t.startsWith("SB_DFF")) - resources.ffs,
        },
      };
    }

    log("yosys synth_xilinx -family xc7 loci_core (generic memories)");
    await yosys(outDir, "xc7", [readCommand(), "synth_xilinx -family xc7 -flatten -noiopad -top loci_core", `tee -q -o ${join(outDir, "xc7-stat.json")} stat -json`]);
    const x = readJson<YosysStat>(join(outDir, "xc7-stat.json"), "yosys");
    const ramb36 = cellCount(x, (t) => t.startsWith("RAMB36"));
    const ramb18 = cellCount(x, (t) => t.startsWith("RAMB18"));
    // Inverters count as LUTs (each is a LUT1 on the fabric); shift registers are LUT memory.
    const xluts = cellCount(x, (t) => /^LUT[1-6]$/.test(t) || t === "INV");
    const lutRam = cellCount(x, (t) => t.startsWith("SRL") || t.startsWith("RAM32") || t.startsWith("RAM64"));
    const xc7: CoreXc7Report = {
      module: "loci_core",
      device: "xc7a35t",
      flow: "yosys synth_xilinx -family xc7 -flatten (memories inferred; BRAM36 = RAMB36 + RAMB18 / 2)",
      resources: {
        luts: xluts + lutRam,
        lutRam,
        ffs: cellCount(x, (t) => /^FD[A-Z]*$/.test(t)),
        carry4: cellCount(x, (t) => t === "CARRY4"),
        bram36: ramb36 + ramb18 / 2,
        ramb36,
        ramb18,
        dsp: cellCount(x, (t) => t.startsWith("DSP48")),
      },
      available: XC7A35T,
      utilization: { luts: round((xluts + lutRam) / XC7A35T.luts), bram36: round((ramb36 + ramb18 / 2) / XC7A35T.bram36), dsp: round(cellCount(x, (t) => t.startsWith("DSP48")) / XC7A35T.dsp) },
      neurocorex: NEUROCOREX,
      sourcesHash,
      tools: { yosys: yosysVersion },
    };
    const ice40: CoreIce40Report = {
      module: "loci_core",
      device: "iCE40UP5K",
      flow: "yosys synth_ice40 -dsp (MemTarget ice40: SB_SPRAM256KA, inferred EBR)",
      capacity: { ...UP5K_CAPACITY, delaySlots: DELAY_SLOTS },
      resources,
      available: UP5K,
      utilization: { luts: round(resources.luts / UP5K.luts), ebr: round(resources.ebr / UP5K.ebr), spram: round(resources.spram / UP5K.spram), dsp: round(resources.dsp / UP5K.dsp) },
      placed,
      sourcesHash,
      tools: { yosys: yosysVersion, nextpnr: nextpnrVersion },
    };
    return { ice40, xc7 };
  });
}

/** Write both reports where git keeps them. */
export function writeCoreReports(reports: { ice40: CoreIce40Report; xc7: CoreXc7Report }): void {
  mkdirSync(join(REPO_ROOT, "hdl", "syn", "reports"), { recursive: true });
  writeFileSync(join(REPO_ROOT, CORE_ICE40_REPORT), `${JSON.stringify(reports.ice40, null, 2)}\n`);
  writeFileSync(join(REPO_ROOT, CORE_XC7_REPORT), `${JSON.stringify(reports.xc7, null, 2)}\n`);
}
