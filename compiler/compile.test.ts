// SPDX-License-Identifier: Apache-2.0
// Tests of the compiler on hand-checked models: exact weights, delays, thresholds, memory order,
// image bytes, pruning by sparsity and to fit, capacity errors with their suggested fix.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkImageFits, decodeCoreImage } from "../sim/core-image.ts";
import { Simulator } from "../sim/simulator.ts";
import { UP5K_CAPACITY, type Capacity } from "../sim/spec.ts";
import { compileModel, type CompileOptions } from "./compile.ts";
import { parseModel, serializeModel, type LociModel } from "./model-file.ts";
import { errorOf } from "./test-support.ts";

const tinyText = readFileSync(new URL("../examples/tiny.model.json", import.meta.url), "utf8");
const tiny = (): LociModel => parseModel(tinyText);
/** The tiny model with changes applied to a JSON copy. */
function tinyWith(change: (json: Record<string, unknown> & { populations: Record<string, unknown>[]; projections: Record<string, unknown>[] }) => void): LociModel {
  const json = JSON.parse(tinyText) as Parameters<typeof change>[0];
  change(json);
  return parseModel(JSON.stringify(json));
}

/** Synapses of a compiled network as readable rows `[source, target, weight, delay]`. */
function rows(model: LociModel, options: CompileOptions = {}): number[][] {
  const s = compileModel(model, options).network.synapses;
  return Array.from(s.source, (src, k) => [src, s.target[k], s.weight[k], s.delay[k]]);
}

// Hand-derived synapses of examples/tiny.model.json (docs/formats/model-file.md §9). Neurons:
// output 0, 1; hidden 2, 3 (source ids 1026, 1027). Scales: hidden 127 / 0.894427 = 141.990
// (largest |w| = 1/√1.25), output 127 / 0.8 = 158.75 (hidden 1 → output 0: gain 2 / 2.5).
//   a0 (0,0) → h0 (1,.5): d √1.25 = 1.1180, w  .894427 → 127, delay round(1.118) = 1
//   a0 (0,0) → h1 (2,1.5): d 2.5,           w  .4      → 57 (56.80), delay round(2.5) = 3
//   a1 (0,1) → h0:         d √1.25,         w  .894427 → 127, delay 1
//   a1 (0,1) → h1:         d √4.25 = 2.0616, w .485071 → 69 (68.87), delay 2
//   a2 (0,2) → h0, sign −: d √3.25 = 1.8028, w −.554700 → −79 (−78.76), delay 2
//   a2 (0,2) → h1, sign −: d √4.25,         w −.485071 → −69, delay 2
//   h0 (1,.5) → o0 (4,0), gain 2:   d √9.25 = 3.0414, w .657596 → 104 (104.39), delay 3
//   h0 (1,.5) → o1 (4,3), gain 1.5: d √15.25 = 3.9051, w .384111 → 61 (60.98), delay 4
//   h1 (2,1.5) → o0, sign −, gain 2: d 2.5, w −.8 → −127, delay 3
//   h1 (2,1.5) → o1, sign −, gain 1.5: d 2.5, w −.6 → −95 (−95.25), delay 3
const TINY_SYNAPSES = [
  [0, 2, 127, 1], [0, 3, 57, 3],
  [1, 2, 127, 1], [1, 3, 69, 2],
  [2, 2, -79, 2], [2, 3, -69, 2],
  [1026, 0, 104, 3], [1026, 1, 61, 4],
  [1027, 0, -127, 3], [1027, 1, -95, 3],
];

