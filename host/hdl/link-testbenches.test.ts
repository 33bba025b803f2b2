// SPDX-License-Identifier: Apache-2.0
// The link's RTL: every module's focused testbench (Icarus Verilog, self-checking) and a
// `verilator --lint-only -Wall` of each module with the waivers of hdl/lint/link.vlt.

import { describe, expect, it } from "vitest";
import { lintVerilog, parseVerdict, runTestbench, type TestbenchSpec } from "./testbench.ts";

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
];

/** Modules linted on their own: top and the sources it instantiates. */
const LINT: readonly { top: string; sources: readonly string[] }[] = [
  { top: "loci_uart", sources: ["loci_uart.v", "loci_uart_rx.v", "loci_uart_tx.v"].map((f) => `${RTL}/${f}`) },
  { top: "loci_crc", sources: [`${RTL}/loci_crc.v`] },
  { top: "loci_link_fifo", sources: [`${RTL}/loci_link_fifo.v`] },
  { top: "loci_frame_rx", sources: [`${RTL}/loci_frame_rx.v`, `${RTL}/loci_crc.v`] },
  { top: "loci_frame_tx", sources: [`${RTL}/loci_frame_tx.v`, `${RTL}/loci_crc.v`] },
  { top: "loci_pll_ice40", sources: [`${RTL}/loci_pll_ice40.v`, "hdl/tb/virtual-board/SB_PLL40_PAD.v"] },
  {
    top: "loci_echo_top",
    sources: ["loci_uart.v", "loci_uart_rx.v", "loci_uart_tx.v", "loci_link_fifo.v"].map((f) => `${RTL}/${f}`).concat("hdl/tb/virtual-board/loci_echo_top.v"),
  },
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
  for (const { top, sources } of LINT) {
    it(`${top} is verilator -Wall clean`, async () => {
      await lintVerilog(top, sources, WAIVERS, [RTL]);
    }, 60_000);
  }
});

describe("testbench verdicts", () => {
  it("needs a PASS line and no FAIL line", () => {
    expect(parseVerdict("TB PASS x checks=3 bytes=9\n")).toEqual({ name: "x", numbers: { checks: 3, bytes: 9 } });
    expect(parseVerdict("TB FAIL: bad\nTB PASS x checks=3\n")).toBeUndefined();
    expect(parseVerdict("nothing\n")).toBeUndefined();
  });
});
