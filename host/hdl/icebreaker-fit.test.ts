// SPDX-License-Identifier: Apache-2.0
// The iCEBreaker build: the committed report (hdl/syn/reports/icebreaker.json) must describe the
// current sources, and the design must place, route and meet its 24 MHz target. The full flow
// runs only when the sources changed since the committed report (about 30 s when the design
// does not fit, a few minutes when it does); otherwise the committed report is checked.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOARDS, committedReportPath, readReport, synthBoard, synthInputsHash, type SynthReport } from "./board-synth.ts";
import { REPO_ROOT } from "./file-list.ts";

const board = BOARDS.icebreaker;

/** The report for the current sources: the committed one if it matches, else a fresh run. */
async function currentReport(): Promise<SynthReport> {
  const committed = readReport(committedReportPath(board));
  if (committed !== undefined && committed.sourcesHash === synthInputsHash(board, board.coreClockMhz, committed.seed)) return committed;
  try {
    return await synthBoard(board, { keepReport: true, allowTimingFailure: true });
  } catch (error) {
    // A design that does not place still leaves its report behind.
    const fresh = readReport(join(REPO_ROOT, "build", board.name, "report.json"));
    if (fresh !== undefined && fresh.sourcesHash === synthInputsHash(board, board.coreClockMhz, 1)) return fresh;
    throw error;
  }
}

describe("iCEBreaker build", () => {
  it("places, routes and meets 24 MHz on the iCE40UP5K", async () => {
    const r = await currentReport();
    const summary = `logic cells ${r.resources.logicCells} of ${r.available.logicCells}, EBR ${r.resources.ebr} of ${r.available.ebr}, Fmax ${r.fmaxMhz} MHz`;
    expect(r.placed, `${r.error ?? ""} (${summary})`).toBe(true);
    expect(r.timingMet, summary).toBe(true);
    expect(r.fmaxMhz).toBeGreaterThanOrEqual(24);
    // Room left for changes: placement gets hard above about 90 % of the logic cells.
    expect(r.resources.logicCells, summary).toBeLessThanOrEqual(Math.floor(0.9 * r.available.logicCells));
    expect(r.resources.spram).toBe(4);
    expect(r.resources.pll).toBe(1);
  }, 900_000);
});