describe("compile: hand-checked tiny model", () => {
  it("gives the exact weights, delays and memory order", () => {
    expect(rows(tiny())).toEqual(TINY_SYNAPSES);
  });

  it("gives the exact neuron parameters: thresholds θ·S·2^k, weight shifts for 4 thresholds of headroom", () => {
    const c = compileModel(tiny());
    // hidden: 1.5 · 141.990 · 2^5 = 6815.5 → 6816 (2^6 would exceed 8191); output: 0.5 · 158.75 · 2^6 = 5080.
    const output = { threshold: 5080, tauMemShift: 4, tauSynShift: 2, refractoryPeriod: 0, weightShift: 6, resetMode: "subtract" };
    const hidden = { threshold: 6816, tauMemShift: 3, tauSynShift: 1, refractoryPeriod: 1, weightShift: 5, resetMode: "zero" };
    expect(c.network.neurons).toEqual([output, output, hidden, hidden]);
    expect(c.network.record).toEqual({ base: 0, count: 2 });
    expect(c.network.numAxons).toBe(3);
    expect(c.scales[1]?.weightScale).toBeCloseTo(127 / (1 / Math.sqrt(1.25)), 10);
    expect(c.scales[2]?.weightScale).toBe(158.75);
    expect(Array.from(c.floatThresholds)).toEqual([0.5, 0.5, 1.5, 1.5]);
  });

  it("writes those words into the image, byte for byte", () => {
    const c = compileModel(tiny());
    const view = new DataView(c.image.buffer, c.image.byteOffset);
    const section = (k: number): { offset: number; length: number } => ({ offset: view.getUint32(64 + 12 * k + 4, true), length: view.getUint32(64 + 12 * k + 8, true) });
    const parm = section(0);
    const words = (s: { offset: number; length: number }): number[] => Array.from({ length: s.length / 4 }, (_, k) => view.getUint32(s.offset + 4 * k, true));
    const outputWord = (5080 | (4 << 16) | (2 << 20) | (0 << 24) | (6 << 28) | (1 << 31)) >>> 0;
    const hiddenWord = (6816 | (3 << 16) | (1 << 20) | (1 << 24) | (5 << 28)) >>> 0;
    expect(words(parm)).toEqual([outputWord, outputWord, hiddenWord, hiddenWord]);
    const synapseWord = ([src, tgt, w, d]: number[]): number => ((w & 0xff) | (tgt << 8) | ((d - 1) << 16) | (src << 21)) >>> 0;
    expect(words(section(1))).toEqual(TINY_SYNAPSES.map(synapseWord));
    const conf = section(3);
    expect(words(conf)).toEqual([4, 3, 0, 2]);
    const meta = JSON.parse(new TextDecoder().decode(c.image.subarray(section(4).offset, section(4).offset + section(4).length))) as Record<string, unknown>;
    expect(meta.populations).toEqual([
      { name: "input", kind: "input", first: 0, size: 3 },
      { name: "hidden", kind: "lif", first: 2, size: 2, weightScale: 127 / (1 / Math.sqrt(1.25)), weightShift: 5 },
      { name: "output", kind: "lif", first: 0, size: 2, weightScale: 158.75, weightShift: 6 },
    ]);
    expect(meta.output).toBe("output");
    expect(meta.encoding).toEqual({ kind: "rate", steps: 20, maxRate: 0.5 });
    expect(meta.readout).toBe("spike-count");
  });

  it("is deterministic: same model (however formatted), same bytes; the simulator runs the image as the network", () => {
    const a = compileModel(tiny()).image;
    const b = compileModel(parseModel(serializeModel(parseModel(JSON.stringify(JSON.parse(tinyText)))))).image;
    expect(b).toEqual(a);
    const decoded = decodeCoreImage(a);
    const fromImage = new Simulator(decoded.memories);
    const fromNetwork = new Simulator(compileModel(tiny()).network);
    for (let t = 0; t < 30; t++) {
      const inputs = [0, 1, 2].filter((x) => (t + x) % 3 !== 0);
      expect(fromImage.stepOnce(inputs)).toEqual(fromNetwork.stepOnce(inputs));
    }
    expect(fromImage.counters().spikes).toBeGreaterThan(0);
  });

  it("reports the quantization error", () => {
    const q = compileModel(tiny()).quantization;
    expect(q.weights.count).toBe(10);
    expect(q.weights.clamped).toBe(0);
    expect(q.weights.maxLsb).toBeLessThanOrEqual(0.5);
    // Worst weight: a1 → h1, 68.875 → 69: 0.125 LSB... the largest is h0 → o0: 104.39 → 104 (0.39 LSB of 158.75).
    expect(q.weights.maxLsb).toBeCloseTo(104.3934 - 104, 3);
    // |delay − d/v|: .118, .5, .118, .0616, .1972, .0616, .0414, .0949, .5, .5 → mean 0.2193
    expect(q.delays.meanAbs).toBeCloseTo(0.21927, 4);
    expect(q.delays.maxAbs).toBeCloseTo(0.5, 12);
    expect(q.thresholds.clamped).toBe(0);
  });
});

