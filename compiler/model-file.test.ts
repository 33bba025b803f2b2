// SPDX-License-Identifier: Apache-2.0
// Tests of the model file: round trip, canonical text, and a specific error for each kind of
// malformed file (truncated, wrong version, NaN positions, negative velocity, unknown population...).

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LociError } from "../sim/errors.ts";
import { modelDigest, parseModel, readModelFile, serializeModel, writeModelFile, type LociModel } from "./model-file.ts";
import { errorOf } from "./test-support.ts";

const TINY = new URL("../examples/tiny.model.json", import.meta.url);
const tinyText = readFileSync(TINY, "utf8");

/** A deep copy of the tiny example as a mutable JSON value. */
function tinyJson(): Record<string, unknown> & { populations: Record<string, unknown>[]; projections: Record<string, unknown>[] } {
  return JSON.parse(tinyText) as ReturnType<typeof tinyJson>;
}

function parseError(value: unknown, file = "m.model.json"): LociError {
  return errorOf(() => parseModel(typeof value === "string" ? value : JSON.stringify(value), { file }));
}

describe("model file", () => {
  it("reads the example and writes it back byte for byte (canonical form)", () => {
    const model = parseModel(tinyText);
    expect(serializeModel(model)).toBe(tinyText);
    expect(model.populations.map((p) => [p.name, p.kind, p.size])).toEqual([
      ["input", "input", 3],
      ["hidden", "lif", 2],
      ["output", "lif", 2],
    ]);
  });

  it("round-trips through a file, and the digest ignores formatting", () => {
    const dir = mkdtempSync(join(tmpdir(), "loci-model-"));
    const path = join(dir, "m.model.json");
    const model = parseModel(tinyText);
    writeModelFile(path, model);
    expect(readModelFile(path)).toEqual(model);
    const squashed = parseModel(JSON.stringify(JSON.parse(tinyText)));
    expect(modelDigest(squashed)).toBe(modelDigest(model));
    const changed = tinyJson();
    (changed.geometry as { velocity: number }).velocity = 2;
    expect(modelDigest(parseModel(JSON.stringify(changed)))).not.toBe(modelDigest(model));
  });

  it("keeps keys in schema order whatever order they were written in", () => {
    const json = tinyJson();
    const reversed = Object.fromEntries(Object.entries(json).reverse());
    expect(serializeModel(parseModel(JSON.stringify(reversed)))).toBe(tinyText);
  });

  it("rejects a truncated file", () => {
    const e = parseError(tinyText.slice(0, 300));
    expect(e.code).toBe("E_FORMAT");
    expect(e.message).toMatch(/^m\.model\.json: cannot read the model file: it ends early \(truncated file\?\)/);
    expect(parseError("").message).toMatch(/ends early/);
  });

  it("rejects another format and another version", () => {
    const wrongVersion = { ...tinyJson(), version: 2 };
    const e = parseError(wrongVersion);
    expect(e.code).toBe("E_FORMAT");
    expect(e.message).toBe("m.model.json: model file version 2 is not supported (this Loci reads version 1)");
    expect(e.context.field).toBe("version");
    expect(e.suggestion).toMatch(/Upgrade/);
    expect(parseError({ ...tinyJson(), format: "loci-net" }).message).toMatch(/not a Loci model file: format = "loci-net"/);
    expect(parseError([1, 2]).message).toMatch(/\(top level\) must be an object/);
  });

  it("rejects NaN positions, whether written as null (JSON.stringify) or as a NaN token", () => {
    const json = tinyJson();
    (json.populations[1].positions as unknown[][])[1][0] = null;
    const e = parseError(json);
    expect(e.code).toBe("E_RANGE");
    expect(e.message).toBe(
      "m.model.json: populations[1].positions[1][0] = null is out of range (allowed: a finite number (NaN is written as null by JSON))",
    );
    const token = tinyText.replace("[1, 0.5]", "[1, NaN]");
    expect(parseError(token).message).toMatch(/contains NaN or Infinity, which JSON cannot hold/);
    expect(errorOf(() => serializeModel(patch((m) => ((m.populations[0].positions as number[][])[0][1] = Number.NaN)))).message).toMatch(
      /populations\[0\]\.positions\[0\]\[1\] = NaN/,
    );
  });

  it("rejects a negative or zero velocity and minimum distance", () => {
    const json = tinyJson();
    (json.geometry as { velocity: number }).velocity = -1;
    expect(parseError(json).message).toBe("m.model.json: geometry.velocity = -1 is out of range (allowed: finite number > 0)");
    const zero = tinyJson();
    (zero.geometry as { minDistance: number }).minDistance = 0;
    expect(parseError(zero).message).toMatch(/geometry\.minDistance = 0 is out of range/);
    const proj = tinyJson();
    proj.projections[0].velocity = -0.5;
    expect(parseError(proj).message).toMatch(/projections\[0\]\.velocity = -0\.5 is out of range \(allowed: finite number > 0\)/);
  });

  it("rejects a projection that names an unknown population", () => {
    const json = tinyJson();
    json.projections[1].from = "hiden";
    const e = parseError(json);
    expect(e.code).toBe("E_RANGE");
    expect(e.message).toBe(
      'm.model.json: projections[1].from = "hiden" is out of range (allowed: the name of a population: "input", "hidden", "output")',
    );
    const toInput = tinyJson();
    toInput.projections[0].to = "input";
    expect(parseError(toInput).message).toMatch(/projections\[0\]\.to = "input" .*a LIF population/);
    const out = { ...tinyJson(), output: "input" };
    expect(parseError(out).message).toMatch(/output = "input" .*a LIF population/);
  });

  it("rejects unknown fields at every level", () => {
    const top = { ...tinyJson(), extra: 1 };
    const e = parseError(top);
    expect(e.code).toBe("E_UNKNOWN_FIELD");
    expect(e.message).toMatch(/^m\.model\.json: unknown field extra \(known: format, version/);
    const deep = tinyJson();
    (deep.populations[1].neuron as Record<string, unknown>).tauMem = 3;
    expect(parseError(deep).message).toMatch(/unknown field populations\[1\]\.neuron\.tauMem/);
    const input = tinyJson();
    input.populations[0].neuron = {};
    expect(parseError(input).message).toMatch(/populations\[0\]\.neuron is not allowed on an input population/);
  });

  it("rejects wrong sizes, signs, gains, thresholds, masks and encodings with the field named", () => {
    const cases: [(j: ReturnType<typeof tinyJson>) => void, RegExp][] = [
      [(j) => ((j.populations[0].positions as unknown[]).length = 2), /populations\[0\]\.positions\.length = 2 .*3 \(= size/],
      [(j) => ((j.populations[0].positions as number[][])[0] = [0, 0, 0]), /positions\[0\]\.length = 3 .*2 \(= dimensions\)/],
      [(j) => ((j.populations[0].signs as number[])[2] = 0), /populations\[0\]\.signs\[2\] = 0 .*1 or -1/],
      [(j) => delete j.populations[1].signs, /populations "hidden" has no signs, but projections\[1\] starts from it/],
      [(j) => (j.projections[1].gain = [1]), /projections\[1\]\.gain\.length = 1 .*2 \(one per target neuron\)/],
      [(j) => (j.projections[0].gain = 0), /projections\[0\]\.gain = 0 .*> 0/],
      [(j) => ((j.populations[2].neuron as Record<string, unknown>).threshold = -1), /neuron\.threshold = -1/],
      [(j) => ((j.populations[2].neuron as Record<string, unknown>).tauMemShift = 16), /neuron\.tauMemShift = 16 .*integer 0\.\.15/],
      [(j) => (j.projections[0].mask = [[3, 0]]), /projections\[0\]\.mask\[0\]\[0\] = 3 .*integer 0\.\.2/],
      [(j) => ((j.projections[0].mask = [[0, 0]]), (j.projections[0].pruned = [])), /has both "mask" and "pruned"/],
      [(j) => (j.projections[0].fixedDelay = 17), /projections\[0\]\.fixedDelay = 17 .*integer 1\.\.16/],
      [(j) => j.projections.push({ from: "input", to: "hidden", gain: 1 }), /projections\[2\] repeats input → hidden \(projections\[0\]\)/],
      [(j) => ((j.populations[1].name = "input")), /populations\[1\]\.name = "input" .*not used by another/],
      [(j) => (j.encoding = { kind: "rate", steps: 0, maxRate: 0.5 }), /encoding\.steps = 0/],
      [(j) => (j.encoding = { kind: "rate", steps: 10, maxRate: 1.5 }), /encoding\.maxRate = 1\.5/],
      [(j) => (j.encoding = { kind: "latency", steps: 10, maxRate: 1 }), /unknown field encoding\.maxRate/],
      [(j) => (j.encoding = { kind: "poisson", steps: 10 }), /encoding\.kind = "poisson" .*"rate", "latency", "events"/],
      [(j) => (j.learning = { aPlus: 300 }), /learning\.aPlus = 300 .*0\.\.255/],
      [(j) => (j.learning = { wMin: 10, wMax: 5 }), /learning\.wMax = 5 .*integer 10\.\.127/],
      [(j) => (j.metadata = { accuracy: { test: 92 } }), /metadata\.accuracy\.test = 92 .*<= 1/],
      [(j) => (j.dimensions = 0), /dimensions = 0 .*integer 1\.\.64/],
      [(j) => (j.readout = "argmax"), /readout = "argmax"/],
    ];
    for (const [mutate, pattern] of cases) {
      const json = tinyJson();
      mutate(json);
      expect(parseError(json).message).toMatch(pattern);
    }
  });

  it("accepts every optional field and round-trips it", () => {
    const json = tinyJson();
    json.projections[0] = { from: "input", to: "hidden", gain: [1, 2], plastic: true, velocity: 0.5, pruned: [[0, 1]] };
    json.projections.push({ from: "hidden", to: "hidden", gain: 0.5, fixedDelay: 3, selfConnections: true, mask: [[0, 1], [1, 0]] });
    json.learning = { enabled: true, aPlus: 4 };
    json.readout = "final-membrane";
    json.encoding = { kind: "latency", steps: 8 };
    json.metadata = { dataset: "none", accuracy: { test: 0.5 }, training: { epochs: 3, schedule: [1, 2, { lr: 0.1 }] }, createdAt: "2025-01-01T00:00:00Z" };
    const model = parseModel(JSON.stringify(json));
    expect(parseModel(serializeModel(model))).toEqual(model);
  });

  it("gives E_IO for a missing file", () => {
    const e = errorOf(() => readModelFile("/nonexistent/x.model.json"));
    expect(e.code).toBe("E_IO");
    expect(e.message).toMatch(/cannot read \/nonexistent\/x\.model\.json: ENOENT/);
  });
});

/** The tiny model with a change applied to a mutable copy (for writer-side checks). */
function patch(change: (m: { populations: { positions: unknown }[] }) => void): LociModel {
  const json = tinyJson();
  change(json as unknown as { populations: { positions: unknown }[] });
  return json as unknown as LociModel;
}
