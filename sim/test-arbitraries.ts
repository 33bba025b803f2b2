// SPDX-License-Identifier: Apache-2.0
// fast-check generators of random networks and stimuli for the simulator's property tests:
// small sizes, parameters biased toward the edges (saturation, maximum delay, k = 0 and 15,
// thresholds that fire), learning on or off, and a step at which learning may be toggled.

import fc from "fast-check";
import { LEARNING_OFF, validateNetwork, type LearningSettings, type Network, type NeuronParams } from "./network.ts";
import { UP5K_CAPACITY, type Capacity } from "./spec.ts";

/** A random case: a network, inputs per step, and an optional step that toggles learning. */
export interface SimCase {
  readonly net: Network;
  /** Distinct axons per step. */
  readonly inputs: readonly (readonly number[])[];
  /** Before this step, learning is switched (enabled <-> disabled); -1 = never. */
  readonly toggleLearningAt: number;
}

const shift = fc.oneof(fc.constantFrom(0, 1, 15), fc.integer({ min: 0, max: 15 }));

const neuronParams = (tau: fc.Arbitrary<number>): fc.Arbitrary<NeuronParams> => fc.record({
  threshold: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 60 }), weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: 2000 }), weight: 2 },
    { arbitrary: fc.constantFrom(1, 32767), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 32767 }), weight: 1 },
  ),
  tauMemShift: tau,
  tauSynShift: tau,
  refractoryPeriod: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
  weightShift: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
  resetMode: fc.constantFrom("zero" as const, "subtract" as const),
});

const learning: fc.Arbitrary<LearningSettings> = fc
  .record({
    enabled: fc.boolean(),
    tauTraceShift: shift,
    traceIncrement: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 255)),
    aPlus: fc.integer({ min: 0, max: 255 }),
    aMinus: fc.integer({ min: 0, max: 255 }),
    learnShift: fc.integer({ min: 0, max: 15 }),
    wA: fc.integer({ min: -128, max: 127 }),
    wB: fc.integer({ min: -128, max: 127 }),
  })
  .map(({ wA, wB, ...rest }) => ({ ...rest, wMin: Math.min(wA, wB), wMax: Math.max(wA, wB) }));

const rawSynapse = fc.record({
  source: fc.nat(),
  target: fc.nat(),
  weight: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 127 }), weight: 4 },
    { arbitrary: fc.integer({ min: -128, max: 127 }), weight: 3 },
    { arbitrary: fc.constantFrom(-128, 127), weight: 1 },
  ),
  delay: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(1, 16)),
  plastic: fc.boolean(),
});

/** Options of `simCase`. */
export interface SimCaseOptions {
  readonly maxNeurons?: number;
  readonly maxAxons?: number;
  readonly maxSynapses?: number;
  readonly maxSteps?: number;
  readonly capacity?: Capacity;
  /**
   * Bursts: input only in the first 8 of every 48 steps, decays of 2^0..2^2 steps and no
   * neuron-to-neuron synapses, so the network falls completely quiet between bursts (this
   * exercises the simulator's switches between its dense and sparse modes).
   */
  readonly bursts?: boolean;
}

/** Random networks with random input. Defaults: <= 10 neurons, <= 6 axons, <= 40 synapses, <= 40 steps. */
export function simCase(options: SimCaseOptions = {}): fc.Arbitrary<SimCase> {
  const cap = options.capacity ?? UP5K_CAPACITY;
  return fc
    .record({
      numNeurons: fc.integer({ min: 1, max: options.maxNeurons ?? 10 }),
      numAxons: fc.oneof({ arbitrary: fc.integer({ min: 1, max: options.maxAxons ?? 6 }), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 }),
      neurons: fc.array(neuronParams(options.bursts === true ? fc.integer({ min: 0, max: 2 }) : shift), { minLength: options.maxNeurons ?? 10, maxLength: options.maxNeurons ?? 10 }),
      synapses: fc.array(rawSynapse, { maxLength: options.maxSynapses ?? 40, size: "max" }),
      learning: fc.oneof(fc.constant(LEARNING_OFF), learning),
      steps: fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 1, maxLength: options.maxSteps ?? 40, size: "max" }),
      toggle: fc.oneof(fc.constant(-1), fc.nat()),
      record: fc.tuple(fc.nat(), fc.nat()),
    })
    .map((r) => {
      const n = r.numNeurons;
      const sources = r.numAxons + n;
      const rows = r.synapses
        .map((s) => {
          const src = s.source % sources;
          if (src < r.numAxons) return { ...s, source: src, target: s.target % n };
          const from = src - r.numAxons;
          // Bursts: only axons drive the neurons (no recurrence), so activity dies out.
          return { ...s, source: cap.axons + from, target: options.bursts === true ? -1 : s.target % n };
        })
        .filter((s) => s.target >= 0)
        .map((s, k) => ({ s, k }))
        .sort((x, y) => x.s.source - y.s.source || x.k - y.k)
        .map((x) => x.s);
      const net = validateNetwork({
        capacity: cap,
        numAxons: r.numAxons,
        neurons: r.neurons.slice(0, n),
        synapses: {
          source: Int32Array.from(rows, (s) => s.source),
          target: Int32Array.from(rows, (s) => s.target),
          weight: Int8Array.from(rows, (s) => s.weight),
          delay: Uint8Array.from(rows, (s) => s.delay),
          plastic: Uint8Array.from(rows, (s) => (s.plastic ? 1 : 0)),
        },
        learning: r.learning,
        record: { base: r.record[0] % (n + 1), count: 0 },
      });
      const base = net.record.base;
      const withRecord: Network = { ...net, record: { base, count: r.record[1] % (n - base + 1) } };
      const inputs = r.steps.map((step, k) =>
        r.numAxons === 0 || (options.bursts === true && k % 48 >= 8) ? [] : [...new Set(step.map((a) => a % r.numAxons))],
      );
      return { net: withRecord, inputs, toggleLearningAt: r.toggle < 0 ? -1 : r.toggle % r.steps.length };
    });
}
