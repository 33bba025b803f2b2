// SPDX-License-Identifier: Apache-2.0
// `loci image show` through the CLI: summary of a compiled image, --json, corrupted images.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bufferIO } from "../io.ts";
import { runCli } from "../main.ts";
import type { ImageSummary } from "./image.ts";

const TINY = new URL("../../../examples/tiny.model.json", import.meta.url).pathname;
const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
};

async function compiledTiny(): Promise<string> {
  const image = join(mkdtempSync(join(tmpdir(), "loci-image-")), "tiny.loci");
  expect((await run("compile", TINY, "-o", image)).code).toBe(0);
  return image;
}

describe("loci image show", () => {
  it("prints header, requirements, populations, neurons and histograms", async () => {
    const image = await compiledTiny();
    const r = await run("image", "show", image);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^image {8}.*tiny\.loci: 656 bytes, core image v1, CRC-32 0x[0-9a-f]{8} \(checked\)$/m);
    expect(r.out).toMatch(/^requires {5}core spec v1; 4 neurons, 3 axons, 10 synapses \(0 plastic\), max fan-in 3$/m);
    expect(r.out).toMatch(/fits: icebreaker$/m);
    expect(r.out).toMatch(/^ {2}output +lif +neurons 0\.\.1 +2 +scale 158\.750 LSB\/unit, weightShift 6 {2}\(output\)$/m);
    expect(r.out).toMatch(/^encoding {5}rate, 20 steps\/sample, maxRate 0\.5; readout spike-count$/m);
    expect(r.out).toMatch(/^ {2}2\.\.3 +threshold 6816, tauMemShift 3, tauSynShift 1, refractory 1, weightShift 5, reset zero$/m);
    expect(r.out).toMatch(/^synapses {5}10, weights -127\.\.127 LSB$/m);
  });

  it("prints one JSON document with --json", async () => {
    const image = await compiledTiny();
    const r = await run("image", "show", image, "--json");
    const doc = JSON.parse(r.out) as ImageSummary;
    expect(doc.requirements).toMatchObject({ numNeurons: 4, numAxons: 3, numSynapses: 10 });
    expect(doc.neuronGroups.map((g) => [g.first, g.count])).toEqual([[0, 2], [2, 2]]);
    expect(doc.synapses.delays.counts.slice(0, 4)).toEqual([2, 3, 4, 1]);
    expect(doc.meta.output).toBe("output");
  });

  it("names the problem in a corrupted image", async () => {
    const image = await compiledTiny();
    const bytes = readFileSync(image);
    bytes[200] ^= 0xff;
    writeFileSync(image, bytes);
    const r = await run("image", "show", image);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^loci: error E_FORMAT: .*tiny\.loci: CRC mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} \(the image is corrupted\)\n {2}hint: Compile the model again/);
    writeFileSync(image, bytes.subarray(0, 100));
    expect((await run("image", "show", image)).err).toMatch(/truncated core image: 100 bytes, the header says 656/);
  });
});
