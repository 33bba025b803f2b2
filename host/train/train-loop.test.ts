// SPDX-License-Identifier: Apache-2.0
// A short quantization-aware training run must learn: the spatial SNN on a small MNIST subset,
// pruned to the core's synapse budget from the first step, ends well above chance (10 %) on held-out
// test images, and its core integers (the quantized forward) score what the float model scores
// within a few points. Also: the cosine schedule and the spatial MLP's training step.
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "./backend.ts";
import { limitDataset, selectSamples, permutation } from "./dataset.ts";
import { evaluateModel } from "./eval.ts";
import { loadMnist } from "./mnist.ts";
import { SNN_DEFAULTS, SpatialSnn } from "./spatial-snn.ts";
import { SpatialMlp, evaluateMlp, trainMlp } from "./spatial-mlp.ts";
import { cosineRate, inputRates, trainSnn } from "./train-loop.ts";

beforeAll(async () => {
  await initBackend("auto");
});

const { train, test } = loadMnist();
const subset = selectSamples(train, permutation(train.count, 5).subarray(0, 3000));
const held = limitDataset(test, 500);

describe("training", () => {
  it("the spatial SNN learns MNIST digits from 3,000 samples (quantization-aware, 16,384 synapses)", async () => {
    const model = new SpatialSnn(
      { ...SNN_DEFAULTS, inputs: 784, hidden: [64], outputs: 10, space: { ...SNN_DEFAULTS.space, dimensions: 16 }, encoding: { kind: "rate", steps: 10, maxRate: 1 } },
      3,
    );
    const result = await trainSnn(model, subset, { epochs: 3, batchSize: 100, synapseBudget: 16384, inputRates: inputRates(model, subset) });
    expect(model.keptCounts()[0]).toBe(16384 - 640);
    expect(result.history).toHaveLength(3);
    expect(result.history[2].loss).toBeLessThan(result.history[0].loss);
    expect(model.keptCounts().reduce((a, b) => a + b)).toBe(16384);
    const quantized = await evaluateModel(model, held, { quantize: true });
    const float = await evaluateModel(model, held, { quantize: false });
    // Chance is 10 %; this run (seeded, deterministic on one backend) reaches about 36 %.
    expect(quantized.accuracy).toBeGreaterThan(0.3);
    expect(Math.abs(quantized.accuracy - float.accuracy)).toBeLessThan(0.05);
    model.dispose();
  });

  it("the spatial MLP of Erb et al. learns too", async () => {
    const mlp = new SpatialMlp({ inputs: 784, hidden: [64], outputs: 10, minDistance: 0.05, space: { dimensions: 16, layerAxis: true, layerSpacing: 1, initSpread: 1, signSteepness: 10 } }, 1);
    await trainMlp(mlp, subset, { epochs: 2, batchSize: 100, synapseBudget: 16384 });
    // Chance is 10 %; this run reaches about 36 %.
    expect(evaluateMlp(mlp, held).accuracy).toBeGreaterThan(0.25);
    mlp.dispose();
  });

  it("the learning rate follows a cosine from lr down to 5 %", () => {
    expect(cosineRate(0.01, 0)).toBeCloseTo(0.01, 12);
    expect(cosineRate(0.01, 0.5)).toBeCloseTo(0.01 * (0.05 + 0.95 * 0.5), 12);
    expect(cosineRate(0.01, 1)).toBeCloseTo(0.0005, 12);
  });
});
