// SPDX-License-Identifier: Apache-2.0
// The committed fit reports of loci_core (npm run synth:core): made from the current sources,
// inside the iCE40UP5K with room for the link (at most 75 % of the LUTs, EBR to spare), placed
// and routed at 24 MHz, holding the default capacity; and the Artix-7 estimate beside them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORE_ICE40_REPORT, CORE_XC7_REPORT, UP5K, coreSynthHash, type CoreIce40Report, type CoreXc7Report } from "../../host/hdl/core-synth.ts";
import { REPO_ROOT } from "../../host/hdl/file-list.ts";
import { DELAY_SLOTS, UP5K_CAPACITY } from "../../sim/spec.ts";

const ice40 = JSON.parse(readFileSync(join(REPO_ROOT, CORE_ICE40_REPORT), "utf8")) as CoreIce40Report;
const xc7 = JSON.parse(readFileSync(join(REPO_ROOT, CORE_XC7_REPORT), "utf8")) as CoreXc7Report;

describe("loci_core fit reports", () => {
  it("were made from the current RTL (else run `npm run synth:core` and commit the reports)", () => {
    const now = coreSynthHash();
    expect(ice40.sourcesHash).toBe(now);
    expect(xc7.sourcesHash).toBe(now);
  });

  it("hold the default capacity: >= 256 neurons, 1024 axons, 16 k synapses, 16 delay slots", () => {
    expect(ice40.capacity.neurons).toBeGreaterThanOrEqual(256);
    expect(ice40.capacity.axons).toBeGreaterThanOrEqual(1024);
    expect(ice40.capacity.synapses).toBeGreaterThanOrEqual(16 * 1024);
    expect(ice40.capacity.delaySlots).toBe(16);
    expect(ice40.capacity).toEqual({ ...UP5K_CAPACITY, delaySlots: DELAY_SLOTS });
  });

  it("fit the iCE40UP5K with room for the link", () => {
    const r = ice40.resources;
    expect(r.luts).toBeGreaterThan(1000); // a real synthesis, not an empty module
    expect(r.luts).toBeLessThanOrEqual(0.75 * UP5K.luts);
    expect(r.ebr).toBeLessThanOrEqual(UP5K.ebr - 4);
    expect(r.spram).toBeLessThanOrEqual(UP5K.spram);
    expect(r.dsp).toBeLessThanOrEqual(UP5K.dsp);
    expect(ice40.utilization.luts).toBeCloseTo(r.luts / UP5K.luts, 3);
  });

  it("place and route at >= 24 MHz on every seed", () => {
    const p = ice40.placed;
    expect(p).toBeDefined();
    expect(p!.targetMhz).toBe(24);
    expect(p!.seeds.length).toBeGreaterThanOrEqual(3);
    for (const s of p!.seeds) {
      expect(s.fmaxMhz).toBeGreaterThanOrEqual(24);
      expect(s.logicCells).toBeLessThanOrEqual(p!.logicCellsAvailable);
    }
    expect(p!.timingMet).toBe(true);
  });

  it("give an Artix-7 35T estimate to compare with NeuroCoreX", () => {
    expect(xc7.resources.luts).toBeGreaterThan(1000);
    expect(xc7.resources.bram36).toBeGreaterThan(0);
    expect(xc7.resources.luts).toBeLessThan(xc7.available.luts);
    expect(xc7.neurocorex).toEqual({ neurons: 90, luts: 6981, bram36: 30.5 });
  });
});
