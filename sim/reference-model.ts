// SPDX-License-Identifier: Apache-2.0
// A deliberately naive model of the core, written line by line from docs/core-spec.md sections
// 3, 5 and 6: plain objects, every neuron every step, fan-out lists found by scanning the synapse
// table. It shares no code with simulator.ts; property tests hold the optimized simulator to it.

import type { LearningSettings, Network, NeuronParams } from "./network.ts";
import type { CoreState } from "./simulator.ts";
import { CYCLES } from "./spec.ts";

/** Spec 3.1: sign(x) * ceil(|x| / 2^k); k = 15 means no decay. */
function decayAmount(x: number, k: number): number {
  if (k === 15) return 0;
  return Math.floor((x + (x >= 0 ? 2 ** k - 1 : 0)) / 2 ** k);
}

/** Spec 3.2: (a * x + (s > 0 ? 2^(s-1) : 0)) >> s. */
function learningDelta(a: number, x: number, s: number): number {
  return Math.floor((a * x + (s > 0 ? 2 ** (s - 1) : 0)) / 2 ** s);
}

const sat16 = (x: number): number => Math.min(32767, Math.max(-32768, x));
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** One neuron's registers (spec 4.2) and its delay ring. */
export interface ReferenceNeuron {
  v: number;
  i: number;
  refractoryCount: number;
  trace: number;
  /** ring[slot], slot = arrival step mod 16. */
  ring: number[];
}

/** One synapse (spec 4.3); delay in steps 1..16. */
export interface ReferenceSynapse {
  source: number;
  target: number;
  weight: number;
  delay: number;
  plastic: boolean;
}

/** The reference core. */
export class ReferenceCore {
  readonly params: NeuronParams[];
  readonly neurons: ReferenceNeuron[];
  readonly axonTrace: number[];
  readonly synapses: ReferenceSynapse[];
  learning: LearningSettings;
  readonly axons: number;
  readonly numAxons: number;
  t = 0;

  constructor(net: Network) {
    this.params = net.neurons.map((p) => ({ ...p }));
    this.neurons = net.neurons.map(() => ({ v: 0, i: 0, refractoryCount: 0, trace: 0, ring: new Array<number>(16).fill(0) }));
    this.numAxons = net.numAxons;
    this.axonTrace = new Array<number>(net.numAxons).fill(0);
    this.axons = net.capacity.axons;
    this.learning = { ...net.learning };
    const s = net.synapses;
    this.synapses = Array.from(s.source, (_, k) => ({
      source: s.source[k],
      target: s.target[k],
      weight: s.weight[k],
      delay: s.delay[k],
      plastic: s.plastic[k] === 1,
    }));
  }

  /** Run step t with these input axons; returns the spikes (ascending) and the step's cycles. */
  step(inputs: readonly number[]): { spikes: number[]; cycles: number } {
    const L = this.learning;
    const learn = L.enabled;
    const slot = this.t % 16;
    const spikes: number[] = [];

    // Phase A: every neuron, ascending.
    this.neurons.forEach((n, j) => {
      const p = this.params[j];
      const input = n.ring[slot];
      n.ring[slot] = 0;
      n.i = sat16(n.i - decayAmount(n.i, p.tauSynShift) + input * 2 ** p.weightShift);
      let spike = false;
      if (n.refractoryCount > 0) {
        n.refractoryCount -= 1;
      } else {
        n.v = sat16(n.v - decayAmount(n.v, p.tauMemShift) + n.i);
        if (n.v >= p.threshold) {
          spike = true;
          n.v = p.resetMode === "subtract" ? n.v - p.threshold : 0;
          n.refractoryCount = p.refractoryPeriod;
        }
      }
      if (learn) {
        n.trace = n.trace - decayAmount(n.trace, L.tauTraceShift);
        if (spike) n.trace = Math.min(255, n.trace + L.traceIncrement);
      }
      if (spike) spikes.push(j);
    });

    // Phase B: axon traces decay.
    if (learn) for (let a = 0; a < this.numAxons; a++) this.axonTrace[a] -= decayAmount(this.axonTrace[a], L.tauTraceShift);

    // Phase C: inputs in arrival order, then spikes ascending.
    const sources = [...inputs, ...spikes.map((j) => this.axons + j)];
    for (const s of sources) {
      if (learn && s < this.axons) this.axonTrace[s] = Math.min(255, this.axonTrace[s] + L.traceIncrement);
      for (const syn of this.synapses) {
        if (syn.source !== s) continue;
        const target = this.neurons[syn.target];
        target.ring[(this.t + syn.delay) % 16] += syn.weight;
        if (learn && syn.plastic) syn.weight = clamp(syn.weight - learningDelta(L.aMinus, target.trace, L.learnShift), L.wMin, L.wMax);
      }
    }

    // Phase D: potentiation into each spiking neuron, ascending, its plastic fan-in ascending.
    if (learn) {
      for (const j of spikes) {
        for (const syn of this.synapses) {
          if (syn.target !== j || !syn.plastic) continue;
          const pre = syn.source < this.axons ? this.axonTrace[syn.source] : this.neurons[syn.source - this.axons].trace;
          syn.weight = clamp(syn.weight + learningDelta(L.aPlus, pre, L.learnShift), L.wMin, L.wMax);
        }
      }
    }

    const cycles = this.cycles(inputs, spikes, learn);
    this.t += 1;
    return { spikes, cycles };
  }

  /** Spec section 6, term by term. */
  cycles(inputs: readonly number[], spikes: readonly number[], learn: boolean): number {
    const fanOut = (s: number): number => this.synapses.filter((x) => x.source === s).length;
    const plasticFanOut = (s: number): number => this.synapses.filter((x) => x.source === s && x.plastic).length;
    const plasticFanIn = (j: number): number => this.synapses.filter((x) => x.target === j && x.plastic).length;
    const C = CYCLES; // the constants are data of the contract; the formula below is written anew
    let c = C.STEP + C.NEURON_PHASE + this.neurons.length;
    if (learn) c += C.AXON_TRACE_PHASE + this.numAxons;
    c += C.DELIVERY_PHASE;
    for (const a of inputs) c += C.SOURCE_AXON + fanOut(a) + (learn ? plasticFanOut(a) : 0);
    for (const j of spikes) c += C.SOURCE_NEURON + fanOut(this.axons + j) + (learn ? plasticFanOut(this.axons + j) : 0);
    if (learn) {
      c += C.LTP_PHASE;
      for (const j of spikes) c += C.LTP_NEURON + C.LTP_PER_SYNAPSE * plasticFanIn(j);
    }
    return c;
  }
}

/** The reference's state in the simulator's snapshot layout (step not wrapped). */
export function referenceSnapshot(ref: ReferenceCore): CoreState {
  return {
    step: ref.t,
    membrane: Int32Array.from(ref.neurons, (n) => n.v),
    current: Int32Array.from(ref.neurons, (n) => n.i),
    refractory: Int32Array.from(ref.neurons, (n) => n.refractoryCount),
    neuronTrace: Int32Array.from(ref.neurons, (n) => n.trace),
    axonTrace: Int32Array.from(ref.axonTrace),
    weights: Int8Array.from(ref.synapses, (s) => s.weight),
    ring: Int32Array.from(ref.neurons.flatMap((n) => n.ring)),
  };
}
