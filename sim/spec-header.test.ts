// SPDX-License-Identifier: Apache-2.0
// The generated Verilog header must match spec.ts, and the simulator's hard-coded bit positions
// must match the field tables.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PHASE_A_PARAM_LAYOUT } from "./simulator.ts";
import { NEURON_PARAM_FIELDS } from "./spec.ts";
import { SPEC_HEADER_PATH, renderSpecHeader } from "./spec-header.ts";

describe("spec header", () => {
  it(`${SPEC_HEADER_PATH} on disk equals renderSpecHeader() (run \`npm run gen:header\` if not)`, () => {
    const onDisk = readFileSync(new URL(`../${SPEC_HEADER_PATH}`, import.meta.url), "utf8");
    expect(onDisk).toBe(renderSpecHeader());
  });

  it("the header defines every parameter field with its lsb and width", () => {
    const text = renderSpecHeader();
    expect(text).toContain("`define LOCI_PARAM_TAU_MEM_SHIFT_LSB 16");
    expect(text).toContain("`define LOCI_PARAM_RESET_MODE_LSB 31");
  });
});

describe("phase A decodes the parameter word as NEURON_PARAM_FIELDS lays it out", () => {
  it("every field: same lsb, mask = 2^width - 1", () => {
    for (const [name, field] of Object.entries(NEURON_PARAM_FIELDS)) {
      const used = PHASE_A_PARAM_LAYOUT[name as keyof typeof PHASE_A_PARAM_LAYOUT];
      expect(used, name).toEqual({ lsb: field.lsb, mask: 2 ** field.width - 1 });
    }
    expect(Object.keys(PHASE_A_PARAM_LAYOUT).sort()).toEqual(Object.keys(NEURON_PARAM_FIELDS).sort());
  });
});
