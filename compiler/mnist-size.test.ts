// SPDX-License-Identifier: Apache-2.0
// An MNIST-sized model (784 inputs, 100 hidden, 10 outputs; random positions and signs, 3-D and
// 16-D) compiled with --fit icebreaker fits the default core and loads into the simulator.
// The 2-second claim is measured by bench/compile.bench.ts; here the bound is loose (shared CPUs).

import { describe, expect, it } from "vitest";
import { checkImageFits, decodeCoreImage } from "../sim/core-image.ts";
import { Simulator } from "../sim/simulator.ts";
import { UP5K_CAPACITY } from "../sim/spec.ts";
import { BOARDS, compileModel } from "./compile.ts";
import { encodeIntensities } from "./encoding.ts";
import { randomLayeredModel } from "./random-model.ts";

describe("MNIST-sized model, --fit icebreaker", () => {
  it.each([3, 16])("%i-D positions: fits the default core and runs in the simulator", (dimensions) => {
    const model = randomLayeredModel({ seed: 7, inputs: 784, hidden: 100, outputs: 10, dimensions });
    const start = performance.now();
    const compiled = compileModel(model, { capacity: BOARDS.icebreaker, fit: true });
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(10_000);
    const decoded = decodeCoreImage(compiled.image);
    checkImageFits(decoded.requirements, UP5K_CAPACITY);
    expect(decoded.requirements).toMatchObject({ numNeurons: 110, numAxons: 784, numSynapses: 16_384 });
    expect(compiled.pruning.total.candidates).toBe(784 * 100 + 100 * 10);
    expect(compiled.pruning.total.removedToFit).toBe(79_400 - 16_384 - compiled.pruning.total.zeroDropped);
    expect(compiled.quantization.weights.maxLsb).toBeLessThanOrEqual(0.5);
    const sim = new Simulator(decoded.memories);
    const input = encodeIntensities(model.encoding, Array.from({ length: 784 }, (_, k) => (k * 37) % 256));
    let spikes = 0;
    for (const list of input.spikes) spikes += sim.stepOnce(list).spikes.length;
    expect(spikes).toBeGreaterThan(0);
  });
});
