// SPDX-License-Identifier: Apache-2.0
// The board flow end to end on a small top (the virtual board's UART echo top on the iCEBreaker
// pins): yosys, nextpnr-ice40 and icepack run, and the report carries real numbers.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOARDS, synthBoard, synthInputsHash, summarize, utilizationFromLog, type BoardSpec } from "./board-synth.ts";
import { REPO_ROOT } from "./file-list.ts";

const ECHO: BoardSpec = {
  ...BOARDS.icebreaker,
  name: "echo-flow-test",
  top: "loci_echo_top",
  fileList: "hdl/tb/virtual-board/echo.f",
};

const PINS: BoardSpec = {
  ...BOARDS.icebreaker,
  name: "pins-flow-test",
  top: "loci_icebreaker_pins_top",
  fileList: "hdl/tb/loci_icebreaker_pins_top.f",
};

describe("board flow", () => {
  it("places the iCEBreaker pins and the PLL (pin 35, SB_PLL40_PAD) and makes 24 MHz", async () => {
    const report = await synthBoard(PINS, { outDir: join(REPO_ROOT, "build", "pins-flow-test"), keepReport: false });
    expect(report.placed).toBe(true);
    expect(report.resources.pll).toBe(1);
    expect(report.resources.io).toBe(6);
    // The logic runs on the PLL's output, constrained at the 24 MHz target.
    expect(report.clocks).toEqual([expect.objectContaining({ targetMhz: 24 })]);
    expect(report.timingMet).toBe(true);
  }, 120_000);

  it("synthesizes, places, routes and packs a top, reporting resources and Fmax", async () => {
    const outDir = join(REPO_ROOT, "build", "echo-flow-test");
    const report = await synthBoard(ECHO, { outDir, keepReport: false });
    expect(report.timingMet).toBe(true);
    expect(report.fmaxMhz).toBeGreaterThan(24);
    expect(report.clocks).toHaveLength(1);
    expect(report.resources.luts).toBeGreaterThan(20);
    expect(report.resources.ffs).toBeGreaterThan(20);
    expect(report.resources.ebr).toBe(1); // the echo FIFO's array
    expect(report.resources.io).toBe(6);
    expect(report.available.logicCells).toBe(5280);
    expect(report.available.ebr).toBe(30);
    expect(report.available.spram).toBe(4);
    expect(report.sourcesHash).toBe(synthInputsHash(ECHO, 24, 1));
    const bin = join(REPO_ROOT, report.bitstream);
    expect(existsSync(bin)).toBe(true);
    // An UP5K bitstream is 104,090 bytes whatever the design.
    expect(statSync(bin).size).toBe(104_090);
  }, 120_000);

  it("reports a missed target as not met", async () => {
    const outDir = join(REPO_ROOT, "build", "echo-flow-test-fast");
    const report = await synthBoard(ECHO, { outDir, keepReport: false, freqMhz: 300, allowTimingFailure: true });
    expect(report.timingMet).toBe(false);
    await expect(synthBoard(ECHO, { outDir, keepReport: false, freqMhz: 300 })).rejects.toMatchObject({ code: "E_TOOL" });
  }, 120_000);

  it("takes the lowest clock as Fmax and refuses a report without clocks", () => {
    const extra = { targetMhz: 24, seed: 1, sourcesHash: "x", parameters: {}, tools: { yosys: "y", nextpnr: "n" }, seconds: { yosys: 0, nextpnr: 0, icepack: 0 }, bitstream: "b" };
    const stat = { design: { num_cells_by_type: { SB_LUT4: 10, SB_DFFER: 3, SB_DFF: 2, SB_CARRY: 1 } } };
    const r = summarize(ECHO, stat, { fmax: { a: { achieved: 30.123, constraint: 24 }, b: { achieved: 23.5, constraint: 24 } } }, extra);
    expect(r.fmaxMhz).toBe(23.5);
    expect(r.timingMet).toBe(false);
    expect(r.resources).toMatchObject({ luts: 10, ffs: 5, carries: 1 });
    expect(() => summarize(ECHO, stat, { fmax: {} }, extra)).toThrow(/no clock/);
  });

  it("reports a design nextpnr could not place, with the utilization from its log", () => {
    const log = "Info: Device utilisation:\nInfo: \t         ICESTORM_LC:  8647/ 5280   163%\nInfo: \t        ICESTORM_RAM:    29/   30    96%\n";
    const util = utilizationFromLog(log);
    expect(util).toEqual({ ICESTORM_LC: { used: 8647, available: 5280 }, ICESTORM_RAM: { used: 29, available: 30 } });
    const extra = { targetMhz: 24, seed: 1, sourcesHash: "x", parameters: {}, tools: { yosys: "y", nextpnr: "n" }, seconds: { yosys: 0, nextpnr: 0, icepack: 0 }, bitstream: "" };
    const r = summarize(ECHO, { design: { num_cells_by_type: { SB_LUT4: 7000 } } }, { utilization: util }, extra, "Unable to place cell");
    expect(r).toMatchObject({ placed: false, timingMet: false, fmaxMhz: 0, error: "Unable to place cell" });
    expect(r.resources.logicCells).toBe(8647);
    expect(r.available.logicCells).toBe(5280);
  });
});
