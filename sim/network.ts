// SPDX-License-Identifier: Apache-2.0
// The network as the core sees it: neuron parameters, the synapse table in memory order,
// learning settings and the record window. Built with `NetworkBuilder` or read from a file,
// always validated against a capacity before anything runs.

import { CapacityError, RangeValueError } from "./errors.ts";
import {
  CAPACITY_LIMITS,
  RANGES,
  RESET_MODE,
  UP5K_CAPACITY,
  type Capacity,
  type ResetMode,
} from "./spec.ts";
import { checkBool, checkEnum, checkInt, type Where } from "./validate.ts";

/** Parameters of one neuron (see docs/core-spec.md, "Neuron parameter word"). */
export interface NeuronParams {
  /** Spike when the membrane reaches this value (LSBs, 1..32767). */
  readonly threshold: number;
  /** Membrane decay: time constant 2^tauMemShift steps; 15 = no decay. */
  readonly tauMemShift: number;
  /** Synaptic current decay: time constant 2^tauSynShift steps; 0 = no memory; 15 = no decay. */
  readonly tauSynShift: number;
  /** Steps the membrane is held after a spike (0..15). */
  readonly refractoryPeriod: number;
  /** The summed input of a step is shifted left by this many bits before it joins the current (0..7). */
  readonly weightShift: number;
  /** After a spike: "zero" sets v = 0, "subtract" sets v = v - threshold. */
  readonly resetMode: ResetMode;
}

/** Global STDP settings (see docs/core-spec.md, "Learning settings"). */
export interface LearningSettings {
  /** Plastic synapses learn and traces run only when enabled. */
  readonly enabled: boolean;
  /** Trace decay: time constant 2^tauTraceShift steps; 15 = no decay. */
  readonly tauTraceShift: number;
  /** Added to a source's trace when it spikes (saturating at 255). */
  readonly traceIncrement: number;
  /** Potentiation amplitude: dw = round(aPlus * preTrace / 2^learnShift). */
  readonly aPlus: number;
  /** Depression amplitude: dw = -round(aMinus * postTrace / 2^learnShift). */
  readonly aMinus: number;
  /** Shift applied to amplitude * trace (0..15), rounding half up. */
  readonly learnShift: number;
  /** Lower clip of a learned weight (-128..127). */
  readonly wMin: number;
  /** Upper clip of a learned weight (wMin..127). */
  readonly wMax: number;
}

/** STDP off; the values a reset leaves in the learning register. */
export const LEARNING_OFF: LearningSettings = Object.freeze({
  enabled: false,
  tauTraceShift: 4,
  traceIncrement: 64,
  aPlus: 0,
  aMinus: 0,
  learnShift: 8,
  wMin: -128,
  wMax: 127,
});

/** The neurons whose spikes the board streams to the host: `[base, base + count)`. */
export interface RecordWindow {
  readonly base: number;
  readonly count: number;
}

/**
 * Synapses in memory order: grouped by source id (ascending), in insertion order within a
 * source. Source ids: axon a is `a`, neuron j is `capacity.axons + j`.
 */
export interface SynapseTable {
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly weight: Int8Array;
  /** Delay in steps, 1..16. */
  readonly delay: Uint8Array;
  /** 1 = plastic (learns when learning is enabled). */
  readonly plastic: Uint8Array;
}

/** A complete, validated network. */
export interface Network {
  readonly capacity: Capacity;
  /** Axons in use: 0..numAxons-1 (phase B touches only these). */
  readonly numAxons: number;
  /** One entry per neuron in use; numNeurons = neurons.length. */
  readonly neurons: readonly NeuronParams[];
  readonly synapses: SynapseTable;
  readonly learning: LearningSettings;
  readonly record: RecordWindow;
}

/** A source of spikes: an input axon or a neuron. */
export type SourceRef = { readonly axon: number } | { readonly neuron: number };

/** One synapse as a user writes it. */
export interface SynapseSpec {
  readonly from: SourceRef;
  readonly to: number;
  readonly weight: number;
  /** 1..16 steps; default 1. */
  readonly delay?: number;
  readonly plastic?: boolean;
}

/** A zero-filled synapse table of `n` entries, to be filled in memory order. */
export function allocateSynapseTable(n: number): SynapseTable {
  return { source: new Int32Array(n), target: new Int32Array(n), weight: new Int8Array(n), delay: new Uint8Array(n), plastic: new Uint8Array(n) };
}

/** Source id of an axon or neuron for a capacity. */
export function sourceId(capacity: Capacity, ref: SourceRef): number {
  return "axon" in ref ? ref.axon : capacity.axons + ref.neuron;
}

