// SPDX-License-Identifier: Apache-2.0
// The spatial SNN against the compiler and the simulator: the quantized forward pass produces the
// core's spikes and membranes bit for bit; the float forward pass matches the compiler's float
// reference; a model file round-trips.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileModel } from "../../compiler/compile.ts";
import { FloatSimulator, floatNetworkOf } from "../../compiler/float-model.ts";
import { parseModel, serializeModel } from "../../compiler/model-file.ts";
import { Random } from "../../sim/random.ts";
import { Simulator } from "../../sim/simulator.ts";
import { initBackend } from "./backend.ts";
import { fromModelFile, toModelFile } from "./model-io.ts";
import { SNN_DEFAULTS, SpatialSnn, type SpatialSnnConfig } from "./spatial-snn.ts";

beforeAll(async () => {
  await initBackend("cpu");
});

const STEPS = 24;
const BATCH = 5;

function smallConfig(delays: "fixed" | "distance"): SpatialSnnConfig {
  return {
    ...SNN_DEFAULTS,
    inputs: 12,
    hidden: [10],
    outputs: 4,
    space: { ...SNN_DEFAULTS.space, dimensions: 3, initSpread: 2 },
    delays,
    velocity: 0.3,
    encoding: { kind: "events", steps: STEPS },
    hiddenNeuron: { tauMemShift: 2, tauSynShift: 1, refractoryPeriod: 2, resetMode: "subtract" },
    outputThresholdRatio: 6,
    initialThreshold: 0.4,
  };
}

/** Random input spikes: raster [T, B, C] and per sample per step lists of channels. */
function randomInputs(channels: number, seed: number): { raster: Float32Array; lists: number[][][] } {
  const rng = new Random(seed);
  const raster = new Float32Array(STEPS * BATCH * channels);
  const lists: number[][][] = Array.from({ length: BATCH }, () => Array.from({ length: STEPS }, () => []));
  for (let t = 0; t < STEPS; t++) {
    for (let b = 0; b < BATCH; b++) {
      for (let c = 0; c < channels; c++) {
        if (rng.nextFloat() < 0.3) {
          raster[(t * BATCH + b) * channels + c] = 1;
          lists[b][t].push(c);
        }
      }
    }
  }
  return { raster, lists };
}

for (const delays of ["distance", "fixed"] as const) {
  describe(`spatial SNN with ${delays} delays`, () => {
    it("quantized forward = the bit-exact simulator on the compiled model (spikes and membranes)", () => {
      const model = new SpatialSnn(smallConfig(delays), 3);
      model.projections[0].pruneTo(90);
      const file = toModelFile(model);
      const compiled = compileModel(parseModel(serializeModel(file)));
      const sim = new Simulator(compiled.network);
      const { raster, lists } = randomInputs(12, 11);
      const out = tf.tidy(() => {
        const r = model.forward(tf.tensor3d(raster, [STEPS, BATCH, 12]), { quantize: true, record: true });
        return { hidden: r.spikes![0].arraySync(), membrane: r.membrane.arraySync() };
      });
      // Core numbering: output neurons 0..3, hidden 4..13; input channel c = axon c.
      let hiddenSpikes = 0;
      const delaysSeen = new Set(compiled.network.synapses.delay);
      for (let b = 0; b < BATCH; b++) {
        sim.reset();
        for (let t = 0; t < STEPS; t++) {
          const spikes = Array.from(sim.stepOnce(lists[b][t]).spikes);
          const expected = [];
          for (let j = 0; j < 10; j++) if (out.hidden[t][b][j] === 1) expected.push(4 + j);
          hiddenSpikes += expected.length;
          expect(spikes.filter((j) => j >= 4), `sample ${b} step ${t}`).toEqual(expected);
          expect(spikes.filter((j) => j < 4)).toEqual([]);
        }
        expect(Array.from({ length: 4 }, (_, k) => sim.membrane(k))).toEqual(out.membrane[b]);
      }
      expect(hiddenSpikes).toBeGreaterThan(20);
      if (delays === "distance") expect(delaysSeen.size).toBeGreaterThan(3);
      model.dispose();
    });

    it("float forward ≈ the compiler's float reference (same spikes, membranes to float32 precision)", () => {
      const model = new SpatialSnn(smallConfig(delays), 5);
      const compiled = compileModel(toModelFile(model));
      const net = floatNetworkOf(compiled);
      const { raster, lists } = randomInputs(12, 13);
      const out = tf.tidy(() => {
        const r = model.forward(tf.tensor3d(raster, [STEPS, BATCH, 12]), { quantize: false, record: true });
        return { hidden: r.spikes![0].arraySync(), membrane: r.membrane.arraySync() };
      });
      let agree = 0;
      let total = 0;
      for (let b = 0; b < BATCH; b++) {
        const ref = new FloatSimulator(net);
        for (let t = 0; t < STEPS; t++) {
          const spikes = new Set(ref.stepOnce(lists[b][t]));
          for (let j = 0; j < 10; j++) {
            total++;
            if ((out.hidden[t][b][j] === 1) === spikes.has(4 + j)) agree++;
          }
        }
        for (let k = 0; k < 4; k++) expect(out.membrane[b][k]).toBeCloseTo(ref.membrane(k), 3);
      }
      expect(agree).toBe(total);
      model.dispose();
    });
  });
}

describe("model file", () => {
  it("round-trips: the rebuilt model computes the same integers", () => {
    const model = new SpatialSnn(smallConfig("distance"), 9);
    model.projections[0].pruneTo(70);
    const file = parseModel(serializeModel(toModelFile(model, { name: "t", dataset: "test" })));
    expect(file.projections[0].mask).toHaveLength(70);
    expect(file.readout).toBe("final-membrane");
    const again = fromModelFile(file);
    const a = model.exactLayers();
    const b = again.exactLayers();
    for (let k = 0; k < a.length; k++) {
      expect(Array.from(b[k].weights)).toEqual(Array.from(a[k].weights));
      expect(Array.from(b[k].thresholds)).toEqual(Array.from(a[k].thresholds));
      expect(Array.from(b[k].delays ?? [])).toEqual(Array.from(a[k].delays ?? []));
    }
    expect(serializeModel(toModelFile(again, { name: "t", dataset: "test" }))).toBe(serializeModel(file));
    model.dispose();
    again.dispose();
  });
});