describe("compile: pruning", () => {
  // Rank keys |w| / M: a0→h0 = a1→h0 = h1→o0 = 1 (ties by candidate order), h0→o0 .822, h1→o1 .75,
  // a2→h0 .620, a1→h1 = a2→h1 .542, h0→o1 .480, a0→h1 .447.
  it("--sparsity 0.5 keeps the 5 strongest (shortest) synapses", () => {
    const c = compileModel(tiny(), { sparsity: 0.5 });
    expect(rows(tiny(), { sparsity: 0.5 })).toEqual([[0, 2, 127, 1], [1, 2, 127, 1], [1026, 0, 104, 3], [1027, 0, -127, 3], [1027, 1, -95, 3]]);
    expect(c.pruning.total).toMatchObject({ candidates: 10, kept: 5, removedBySparsity: 5, removedToFit: 0, zeroDropped: 0 });
    expect(c.pruning.perProjection.map((p) => [p.candidates, p.kept])).toEqual([[6, 2], [4, 3]]);
    // removed mass of input → hidden: (.4 + .485 + .555 + .485) / (2·.894 + .4 + .485 + .555 + .485)
    const removed = 0.4 + 2 * 0.48507125 + 0.5547002;
    expect(c.pruning.perProjection[0].removedMass / c.pruning.perProjection[0].weightMass).toBeCloseTo(removed / (removed + 2 * 0.89442719), 6);
    expect(rows(tiny(), { sparsity: 0.35 })).toHaveLength(6); // round(3.5) = 4 removed
  });

  it("--fit keeps synapses in rank order within the synapse and fan-in limits", () => {
    const small: Capacity = { ...UP5K_CAPACITY, synapses: 7, maxFanIn: 2 };
    const c = compileModel(tiny(), { capacity: small, fit: true });
    // a0→h0, a1→h0, h1→o0, h0→o0, h1→o1; a2→h0 skipped (h0 full); a1→h1, a2→h1; then the limit of 7.
    expect(rows(tiny(), { capacity: small, fit: true })).toEqual([
      [0, 2, 127, 1], [1, 2, 127, 1], [1, 3, 69, 2], [2, 3, -69, 2], [1026, 0, 104, 3], [1027, 0, -127, 3], [1027, 1, -95, 3],
    ]);
    expect(c.pruning.total).toMatchObject({ kept: 7, removedToFit: 3, removedBySparsity: 0 });
    expect(c.pruning.maxFanIn).toBe(2);
    expect(() => checkImageFits(decodeCoreImage(c.image).requirements, small)).not.toThrow();
  });

  it("drops synapses that quantize to zero unless they are plastic", () => {
    const far = tinyWith((j) => {
      const input = j.populations[0];
      input.size = 4;
      (input.positions as number[][]).push([0, 1000]);
      (input.signs as number[]).push(1);
    });
    const c = compileModel(far);
    expect(c.pruning.total).toMatchObject({ candidates: 12, kept: 10, zeroDropped: 2 });
    const plastic = tinyWith((j) => {
      const input = j.populations[0];
      input.size = 4;
      (input.positions as number[][]).push([0, 1000]);
      (input.signs as number[]).push(1);
      j.projections[0].plastic = true;
    });
    const p = compileModel(plastic);
    expect(p.pruning.total).toMatchObject({ kept: 12, zeroDropped: 0 });
    expect(p.network.synapses.weight.filter((w) => w === 0)).toHaveLength(2);
    expect(p.network.synapses.plastic.filter((x, k) => x === 1 && p.network.synapses.target[k] >= 2)).toHaveLength(8);
  });

  it("applies masks, pruning lists, self-connection rules and fixed delays", () => {
    const model = tinyWith((j) => {
      j.projections[0].mask = [[0, 0], [2, 1], [0, 0]];
      j.projections[1].pruned = [[1, 1]];
      j.projections.push({ from: "hidden", to: "hidden", gain: 0.1, fixedDelay: 7 });
    });
    // The mask keeps a0→h0 and a2→h1 (listed twice counts once); h1→o1 is pruned; hidden → hidden
    // without self-connections: h0↔h1 at d √2, w ±0.1/1.4142 = ±.0707 → ±10 (· 141.99), delay 7.
    expect(rows(model)).toEqual([
      [0, 2, 127, 1], [2, 3, -69, 2],
      [1026, 0, 104, 3], [1026, 1, 61, 4], [1026, 3, 10, 7],
      [1027, 0, -127, 3], [1027, 2, -10, 7],
    ]);
    const withSelf = tinyWith((j) => j.projections.push({ from: "hidden", to: "hidden", gain: 0.1, selfConnections: true }));
    expect(compileModel(withSelf).pruning.perProjection[2].candidates).toBe(4);
  });

  it("shares one scale with --scale core", () => {
    const c = compileModel(tiny(), { scale: "core" });
    expect(c.scales[2]?.weightScale).toBe(c.scales[1]?.weightScale);
    // output: 0.5 · 141.99 = 70.99; · 2^6 = 4543.7 ≤ 8191 (2^7 would be 9087)
    expect(c.network.neurons[0]).toMatchObject({ weightShift: 6, threshold: 4544 });
    expect(c.network.synapses.weight[8]).toBe(-114); // −.8 · 141.99 = −113.59
  });

  it("lets a huge threshold limit the scale", () => {
    const model = tinyWith((j) => ((j.populations[2].neuron as Record<string, unknown>).threshold = 1000));
    const c = compileModel(model);
    expect(c.scales[2]).toEqual({ weightScale: 32.767, weightShift: 0, thresholdLimited: true });
    expect(c.network.neurons[0].threshold).toBe(32767);
  });
});

