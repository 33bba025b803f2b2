// SPDX-License-Identifier: Apache-2.0
// `loci compile` through the CLI: text and --json reports, the image it writes, option checks and
// capacity errors that say how to fit.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../../compiler/compile.ts";
import { parseModel, serializeModel } from "../../../compiler/model-file.ts";
import { randomLayeredModel } from "../../../compiler/random-model.ts";
import { decodeCoreImage } from "../../../sim/core-image.ts";
import { bufferIO } from "../io.ts";
import { runCli } from "../main.ts";
import { defaultImagePath, runCompile } from "./compile.ts";

const TINY = new URL("../../../examples/tiny.model.json", import.meta.url).pathname;
const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
};
const tmp = (): string => mkdtempSync(join(tmpdir(), "loci-compile-"));

describe("loci compile", () => {
  it("writes the image the compiler makes and prints the report", async () => {
    const image = join(tmp(), "tiny.loci");
    const r = await run("compile", TINY, "-o", image);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^synapses {5}10 of 10 candidates kept/m);
    expect(r.out).toMatch(/^timing {7}≈ [\d,]+ cycles\/step/m);
    const bytes = readFileSync(image);
    expect(new Uint8Array(bytes)).toEqual(compileModel(parseModel(readFileSync(TINY, "utf8")), { where: { file: TINY } }).image);
    expect(decodeCoreImage(bytes).network.synapses.source.length).toBe(10);
  });

  it("prints one JSON document with --json", async () => {
    const image = join(tmp(), "t.loci");
    const r = await run("compile", TINY, "-o", image, "--sparsity", "0.5", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { image: string; report: { synapses: { kept: number; sparsity: number }; timing: { clockHz: number } } };
    expect(doc.image).toBe(image);
    expect(doc.report.synapses).toMatchObject({ kept: 5, sparsity: 0.5 });
    expect(doc.report.timing.clockHz).toBe(24e6);
  });

  it("fits an MNIST-sized model to the icebreaker with --fit", async () => {
    const dir = tmp();
    const model = join(dir, "mnist.model.json");
    writeFileSync(model, serializeModel(randomLayeredModel({ seed: 3, dimensions: 16 })));
    const failed = await run("compile", model, "--json");
    expect(failed.code).toBe(1);
    const error = (JSON.parse(failed.out) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("E_CAPACITY");
    // (a CapacityError may be prefixed with the file name)
    expect(error.message.endsWith("the model needs 79,400 synapses (of 79,400 candidates), the core holds 16,384: add --sparsity 0.80 or --fit icebreaker")).toBe(true);
    const ok = await run("compile", model, "--fit", "icebreaker", "--json");
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.out) as { report: { memory: { synapses: { used: number } } } }).report.memory.synapses.used).toBe(16_384);
    expect(decodeCoreImage(readFileSync(join(dir, "mnist.loci"))).requirements.numSynapses).toBe(16_384);
    const sparse = await run("compile", model, "--sparsity", "0.80", "-o", join(dir, "s.loci"));
    expect(sparse.code).toBe(0);
  });

  it("reports bad models and options without a stack trace", async () => {
    const dir = tmp();
    const bad = join(dir, "bad.model.json");
    writeFileSync(bad, readFileSync(TINY, "utf8").replace('"velocity": 1', '"velocity": -1'));
    const r = await run("compile", bad, "-o", join(dir, "x.loci"));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`loci: error E_RANGE: ${bad}: geometry.velocity = -1 is out of range (allowed: finite number > 0)\n`);
    expect((await run("compile", TINY, "--fit", "de0")).err).toMatch(/unknown board "de0" \(known: icebreaker\)/);
    expect((await run("compile", TINY, "--scale", "layer")).code).toBe(2);
    expect((await run("compile", join(dir, "missing.model.json"))).err).toMatch(/E_IO: cannot read .*missing\.model\.json: ENOENT/);
  });

  it("derives the image path from the model path", () => {
    expect(defaultImagePath("a/b.model.json")).toBe("a/b.loci");
    expect(defaultImagePath("b.json")).toBe("b.loci");
    expect(defaultImagePath("b")).toBe("b.loci");
  });
});

describe("runCompile", () => {
  it("rejects an unknown board when called directly", () => {
    expect(() =>
      runCompile(TINY, { fit: "de0", scale: "population", headroom: 4, inputRate: 0.1, neuronRate: 0.05, clockHz: 24e6, json: false }),
    ).toThrow(/unknown board "de0" \(known: icebreaker\)/);
  });
});
