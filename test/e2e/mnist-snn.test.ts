// SPDX-License-Identifier: Apache-2.0
// The shipped MNIST spatial SNN, end to end: it fits the iCEBreaker core as trained (--fit removes
// nothing), its recorded test accuracies clear the bar, and its compiled image classifies test
// images in the bit-exact simulator exactly as training's quantized forward pass does.
import { beforeAll, describe, expect, it } from "vitest";
import { compileModel } from "../../compiler/compile.ts";
import { readModelFile } from "../../compiler/model-file.ts";
import { UP5K_CAPACITY } from "../../sim/spec.ts";
import { initBackend } from "../../host/train/backend.ts";
import { limitDataset } from "../../host/train/dataset.ts";
import { evaluateCoreImage, evaluateModel, openCoreImage } from "../../host/train/eval.ts";
import { loadMnist } from "../../host/train/mnist.ts";
import { fromModelFile } from "../../host/train/model-io.ts";
import { SHIPPED_MNIST_MODEL } from "../../host/train/shipped-model.ts";

beforeAll(async () => {
  await initBackend("auto");
});

describe("shipped MNIST model", () => {
  const model = readModelFile(SHIPPED_MNIST_MODEL);
  const compiled = compileModel(model, { fit: true, boardName: "icebreaker" });

  it("fits the iCEBreaker core without losing a synapse", () => {
    expect(compiled.network.neurons.length).toBeLessThanOrEqual(UP5K_CAPACITY.neurons);
    expect(compiled.network.synapses.source.length).toBeLessThanOrEqual(UP5K_CAPACITY.synapses);
    expect(compiled.pruning.total.removedToFit).toBe(0);
    expect(compiled.pruning.total.removedBySparsity).toBe(0);
  });

  it("records ≥ 92 % on the 10,000 test images on the core's integers, within 1 point of the float model", () => {
    const acc = model.metadata?.accuracy ?? {};
    expect(acc["test-quantized"]).toBeGreaterThanOrEqual(0.92);
    expect(Math.abs(acc["test-quantized"] - acc["test-float"])).toBeLessThanOrEqual(0.01);
  });

  it("the compiled image in the bit-exact simulator predicts what the quantized model predicts", async () => {
    const test = limitDataset(loadMnist().test, 300);
    const core = await evaluateCoreImage(openCoreImage(compiled.image), test);
    const snn = fromModelFile(model);
    const tensors = await evaluateModel(snn, test, { quantize: true });
    snn.dispose();
    expect(Array.from(core.predictions)).toEqual(Array.from(tensors.predictions));
    expect(core.accuracy).toBeGreaterThan(0.88);
  });
});
