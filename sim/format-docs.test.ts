// SPDX-License-Identifier: Apache-2.0
// The complete examples in docs/formats/network-file.md and stimulus.md are valid files, and the
// example network runs with visible activity on the example stimulus.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNetwork } from "./network-file.ts";
import { Simulator } from "./simulator.ts";
import { parseStimulus } from "./stimulus.ts";

function firstJsonBlock(doc: string): unknown {
  const text = readFileSync(new URL(`../docs/formats/${doc}`, import.meta.url), "utf8");
  const m = /```json\n(\{[\s\S]*?)\n```/.exec(text);
  if (m === null) throw new Error(`${doc}: no json example`);
  return JSON.parse(m[1]) as unknown;
}

describe("format docs", () => {
  it("the network-file.md and stimulus.md examples parse, and the network spikes on that stimulus", () => {
    const net = parseNetwork(firstJsonBlock("network-file.md"));
    expect(net.neurons.map((p) => p.threshold)).toEqual([40, 40, 25]);
    expect(net.learning.enabled).toBe(true);
    const stim = parseStimulus(firstJsonBlock("stimulus.md"), { numAxons: net.numAxons });
    const result = new Simulator(net).run(stim);
    expect(result.totals.spikes).toBeGreaterThan(0);
  });
});
