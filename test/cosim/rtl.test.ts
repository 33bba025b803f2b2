// SPDX-License-Identifier: Apache-2.0
// The core's RTL on its own: `verilator --lint-only -Wall` of every module of loci_core (and of
// the iCE40 memory mapping), the exhaustive testbench of its arithmetic units, and the
// testbench of its host port and control (status codes, check, layouts, latencies, BUSY).
import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, readFileList } from "../../host/hdl/file-list.ts";
import { lintModules, runTestbench } from "../../host/hdl/testbench.ts";
import { CORE_FILE_LIST } from "../../host/hdl/verilator.ts";

/** yosys's simulation models of the iCE40 cells (share/yosys/ice40/cells_sim.v beside its
 *  binary), relative to the repository root as testbench sources are. */
function yosysIce40CellLibrary(): string {
  const yosys = realpathSync(execFileSync("which", ["yosys"], { encoding: "utf8" }).trim());
  return relative(REPO_ROOT, join(dirname(yosys), "..", "share", "yosys", "ice40", "cells_sim.v"));
}

const CORE_MODULES = readFileList(CORE_FILE_LIST).sources.map((s) => basename(s, ".v"));

describe("loci_core RTL", () => {
  it("lints clean with verilator -Wall, module by module (generic and iCE40 memories)", async () => {
    expect(CORE_MODULES).toContain("loci_core");
    expect(CORE_MODULES.length).toBeGreaterThanOrEqual(12);
    await lintModules(CORE_MODULES);
  }, 300_000);

  it("arithmetic units equal their integer models on every input", async () => {
    const r = await runTestbench({
      top: "loci_arith_tb",
      sources: ["hdl/tb/loci_arith_tb.v", "hdl/rtl/loci_decay.v", "hdl/rtl/loci_trace_decay.v", "hdl/rtl/loci_stdp_delta.v", "hdl/rtl/loci_weight_clip.v"],
      includeDirs: ["hdl/rtl"],
    });
    // 16 x 65536 decays and 65536 held, 16 x 256 trace decays, 16 x 256 x 256 deltas, 6 x 2 x 256 x 257 clips.
    expect(r.numbers.checks).toBe(17 * 65536 + 16 * 256 + 16 * 256 * 256 + 6 * 2 * 256 * 257);
  }, 300_000);

  it("the iCE40 counter (an SB_MAC16, yosys's cell model) equals the fabric counter clock by clock", async () => {
    const r = await runTestbench({
      top: "loci_counter_tb",
      sources: ["hdl/tb/loci_counter_tb.v", "hdl/rtl/loci_counter.v", yosysIce40CellLibrary()],
    });
    expect(r.numbers.checks).toBe(300_000);
  }, 300_000);

  it("host port and control behave as docs/core-spec.md section 9 says", async () => {
    const sources = readFileList(CORE_FILE_LIST).sources.map((f) => f.slice(REPO_ROOT.length + 1));
    const r = await runTestbench({ top: "loci_core_port_tb", sources: ["hdl/tb/loci_core_port_tb.v", ...sources], includeDirs: ["hdl/rtl"] });
    expect(r.numbers.checks).toBeGreaterThanOrEqual(49);
  }, 300_000);
});
