// SPDX-License-Identifier: Apache-2.0
// The model fixtures of test/fixtures/models: each malformed file gives its specific error, and each
// valid model compiles to its golden image byte for byte (regression vectors for the driver).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeCoreImage } from "../sim/core-image.ts";
import { LociError } from "../sim/errors.ts";
import { Simulator } from "../sim/simulator.ts";
import { compileModel } from "./compile.ts";
import { encodeIntensities } from "./encoding.ts";
import { readModelFile } from "./model-file.ts";

const FIXTURES = new URL("../test/fixtures/models/", import.meta.url).pathname;

const MALFORMED: [string, string, RegExp][] = [
  ["truncated", "E_FORMAT", /truncated\.model\.json: cannot read the model file: it ends early \(truncated file\?\)$/],
  ["wrong-version", "E_FORMAT", /wrong-version\.model\.json: model file version 2 is not supported \(this Loci reads version 1\)$/],
  ["nan-position", "E_RANGE", /nan-position\.model\.json: populations\[1\]\.positions\[1\]\[0\] = null is out of range/],
  ["nan-token", "E_FORMAT", /nan-token\.model\.json: cannot read the model file: it contains NaN or Infinity/],
  ["negative-velocity", "E_RANGE", /negative-velocity\.model\.json: geometry\.velocity = -1 is out of range \(allowed: finite number > 0\)$/],
  ["unknown-population", "E_RANGE", /unknown-population\.model\.json: projections\[1\]\.from = "hiden" is out of range \(allowed: the name of a population: "input", "hidden", "output"\)$/],
  ["unknown-field", "E_UNKNOWN_FIELD", /unknown-field\.model\.json: unknown field populations\[1\]\.neuron\.tau \(known: threshold,/],
];

describe("malformed model fixtures", () => {
  it.each(MALFORMED)("%s gives %s with the field named", (name, code, message) => {
    try {
      readModelFile(`${FIXTURES}malformed/${name}.model.json`);
    } catch (error) {
      expect(error).toBeInstanceOf(LociError);
      expect((error as LociError).code).toBe(code);
      expect((error as LociError).message).toMatch(message);
      return;
    }
    throw new Error(`${name} was accepted`);
  });
});

describe("golden images", () => {
  it.each([
    ["../../../examples/tiny.model.json", "tiny.loci"],
    ["recurrent-plastic.model.json", "recurrent-plastic.loci"],
  ])("%s compiles to %s byte for byte", (model, image) => {
    const golden = new Uint8Array(readFileSync(`${FIXTURES}${image}`));
    expect(compileModel(readModelFile(`${FIXTURES}${model}`)).image).toEqual(golden);
  });

  it("the recurrent, plastic image learns in the simulator within its weight clip", () => {
    const decoded = decodeCoreImage(readFileSync(`${FIXTURES}recurrent-plastic.loci`));
    expect(decoded.requirements.numPlastic).toBe(5);
    expect(decoded.meta.encoding).toEqual({ kind: "latency", steps: 12 });
    const sim = new Simulator(decoded.memories);
    const input = encodeIntensities(decoded.meta.encoding!, [255, 200, 120]);
    for (let repeat = 0; repeat < 5; repeat++) for (const list of input.spikes) sim.stepOnce(list);
    const weights = sim.weights();
    const plastic = decoded.network.synapses.plastic;
    let changed = 0;
    weights.forEach((w, k) => {
      if (plastic[k] === 1) {
        expect(w).toBeGreaterThanOrEqual(-100);
        expect(w).toBeLessThanOrEqual(100);
        if (w !== decoded.network.synapses.weight[k]) changed++;
      } else {
        expect(w).toBe(decoded.network.synapses.weight[k]);
      }
    });
    expect(changed).toBeGreaterThan(0);
  });
});
