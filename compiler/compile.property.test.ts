// SPDX-License-Identifier: Apache-2.0
// Properties over random valid models and capacities: compilation succeeds or fails with a
// capacity error that names the fix; a result never exceeds the capacity, decodes to the same
// network, is byte-for-byte deterministic, and pruning keeps the strongest synapses.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkImageFits, decodeCoreImage } from "../sim/core-image.ts";
import { LociError } from "../sim/errors.ts";
import type { Capacity } from "../sim/spec.ts";
import { expandCandidates } from "./candidates.ts";
import { compileModel, type CompileOptions } from "./compile.ts";
import { validateModel, type LociModel } from "./model-file.ts";
import { rankKeys } from "./prune.ts";
import { quantizeWeight } from "./quantize.ts";

const coordinate = fc.integer({ min: -6, max: 6 }).map((x) => x / 2); // coincident points happen
const positions = (count: number, dims: number): fc.Arbitrary<number[][]> => fc.array(fc.array(coordinate, { minLength: dims, maxLength: dims }), { minLength: count, maxLength: count });
const signs = (count: number): fc.Arbitrary<number[]> => fc.array(fc.constantFrom(1, -1), { minLength: count, maxLength: count });
const neuron = fc.record({
  threshold: fc.double({ min: 0.05, max: 50, noNaN: true }),
  tauMemShift: fc.integer({ min: 0, max: 15 }),
  tauSynShift: fc.integer({ min: 0, max: 15 }),
  refractoryPeriod: fc.integer({ min: 0, max: 15 }),
  resetMode: fc.constantFrom("zero" as const, "subtract" as const),
});

/** A random valid layered model: input → hidden → output, optionally recurrent and plastic. */
const modelArb: fc.Arbitrary<LociModel> = fc
  .record({ dims: fc.integer({ min: 1, max: 4 }), nIn: fc.integer({ min: 1, max: 12 }), nHid: fc.integer({ min: 1, max: 10 }), nOut: fc.integer({ min: 1, max: 5 }) })
  .chain(({ dims, nIn, nHid, nOut }) =>
    fc.record({
      dims: fc.constant(dims),
      inputs: fc.record({ positions: positions(nIn, dims), signs: signs(nIn) }),
      hidden: fc.record({ positions: positions(nHid, dims), signs: signs(nHid), neuron }),
      output: fc.record({ positions: positions(nOut, dims), neuron }),
      gainOut: fc.oneof(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: nOut, maxLength: nOut })),
      minDistance: fc.double({ min: 0.01, max: 1, noNaN: true }),
      velocity: fc.double({ min: 0.05, max: 5, noNaN: true }),
      recurrent: fc.boolean(),
      fixedDelay: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
      plastic: fc.boolean(),
      learning: fc.boolean(),
    }),
  )
  .map((r) =>
    validateModel({
      format: "loci-model",
      version: 1,
      dimensions: r.dims,
      geometry: { minDistance: r.minDistance, velocity: r.velocity },
      populations: [
        { name: "in", kind: "input", size: r.inputs.positions.length, ...r.inputs },
        { name: "hid", kind: "lif", size: r.hidden.positions.length, ...r.hidden },
        { name: "out", kind: "lif", size: r.output.positions.length, ...r.output },
      ],
      projections: [
        { from: "in", to: "hid", gain: 1, ...(r.plastic ? { plastic: true } : {}) },
        { from: "hid", to: "out", gain: r.gainOut },
        ...(r.recurrent ? [{ from: "hid", to: "hid", gain: 0.5, ...(r.fixedDelay === undefined ? {} : { fixedDelay: r.fixedDelay }) }] : []),
      ],
      output: "out",
      encoding: { kind: "rate", steps: 10, maxRate: 0.5 },
      ...(r.learning ? { learning: { enabled: true, aPlus: 3, aMinus: 2 } } : {}),
    }),
  );

const capacityArb: fc.Arbitrary<Capacity> = fc.record({
  neurons: fc.integer({ min: 1, max: 20 }),
  axons: fc.integer({ min: 1, max: 15 }),
  synapses: fc.integer({ min: 1, max: 150 }),
  maxFanIn: fc.integer({ min: 1, max: 20 }),
});

const optionsArb = fc.record({
  capacity: capacityArb,
  fit: fc.boolean(),
  sparsity: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
  scale: fc.constantFrom("population" as const, "core" as const),
});

