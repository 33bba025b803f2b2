// SPDX-License-Identifier: Apache-2.0
// The WebAssembly phase A kernel against the naive reference on single steps from random, extreme
// states: both rails of membrane and current, full-width ring sums, every shift, refractory
// counts, both reset modes, and neuron counts that are not a multiple of four (padding lanes).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CoreKernels } from "./kernels.ts";
import { LEARNING_OFF, type NeuronParams } from "./network.ts";
import { ReferenceCore } from "./reference-model.ts";
import { UP5K_CAPACITY } from "./spec.ts";

const edge = (lo: number, hi: number): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(lo, hi, 0, -1, 1), fc.integer({ min: lo, max: hi }));

const neuron = fc.record({
  params: fc.record({
    threshold: fc.oneof(fc.constantFrom(1, 32767), fc.integer({ min: 1, max: 32767 }), fc.integer({ min: 1, max: 100 })),
    tauMemShift: fc.integer({ min: 0, max: 15 }),
    tauSynShift: fc.integer({ min: 0, max: 15 }),
    refractoryPeriod: fc.integer({ min: 0, max: 15 }),
    weightShift: fc.integer({ min: 0, max: 7 }),
    resetMode: fc.constantFrom("zero" as const, "subtract" as const),
  }),
  v: edge(-32768, 32767),
  i: edge(-32768, 32767),
  refractory: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
  input: fc.oneof(edge(-524288, 524287), edge(-300, 300)),
});

describe("phase A kernel", () => {
  it("equals the reference's phase A on random extreme states (one step, no learning)", () => {
    fc.assert(
      fc.property(fc.array(neuron, { minLength: 1, maxLength: 13 }), fc.integer({ min: 0, max: 15 }), (cells, slot) => {
        const params: NeuronParams[] = cells.map((c) => c.params);
        const kernels = new CoreKernels(params.map((p) => ({ ...p, subtract: p.resetMode === "subtract" })), 0, UP5K_CAPACITY.axons + UP5K_CAPACITY.neurons, 1);
        const ref = new ReferenceCore({
          capacity: UP5K_CAPACITY,
          numAxons: 0,
          neurons: params,
          synapses: { source: new Int32Array(0), target: new Int32Array(0), weight: new Int8Array(0), delay: new Uint8Array(0), plastic: new Uint8Array(0) },
          learning: LEARNING_OFF,
          record: { base: 0, count: 0 },
        });
        ref.t = slot;
        cells.forEach((c, j) => {
          Object.assign(ref.neurons[j], { v: c.v, i: c.i, refractoryCount: c.refractory });
          ref.neurons[j].ring[slot] = c.input;
          kernels.membrane[j] = c.v;
          kernels.current[j] = c.i;
          kernels.refractory[j] = c.refractory;
          kernels.ring[j * 16 + slot] = c.input;
        });
        const count = kernels.phaseA(slot);
        const { spikes } = ref.step([]);
        expect([...kernels.spikes.subarray(0, count)]).toEqual(spikes);
        expect([...kernels.membrane]).toEqual(ref.neurons.map((n) => n.v));
        expect([...kernels.current]).toEqual(ref.neurons.map((n) => n.i));
        expect([...kernels.refractory]).toEqual(ref.neurons.map((n) => n.refractoryCount));
        expect(kernels.ring.every((x) => x === 0)).toBe(true);
        expect(kernels.busy()).toBe(ref.neurons.filter((n) => n.v !== 0 || n.i !== 0 || n.refractoryCount !== 0).length);
      }),
      { numRuns: 500 },
    );
  });
});
