// SPDX-License-Identifier: Apache-2.0
// The main job (`loci demo`, the README's first command) on a short setting: compile the shipped
// MNIST model for the iCEBreaker, evaluate it in the simulator, build and start the virtual board,
// flash, and compare board and simulator exactly on test images; pictures and summary.json written.
// Needs Verilator (scripts/setup.sh installs it): the virtual board is built when missing.

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MnistDemoSummary } from "../../host/cli/commands/demo-mnist.ts";
import { bufferIO } from "../../host/cli/io.ts";
import { runCli } from "../../host/cli/main.ts";

describe("loci demo (the main job)", () => {
  it("runs the shipped model from compile to the virtual board with 0 mismatches", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loci-demo-"));
    const io = bufferIO();
    const code = await runCli(["node", "loci", "demo", "--eval-images", "400", "--board-images", "3", "--out-dir", dir, "--no-png", "--json"], io);
    const doc = JSON.parse(io.stdout()) as MnistDemoSummary & { error?: { message: string } };
    expect(doc.error?.message).toBeUndefined();
    expect(code).toBe(0);
    expect(doc.compile).toMatchObject({ synapses: 16_384, pruned: 0 });
    expect(doc.simulator.images).toBe(400);
    expect(doc.simulator.accuracy).toBeGreaterThan(0.9);
    expect(doc.board?.port).toMatch(/^virtual:/);
    expect(doc.board?.flash.verifiedWords).toBeGreaterThan(16_384);
    expect(doc.board?.hil).toMatchObject({ images: 3, mismatches: 0, predictionsAgree: 3 });
    for (const x of doc.board!.images) expect(x.board).toBe(x.simulator);
    expect(doc.pictures.length).toBe(3);
    for (const f of [...doc.pictures, doc.image, join(dir, "summary.json")]) expect(existsSync(f), f).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(doc)));
  }, 900_000);
});