describe("compile: properties over random models", () => {
  it("compiles within capacity, or fails with a capacity error that names the fix", () => {
    const outcomes = { compiled: 0, capacityError: 0 };
    fc.assert(
      fc.property(modelArb, optionsArb, (model, options: CompileOptions & { capacity: Capacity }) => {
        let compiled;
        try {
          compiled = compileModel(model, options);
        } catch (error) {
          expect(error).toBeInstanceOf(LociError);
          const e = error as LociError;
          expect(e.code).toBe("E_CAPACITY");
          if (options.fit === true) expect(e.message).toMatch(/needs \d+ (neurons|input axons)/);
          else expect(e.message).toMatch(/needs \d+ (neurons|input axons)|add --sparsity \d\.\d\d or --fit|add --fit/);
          outcomes.capacityError++;
          return;
        }
        const cap = options.capacity;
        const net = compiled.network;
        expect(net.synapses.source.length).toBeLessThanOrEqual(cap.synapses);
        expect(net.neurons.length).toBeLessThanOrEqual(cap.neurons);
        expect(net.numAxons).toBeLessThanOrEqual(cap.axons);
        const fanIn = new Int32Array(net.neurons.length);
        for (const t of net.synapses.target) fanIn[t]++;
        expect(Math.max(0, ...fanIn)).toBeLessThanOrEqual(cap.maxFanIn);
        const decoded = decodeCoreImage(compiled.image);
        expect(decoded.network.synapses).toEqual(net.synapses);
        expect(decoded.network.neurons).toEqual(net.neurons);
        checkImageFits(decoded.requirements, cap);
        expect(compileModel(model, options).image).toEqual(compiled.image);
        // Every kept weight is within half an LSB of w · S (or clamped at the 8-bit limits).
        net.synapses.weight.forEach((q, k) => {
          const t = net.synapses.target[k];
          const pop = t < compiled.map.output.size ? 2 : 1;
          const exact = compiled.floatWeights[k] * compiled.scales[pop]!.weightScale;
          if (exact > -128.5 && exact < 127.5) expect(Math.abs(q - exact)).toBeLessThanOrEqual(0.5 + 1e-9);
        });
        outcomes.compiled++;
      }),
      // Pinned seed: the coverage check below counts outcomes, so the sample must not change per run.
      { numRuns: 150, seed: 20261123 },
    );
    // Both paths are exercised.
    expect(outcomes.compiled, JSON.stringify(outcomes)).toBeGreaterThan(30);
    expect(outcomes.capacityError).toBeGreaterThan(10);
  });

  it("keeps the strongest synapses: no removed non-zero candidate outranks a kept one (without --fit)", () => {
    fc.assert(
      fc.property(modelArb, fc.double({ min: 0, max: 1, noNaN: true }), (model, sparsity) => {
        const big: Capacity = { neurons: 64, axons: 64, synapses: 10_000, maxFanIn: 1000 };
        const compiled = compileModel(model, { capacity: big, sparsity });
        const cand = expandCandidates(model);
        const toPop = model.projections.map((p) => model.populations.findIndex((q) => q.name === p.to));
        const maxAbs = new Float64Array(model.populations.length);
        for (let k = 0; k < cand.count; k++) maxAbs[toPop[cand.projection[k]]] = Math.max(maxAbs[toPop[cand.projection[k]]], Math.abs(cand.weight[k]));
        const keys = rankKeys(cand.weight, Int32Array.from(cand.projection, (p) => toPop[p]), maxAbs);
        let weakestKept = Infinity;
        let strongestRemoved = -Infinity;
        let nonZero = 0;
        for (let k = 0; k < cand.count; k++) {
          const pop = toPop[cand.projection[k]];
          const zero = quantizeWeight(cand.weight[k], compiled.scales[pop]!.weightScale) === 0 && model.projections[cand.projection[k]].plastic !== true;
          if (!zero) nonZero++;
          if (compiled.pruning.keep[k] === 1) weakestKept = Math.min(weakestKept, keys[k]);
          else if (!zero) strongestRemoved = Math.max(strongestRemoved, keys[k]);
        }
        expect(weakestKept).toBeGreaterThanOrEqual(strongestRemoved);
        expect(compiled.pruning.total.kept).toBe(Math.min(cand.count - Math.round(sparsity * cand.count), nonZero));
        expect(compiled.pruning.total.zeroDropped).toBe(cand.count - nonZero);
      }),
      { numRuns: 100 },
    );
  });
});