/** Inverse of `sourceId`. */
export function sourceRef(capacity: Capacity, id: number): SourceRef {
  return id < capacity.axons ? { axon: id } : { neuron: id - capacity.axons };
}

/** Human-readable source name: `a12` or `n3`. */
export function sourceName(capacity: Capacity, id: number): string {
  return id < capacity.axons ? `a${id}` : `n${id - capacity.axons}`;
}

/** Default LIF parameters: threshold 64, tau 2^4, no refractory period, reset to zero. */
export const DEFAULT_NEURON: NeuronParams = Object.freeze({
  threshold: 64,
  tauMemShift: 4,
  tauSynShift: 2,
  refractoryPeriod: 0,
  weightShift: 0,
  resetMode: "zero",
});

/** Builds a network incrementally; `build()` validates and freezes it. */
export class NetworkBuilder {
  private readonly neurons: NeuronParams[] = [];
  private readonly specs: SynapseSpec[] = [];
  private learning: LearningSettings = LEARNING_OFF;
  private record: RecordWindow | undefined;

  constructor(
    private readonly numAxons: number,
    private readonly capacity: Capacity = UP5K_CAPACITY,
  ) {}

  /** Add a neuron; returns its index. */
  addNeuron(params: Partial<NeuronParams> = {}): number {
    this.neurons.push({ ...DEFAULT_NEURON, ...params });
    return this.neurons.length - 1;
  }

  /** Add `count` neurons with the same parameters; returns the first index. */
  addNeurons(count: number, params: Partial<NeuronParams> = {}): number {
    const first = this.neurons.length;
    for (let k = 0; k < count; k++) this.addNeuron(params);
    return first;
  }

  addSynapse(spec: SynapseSpec): this {
    this.specs.push(spec);
    return this;
  }

  setLearning(settings: Partial<LearningSettings>): this {
    this.learning = { ...this.learning, ...settings };
    return this;
  }

  setRecord(window: RecordWindow): this {
    this.record = window;
    return this;
  }

  build(where: Where = {}): Network {
    const n = this.specs.length;
    const rows = this.specs.map((s, k) => ({ k, id: sourceId(this.capacity, s.from), s }));
    rows.sort((a, b) => a.id - b.id || a.k - b.k);
    const table = allocateSynapseTable(n);
    // Range-check before narrowing into typed arrays, so nothing is silently wrapped.
    const numNeurons = this.neurons.length;
    rows.forEach(({ k, id, s }, pos) => {
      const field = `synapses[${k}]`;
      if ("axon" in s.from) checkInt(`${field}.from.axon`, s.from.axon, { min: 0, max: this.numAxons - 1 }, where);
      else checkInt(`${field}.from.neuron`, s.from.neuron, { min: 0, max: numNeurons - 1 }, where);
      checkInt(`${field}.to`, s.to, { min: 0, max: numNeurons - 1 }, where);
      checkInt(`${field}.weight`, s.weight, RANGES.weight, where);
      checkInt(`${field}.delay`, s.delay ?? 1, RANGES.delay, where);
      table.source[pos] = id;
      table.target[pos] = s.to;
      table.weight[pos] = s.weight;
      table.delay[pos] = s.delay ?? 1;
      table.plastic[pos] = s.plastic === true ? 1 : 0;
    });
    return validateNetwork(
      {
        capacity: this.capacity,
        numAxons: this.numAxons,
        neurons: this.neurons,
        synapses: table,
        learning: this.learning,
        record: this.record ?? { base: 0, count: this.neurons.length },
      },
      where,
    );
  }
}

/** Check a capacity against the simulator's limits. */
export function checkCapacity(capacity: Capacity, where: Where = {}): Capacity {
  checkInt("capacity.neurons", capacity.neurons, CAPACITY_LIMITS.neurons, where);
  checkInt("capacity.axons", capacity.axons, CAPACITY_LIMITS.axons, where);
  checkInt("capacity.synapses", capacity.synapses, CAPACITY_LIMITS.synapses, where);
  checkInt("capacity.maxFanIn", capacity.maxFanIn, CAPACITY_LIMITS.maxFanIn, where);
  return capacity;
}

/** Validate neuron parameters; returns them. */
export function checkNeuronParams(field: string, p: NeuronParams, where: Where = {}): NeuronParams {
  checkInt(`${field}.threshold`, p.threshold, RANGES.threshold, where);
  checkInt(`${field}.tauMemShift`, p.tauMemShift, RANGES.tauShift, where);
  checkInt(`${field}.tauSynShift`, p.tauSynShift, RANGES.tauShift, where);
  checkInt(`${field}.refractoryPeriod`, p.refractoryPeriod, RANGES.refractoryPeriod, where);
  checkInt(`${field}.weightShift`, p.weightShift, RANGES.weightShift, where);
  checkEnum(`${field}.resetMode`, p.resetMode, Object.keys(RESET_MODE) as ResetMode[], where);
  return p;
}

