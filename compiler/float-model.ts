// SPDX-License-Identifier: Apache-2.0
// The float reference of a compiled network: the model's own dynamics (docs/formats/model-file.md
// §6) in double precision, with float weights and thresholds and exact decay factors, on the same
// synapses and delays the core image holds. Comparing it with the bit-exact simulator measures what
// quantization costs.

import { DELAY_SLOTS, TAU_NO_DECAY } from "../sim/spec.ts";
import type { CompiledModel } from "./compile.ts";

/** A network with float weights and thresholds, numbered as the core numbers it. */
export interface FloatNetwork {
  readonly numAxons: number;
  readonly numNeurons: number;
  /** Source id of neuron j is `axonBase + j` (the capacity's axon count). */
  readonly axonBase: number;
  /** Synapses grouped by source id ascending (memory order). */
  readonly source: Int32Array;
  readonly target: Int32Array;
  /** Float weight units. */
  readonly weight: Float64Array;
  /** Steps, 1..16. */
  readonly delay: Uint8Array;
  /** Float weight units. */
  readonly threshold: Float64Array;
  readonly tauMemShift: Uint8Array;
  readonly tauSynShift: Uint8Array;
  readonly refractoryPeriod: Uint8Array;
  /** 1 = subtract the threshold on a spike, 0 = reset to zero. */
  readonly subtract: Uint8Array;
}

/** The float network of a compiled model: its kept synapses with their unquantized weights. */
export function floatNetworkOf(compiled: CompiledModel): FloatNetwork {
  const net = compiled.network;
  return {
    numAxons: net.numAxons,
    numNeurons: net.neurons.length,
    axonBase: net.capacity.axons,
    source: net.synapses.source,
    target: net.synapses.target,
    weight: compiled.floatWeights,
    delay: net.synapses.delay,
    threshold: compiled.floatThresholds,
    tauMemShift: Uint8Array.from(net.neurons, (p) => p.tauMemShift),
    tauSynShift: Uint8Array.from(net.neurons, (p) => p.tauSynShift),
    refractoryPeriod: Uint8Array.from(net.neurons, (p) => p.refractoryPeriod),
    subtract: Uint8Array.from(net.neurons, (p) => (p.resetMode === "subtract" ? 1 : 0)),
  };
}

/** Per-step decay factor of a shift: 1 − 2^−k, and 1 (no decay) for k = 15. */
export function decayFactor(shift: number): number {
  return shift === TAU_NO_DECAY ? 1 : 1 - 2 ** -shift;
}

/** Steps a float network, one timestep at a time, with the core's phase order and delay rule. */
export class FloatSimulator {
  private readonly fwdBase: Int32Array;
  private readonly fwdCount: Int32Array;
  private readonly ring: Float64Array;
  private readonly v: Float64Array;
  private readonly i: Float64Array;
  private readonly ref: Int32Array;
  private readonly aMem: Float64Array;
  private readonly aSyn: Float64Array;
  private t = 0;

  constructor(private readonly net: FloatNetwork) {
    const sources = net.axonBase + net.numNeurons;
    this.fwdBase = new Int32Array(sources);
    this.fwdCount = new Int32Array(sources);
    for (let k = 0; k < net.source.length; k++) if (this.fwdCount[net.source[k]]++ === 0) this.fwdBase[net.source[k]] = k;
    this.ring = new Float64Array(net.numNeurons * DELAY_SLOTS);
    this.v = new Float64Array(net.numNeurons);
    this.i = new Float64Array(net.numNeurons);
    this.ref = new Int32Array(net.numNeurons);
    this.aMem = Float64Array.from(net.tauMemShift, decayFactor);
    this.aSyn = Float64Array.from(net.tauSynShift, decayFactor);
  }

  /** Membrane of neuron j (float weight units). */
  membrane(j: number): number {
    return this.v[j];
  }

  /** Current of neuron j (float weight units). */
  current(j: number): number {
    return this.i[j];
  }

  /** One step: neuron update, then delivery of the inputs and of this step's spikes. Returns the spikes, ascending. */
  stepOnce(inputs: ArrayLike<number>): Int32Array {
    const { net, ring, v, i, ref } = this;
    const slot = this.t % DELAY_SLOTS;
    const spikes: number[] = [];
    for (let j = 0; j < net.numNeurons; j++) {
      const input = ring[j * DELAY_SLOTS + slot];
      ring[j * DELAY_SLOTS + slot] = 0;
      i[j] = this.aSyn[j] * i[j] + input;
      if (ref[j] > 0) {
        ref[j]--;
        continue;
      }
      v[j] = this.aMem[j] * v[j] + i[j];
      if (v[j] >= net.threshold[j]) {
        spikes.push(j);
        v[j] = net.subtract[j] === 1 ? v[j] - net.threshold[j] : 0;
        ref[j] = net.refractoryPeriod[j];
      }
    }
    for (let k = 0; k < inputs.length; k++) this.deliver(inputs[k]);
    for (const j of spikes) this.deliver(net.axonBase + j);
    this.t++;
    return Int32Array.from(spikes);
  }

  private deliver(source: number): void {
    const { net, ring } = this;
    const end = this.fwdBase[source] + this.fwdCount[source];
    for (let k = this.fwdBase[source]; k < end; k++) {
      ring[net.target[k] * DELAY_SLOTS + ((this.t + net.delay[k]) % DELAY_SLOTS)] += net.weight[k];
    }
  }
}
