// SPDX-License-Identifier: Apache-2.0
// `loci synth`: option validation through the CLI, the text summary of a report, and --json
// errors (one JSON document, no stack trace).

import { describe, expect, it } from "vitest";
import { runCli } from "../main.ts";
import { bufferIO } from "../io.ts";
import { formatSynth } from "./synth.ts";
import type { SynthReport } from "../../hdl/board-synth.ts";
import { committedReportPath, BOARDS } from "../../hdl/board-synth.ts";

const argv = (...args: string[]): string[] => ["node", "loci", "synth", ...args];

describe("loci synth", () => {
  it("refuses an unknown board, a bad frequency and a bad seed (usage, exit 2)", async () => {
    for (const args of [["--board", "arty"], ["--freq", "0"], ["--freq", "fast"], ["--seed", "0"]]) {
      const io = bufferIO();
      expect(await runCli(argv(...args), io)).toBe(2);
      expect(io.stderr()).toMatch(/error: option/);
    }
  });

  it("reports a usage error as one JSON document under --json", async () => {
    const io = bufferIO();
    expect(await runCli(argv("--board", "arty", "--json"), io)).toBe(2);
    const doc = JSON.parse(io.stdout()) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe("E_USAGE");
    expect(doc.error.message).toMatch(/arty/);
  });

  it("prints resources, every clock and where the files are", () => {
    const report: SynthReport = {
      board: "icebreaker",
      top: "loci_top_icebreaker",
      device: "up5k",
      package: "sg48",
      targetMhz: 24,
      placed: true,
      fmaxMhz: 27.5,
      timingMet: true,
      clocks: [{ net: "clk", achievedMhz: 27.5, targetMhz: 24 }],
      resources: { luts: 4000, ffs: 2000, carries: 900, logicCells: 4800, ebr: 29, spram: 4, dsp: 0, io: 6, pll: 1, globalBuffers: 7 },
      available: { logicCells: 5280, ebr: 30, spram: 4, dsp: 8, io: 96, pll: 1, globalBuffers: 8 },
      seed: 1,
      sourcesHash: "0123456789abcdef",
      parameters: {},
      tools: { yosys: "Yosys 0.23", nextpnr: "nextpnr-ice40 0.4" },
      seconds: { yosys: 30, nextpnr: 90, icepack: 1 },
      bitstream: "build/icebreaker/loci.bin",
    };
    const text = formatSynth({ report, upToDate: false, reportPath: committedReportPath(BOARDS.icebreaker) });
    expect(text).toContain("logic cells 4800 / 5280 (91 %)");
    expect(text).toContain("EBR 29 / 30 (97 %)");
    expect(text).toContain("clock clk: Fmax 27.5 MHz, target 24 MHz: met");
    expect(text).toContain("bitstream build/icebreaker/loci.bin   report hdl/syn/reports/icebreaker.json");
    const failed = formatSynth({ report: { ...report, placed: false, error: "Unable to place cell", clocks: [] }, upToDate: true, reportPath: committedReportPath(BOARDS.icebreaker) });
    expect(failed).toContain("NOT PLACED: Unable to place cell");
    expect(failed).toContain("report up to date");
  });
});
