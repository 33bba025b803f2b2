// SPDX-License-Identifier: Apache-2.0
// loci train / eval / plot through runCli: files written, JSON documents, the model file's core
// integers reproduced bit for bit by the compiled image in the simulator, resume after a stop,
// and the errors users see.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../../compiler/compile.ts";
import { readModelFile } from "../../../compiler/model-file.ts";
import { bufferIO } from "../io.ts";
import { runCli } from "../main.ts";
import { runTrain } from "./train.ts";

const dir = mkdtempSync(path.join(tmpdir(), "loci-train-cli-"));
const fixtures = path.join(import.meta.dirname, "../../train/fixtures");
const model = path.join(dir, "t.model.json");
const small = ["--epochs", "1", "--limit", "64", "--test-limit", "40", "--hidden", "6", "--backend", "cpu"];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("loci train, eval and plot", () => {
  it("train writes a valid model file and a checkpoint, and reports accuracies as JSON", async () => {
    const r = await cli(["train", "temporal", ...small, "--out", model, "--json"]);
    expect(r.code, r.out + r.err).toBe(0);
    const doc = JSON.parse(r.out) as { accuracy: { float: number; quantized: number; samples: number }; epochs: unknown[]; backend: string; out: string };
    expect(doc.out).toBe(model);
    expect(doc.backend).toBe("cpu");
    expect(doc.epochs).toHaveLength(1);
    expect(doc.accuracy.samples).toBe(40);
    const m = readModelFile(model);
    expect(m.metadata?.accuracy?.["test-quantized"]).toBe(doc.accuracy.quantized);
    expect(m.readout).toBe("final-membrane");
    expect(existsSync(path.join(dir, "t.ckpt.json"))).toBe(true);
  });

  it("eval of the compiled image (bit-exact simulator) equals eval --quantized of the model file", async () => {
    const image = path.join(dir, "t.loci");
    writeFileSync(image, compileModel(readModelFile(model), { fit: true }).image);
    const a = await cli(["eval", image, "--dataset", "temporal", "--limit", "40", "--json"]);
    const b = await cli(["eval", model, "--quantized", "--limit", "40", "--backend", "cpu", "--json"]);
    const c = await cli(["eval", model, "--limit", "40", "--backend", "cpu", "--json"]);
    expect(a.code, a.out).toBe(0);
    const [ra, rb, rc] = [a, b, c].map((x) => JSON.parse(x.out) as { accuracy: number; samples: number; correct: number; evaluated: string });
    expect(ra).toMatchObject({ samples: 40, evaluated: "core-image" });
    expect(rb).toMatchObject({ samples: 40, evaluated: "model-quantized" });
    expect(rc.evaluated).toBe("model-float");
    expect(ra.correct).toBe(rb.correct);
  });

  it("plot writes position pictures and a raster (SVG and PNG)", async () => {
    const out = path.join(dir, "pics");
    const r = await cli(["plot", model, "--out-dir", out, "--sample", "2", "--json"]);
    expect(r.code, r.out + r.err).toBe(0);
    const doc = JSON.parse(r.out) as { files: string[]; raster: { sample: number } };
    expect(doc.files.map((f) => path.basename(f)).sort()).toEqual(
      ["t-positions-unpruned.png", "t-positions-unpruned.svg", "t-positions.png", "t-positions.svg", "t-raster.png", "t-raster.svg"].sort(),
    );
    expect(readFileSync(path.join(out, "t-positions.svg"), "utf8")).toMatch(/^<svg[^>]*>[\s\S]*input \(4\)[\s\S]*<\/svg>\n$/);
    expect(readFileSync(path.join(out, "t-raster.png")).subarray(1, 4).toString()).toBe("PNG");
    // A board run's events (loci run --json) draw the same kind of raster.
    const events = path.join(dir, "run.json");
    writeFileSync(events, JSON.stringify({ spikes: [[3, 0], [5, 2]] }));
    const b = await cli(["plot", path.join(dir, "t.loci"), "--dataset", "temporal", "--events", events, "--out-dir", out, "--no-png", "--json"]);
    expect(JSON.parse(b.out)).toMatchObject({ files: [path.join(out, "t-raster-board.svg")], raster: { spikes: 2 } });
  });

  it("a stopped run saves a checkpoint that --resume completes", async () => {
    const out = path.join(dir, "stop.model.json");
    const controller = new AbortController();
    controller.abort();
    const io = bufferIO();
    const stopped = await runTrain("temporal", { ...parse(small), epochs: 2, out, backend: "cpu", json: true }, io, controller.signal);
    expect(stopped.stopped).toBe(true);
    expect(stopped.epochs).toHaveLength(1);
    const resumed = await runTrain(undefined, { resume: stopped.checkpoint, out, backend: "cpu", json: true }, io);
    expect(resumed.stopped).toBe(false);
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([0, 0, 1]);
    expect(resumed.settings.hidden).toEqual([6]);
  });

  it("trains on SHD files in the published HDF5 layout (700 channels, 20 classes)", async () => {
    const shd = path.join(dir, "shd");
    mkdirSync(shd);
    copyFileSync(path.join(fixtures, "shd-small-f32.h5"), path.join(shd, "shd_train.h5"));
    copyFileSync(path.join(fixtures, "shd-small-f16.h5"), path.join(shd, "shd_test.h5"));
    const r = await cli(["train", "shd", "--data-dir", shd, "--hidden", "4", "--epochs", "1", "--batch", "5", "--backend", "cpu", "--out", path.join(dir, "shd.model.json"), "--json"]);
    expect(r.code, r.out + r.err).toBe(0);
    const doc = JSON.parse(r.out) as { synapses: number[]; accuracy: { samples: number } };
    expect(doc.synapses).toEqual([700 * 4, 4 * 20]);
    expect(doc.accuracy.samples).toBe(5);
    const m = readModelFile(path.join(dir, "shd.model.json"));
    expect(m.encoding).toEqual({ kind: "events", steps: 100 });
    expect(m.populations[0].size).toBe(700);
  });

  it("reports usage, missing data and corrupt checkpoints as errors with a code", async () => {
    expect((await cli(["train", "cifar", "--json"])).out).toMatch(/"code":\s*"E_USAGE"/);
    const bad = path.join(dir, "bad.ckpt.json");
    writeFileSync(bad, '{"format": "loci-train-checkpoint", "version": 1, "settings": {}}');
    const r = await cli(["train", "--resume", bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E_FORMAT/);
    expect((await cli(["eval", path.join(dir, "none.loci"), "--json"])).out).toMatch(/"code":\s*"E_IO"/);
    expect((await cli(["eval", path.join(dir, "t.loci"), "--json"])).out).toMatch(/pass --dataset/);
    expect((await cli(["train", "mnist", "--data-dir", dir, "--json"])).out).toMatch(/"code":\s*"E_DATA"[\s\S]*MNIST is missing/);
  });
});

function parse(args: string[]): { epochs: number; limit: number; testLimit: number; hidden: number[] } {
  return { epochs: Number(args[1]), limit: Number(args[3]), testLimit: Number(args[5]), hidden: [Number(args[7])] };
}
