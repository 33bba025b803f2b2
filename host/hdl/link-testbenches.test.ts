// SPDX-License-Identifier: Apache-2.0
// The link's RTL: every module's focused testbench (Icarus Verilog, self-checking) and a
// `verilator --lint-only -Wall` of each module with the waivers of hdl/lint/link.vlt.

import { describe, expect, it } from "vitest";
import { lintModules, lintVerilog, parseVerdict, runTestbench, type TestbenchSpec } from "./testbench.ts";

const RTL = "hdl/rtl";
const TB = "hdl/tb";
const WAIVERS = ["hdl/lint/link.vlt"];

const BENCHES: readonly (TestbenchSpec & { readonly minChecks: number })[] = [
  { top: "loci_uart_rx_tb", sources: [`${TB}/loci_uart_rx_tb.v`, `${RTL}/loci_uart_rx.v`], minChecks: 1400 },
  { top: "loci_uart_tx_tb", sources: [`${TB}/loci_uart_tx_tb.v`, `${RTL}/loci_uart_tx.v`], minChecks: 6000 },
  { top: "loci_crc_tb", sources: [`${TB}/loci_crc_tb.v`, `${RTL}/loci_crc.v`], minChecks: 10000 },
  { top: "loci_link_fifo_tb", sources: [`${TB}/loci_link_fifo_tb.v`, `${RTL}/loci_link_fifo.v`], minChecks: 12000 },
  {
    top: "loci_frame_rx_tb",
    sources: [`${TB}/loci_frame_rx_tb.v`, `${RTL}/loci_frame_rx.v`, `${RTL}/loci_crc.v`],
    minChecks: 10000,
  },
  {
    top: "loci_frame_tx_tb",
    sources: [`${TB}/loci_frame_tx_tb.v`, `${RTL}/loci_frame_tx.v`, `${RTL}/loci_frame_rx.v`, `${RTL}/loci_crc.v`],
    minChecks: 30000,
  },
  {
    top: "loci_link_in_tb",
    sources: [`${TB}/loci_link_in_tb.v`, `${RTL}/loci_link_in.v`, `${RTL}/loci_link_fifo.v`],
    minChecks: 3000,
  },
  { top: "loci_link_out_tb", sources: [`${TB}/loci_link_out_tb.v`, `${RTL}/loci_link_out.v`], minChecks: 30000 },
];

/** The link's modules and the iCEBreaker top, linted by hdl/lint/lint.sh (each as its own top). */
const LINT_MODULES = [
  "loci_uart_rx",
  "loci_uart_tx",
  "loci_uart",
  "loci_crc",
  "loci_link_fifo",
  "loci_frame_rx",
  "loci_frame_tx",
  "loci_link_in",
  "loci_link_out",
  "loci_link",
  "loci_pll_ice40",
  "loci_top_icebreaker",
];

describe("link RTL testbenches", () => {
  for (const bench of BENCHES) {
    it(`${bench.top} passes`, async () => {
      const result = await runTestbench(bench);
      expect(result.numbers.checks).toBeGreaterThanOrEqual(bench.minChecks);
    }, 300_000);
  }
});

describe("link RTL lint", () => {
  it("every link module and the top are verilator -Wall clean (hdl/lint/lint.sh)", async () => {
    await lintModules(LINT_MODULES);
  }, 120_000);
  it("the virtual board's echo top is clean too", async () => {
    const sources = ["loci_uart.v", "loci_uart_rx.v", "loci_uart_tx.v", "loci_link_fifo.v"].map((f) => `${RTL}/${f}`);
    await lintVerilog("loci_echo_top", [...sources, "hdl/tb/virtual-board/loci_echo_top.v"], WAIVERS, [RTL]);
  }, 60_000);
});

describe("testbench verdicts", () => {
  it("needs a PASS line and no FAIL line", () => {
    expect(parseVerdict("TB PASS x checks=3 bytes=9\n")).toEqual({ name: "x", numbers: { checks: 3, bytes: 9 } });
    expect(parseVerdict("TB FAIL: bad\nTB PASS x checks=3\n")).toBeUndefined();
    expect(parseVerdict("nothing\n")).toBeUndefined();
  });
});