describe("compile: capacity errors say what exceeds what and how to fix it", () => {
  it("too many synapses: suggests the sparsity that fits and --fit", () => {
    const e = errorOf(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, synapses: 7 } }));
    expect(e.code).toBe("E_CAPACITY");
    expect(e.message).toBe("the model needs 10 synapses (of 10 candidates), the core holds 7: add --sparsity 0.30 or --fit <board>");
    expect(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, synapses: 7 }, sparsity: 0.3 })).not.toThrow();
    const named = errorOf(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, synapses: 7 }, boardName: "icebreaker" }));
    expect(named.message).toMatch(/add --sparsity 0\.30 or --fit icebreaker$/);
  });

  it("too much fan-in: suggests --fit", () => {
    const e = errorOf(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, maxFanIn: 2 }, boardName: "icebreaker" }));
    expect(e.message).toBe("a neuron receives 3 synapses, the core allows 2 per neuron (4 neurons): add --fit icebreaker");
  });

  it("too many neurons or axons: says which populations, since pruning cannot help", () => {
    expect(errorOf(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, neurons: 3 }, fit: true })).message).toBe(
      "the model needs 4 neurons (hidden 2 + output 2); the core holds 3: make the LIF populations smaller",
    );
    expect(errorOf(() => compileModel(tiny(), { capacity: { ...UP5K_CAPACITY, axons: 2 }, fit: true })).message).toBe(
      "the model needs 3 input axons (input 3); the core has 2: make the input populations smaller",
    );
  });

  it("rejects bad options with the field named", () => {
    expect(errorOf(() => compileModel(tiny(), { sparsity: 1.5 })).message).toMatch(/sparsity = 1\.5 is out of range/);
    expect(errorOf(() => compileModel(tiny(), { headroom: 0.5 })).message).toMatch(/headroom = 0\.5 is out of range/);
  });
});
