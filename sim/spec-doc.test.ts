// SPDX-License-Identifier: Apache-2.0
// docs/core-spec.md states the cycle model in a table; the simulator and the RTL take it from
// CYCLES in sim/spec.ts. The table must list every constant with the value the code uses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CYCLES } from "./spec.ts";

describe("docs/core-spec.md cycle model", () => {
  it("its table lists every CYCLES constant with the spec module's value", () => {
    const doc = readFileSync(new URL("../docs/core-spec.md", import.meta.url), "utf8");
    const rows = new Map<string, number>();
    for (const m of doc.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)) rows.set(m[1], Number(m[2]));
    expect(Object.fromEntries([...rows].filter(([k]) => k in CYCLES))).toEqual({ ...CYCLES });
  });
});
