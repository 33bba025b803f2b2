// SPDX-License-Identifier: Apache-2.0
// `loci flash`, `loci run` and `loci hil` through the CLI entry point, on the sim port; and the
// hil comparison proven able to fail on a board that disagrees with the simulator.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layoutMemories } from "../../../sim/memory-layout.ts";
import { writeNetworkFile } from "../../../sim/network-file.ts";
import { writeStimulusFile } from "../../../sim/stimulus.ts";
import { randomNetwork } from "../../../test/hil/random-network.ts";
import { Board } from "../../driver/board.ts";
import { MEMORY } from "../../driver/memory-map.ts";
import { SimTransport } from "../../driver/sim-transport.ts";
import { bufferIO } from "../io.ts";
import { runCli } from "../main.ts";
import { hilOnBoard } from "../../driver/hil.ts";
import { hilStimuli } from "./hil.ts";

const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
};

const dir = mkdtempSync(join(tmpdir(), "loci-link-cli-"));
const net = randomNetwork({ neurons: 30, axons: 24, synapses: 400, plastic: 0.5, learning: true, seed: 8 });
const netPath = join(dir, "net.net.json");
writeNetworkFile(netPath, net);

describe("loci flash", () => {
  it("writes and verifies an image on --port sim, reporting wire bytes per synapse", async () => {
    const r = await cli("flash", netPath, "--port", "sim", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.numSynapses).toBe(400);
    expect(doc.verifiedWords).toBeGreaterThan(400);
    expect(doc.writeWireBytes).toBeGreaterThan(doc.dataBytes);
    expect(doc.bytesPerSynapse).toBeGreaterThan(4);
  });

  it("reports a missing image file with E_IO", async () => {
    const r = await cli("flash", join(dir, "nope.net.json"), "--port", "sim");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E_IO|E_FORMAT/);
  });
});

describe("loci run", () => {
  it("runs a stimulus file and reads learned weights back", async () => {
    const stimPath = join(dir, "in.stim.json");
    writeStimulusFile(stimPath, { steps: 30, events: [[0, 1], [0, 5], [2, 3], [7, 9], [7, 10], [20, 1]] });
    const r = await cli("run", netPath, "--input", stimPath, "--port", "sim", "--weights", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.steps).toBe(30);
    expect(doc.inputEvents).toBe(6);
    expect(doc.counters.steps).toBe(30);
    expect(doc.weights).toHaveLength(400);
    expect(typeof doc.weightsChanged).toBe("number");
  });

  it("needs --steps without --input", async () => {
    const r = await cli("run", netPath, "--port", "sim", "--rate", "0.1");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--steps is required/);
  });
});

describe("loci hil", () => {
  it("finds no mismatch between the sim board and the simulator", async () => {
    const r = await cli("hil", netPath, "--port", "sim", "--cases", "3", "--steps", "40", "--rate", "0.1", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ cases: 3, mismatches: 0, steps: 120 });
    expect(doc.spikes).toBeGreaterThan(0);
  });

  it("finds the mismatches of a board whose memory was tampered with", async () => {
    const mem = layoutMemories(net);
    const board = await Board.open(new SimTransport({ baud: Infinity }));
    await board.flash(mem);
    // One synapse with another weight: spikes, state or cycles must disagree somewhere.
    const w = mem.synapseLow[0];
    await board.writeMemory(MEMORY.SYNAPSES, 0, [((w & ~0xff) | ((w + 90) & 0xff)) >>> 0]);
    const stimuli = hilStimuli({ cases: 2, steps: 40, rate: 0.3, seed: 1, port: "sim", baud: 0, json: true }, net.numAxons);
    const report = await hilOnBoard(board, mem, stimuli);
    await board.close();
    expect(report.mismatches).toBeGreaterThan(0);
    expect(report.first.length).toBeGreaterThan(0);
  });
});