/** Validate learning settings; returns them. */
export function checkLearning(field: string, l: LearningSettings, where: Where = {}): LearningSettings {
  checkBool(`${field}.enabled`, l.enabled, where, false);
  checkInt(`${field}.tauTraceShift`, l.tauTraceShift, RANGES.tauShift, where);
  checkInt(`${field}.traceIncrement`, l.traceIncrement, RANGES.learnAmplitude, where);
  checkInt(`${field}.aPlus`, l.aPlus, RANGES.learnAmplitude, where);
  checkInt(`${field}.aMinus`, l.aMinus, RANGES.learnAmplitude, where);
  checkInt(`${field}.learnShift`, l.learnShift, RANGES.learnShift, where);
  checkInt(`${field}.wMin`, l.wMin, RANGES.weight, where);
  checkInt(`${field}.wMax`, l.wMax, { min: l.wMin, max: RANGES.weight.max }, where);
  return l;
}

/**
 * Validate a whole network against its capacity: every field in range, every index inside
 * capacity, synapses in memory order, fan-in within `maxFanIn`. Throws on the first problem.
 */
export function validateNetwork(net: Network, where: Where = {}): Network {
  const cap = checkCapacity(net.capacity, where);
  const numNeurons = net.neurons.length;
  checkInt("numAxons", net.numAxons, { min: 0, max: cap.axons }, where);
  if (numNeurons < 1 || numNeurons > cap.neurons) {
    throw new CapacityError(
      `the network has ${numNeurons} neurons; the core holds 1..${cap.neurons}`,
      { context: { ...where, field: "neurons", value: numNeurons, allowed: `1..${cap.neurons}` } },
    );
  }
  net.neurons.forEach((p, j) => checkNeuronParams(`neurons[${j}]`, p, where));
  checkLearning("learning", net.learning, where);
  checkInt("record.base", net.record.base, { min: 0, max: numNeurons }, where);
  checkInt("record.count", net.record.count, { min: 0, max: numNeurons - net.record.base }, where);

  const s = net.synapses;
  const n = s.source.length;
  for (const key of ["target", "weight", "delay", "plastic"] as const) {
    if (s[key].length !== n) {
      throw new RangeValueError(`synapses.${key}.length`, s[key].length, `${n} (same as synapses.source)`, where);
    }
  }
  if (n > cap.synapses) {
    throw new CapacityError(`the network needs ${n} synapses; the core holds ${cap.synapses}`, {
      context: { ...where, field: "synapses", value: n, allowed: `0..${cap.synapses}` },
      suggestion: "Prune the network (loci compile --sparsity s or --fit <board>).",
    });
  }
  const fanIn = new Int32Array(numNeurons);
  let previous = -1;
  for (let k = 0; k < n; k++) {
    const src = s.source[k];
    const isAxon = src < cap.axons;
    const validSource = isAxon ? src >= 0 && src < net.numAxons : src - cap.axons < numNeurons;
    if (!validSource) {
      throw new RangeValueError(
        `synapses[${k}].source`,
        src,
        `axon 0..${net.numAxons - 1} or neuron ${cap.axons}..${cap.axons + numNeurons - 1} (axons + neuron index)`,
        where,
      );
    }
    if (src < previous) {
      throw new RangeValueError(`synapses[${k}].source`, src, `>= ${previous} (synapses grouped by ascending source)`, where);
    }
    previous = src;
    const tgt = checkInt(`synapses[${k}].target`, s.target[k], { min: 0, max: numNeurons - 1 }, where);
    checkInt(`synapses[${k}].delay`, s.delay[k], RANGES.delay, where);
    checkInt(`synapses[${k}].plastic`, s.plastic[k], { min: 0, max: 1 }, where);
    fanIn[tgt]++;
  }
  for (let j = 0; j < numNeurons; j++) {
    if (fanIn[j] > cap.maxFanIn) {
      throw new CapacityError(
        `neuron ${j} has ${fanIn[j]} incoming synapses; the core allows at most ${cap.maxFanIn} per neuron`,
        {
          context: { ...where, field: `fanIn[${j}]`, value: fanIn[j], allowed: `0..${cap.maxFanIn}` },
          suggestion: "Prune long connections into this neuron, or split the population.",
        },
      );
    }
  }
  return net;
}

/** Number of neurons in use. */
export function numNeurons(net: Network): number {
  return net.neurons.length;
}
