// SPDX-License-Identifier: Apache-2.0
// Index structures over the synapse table, as the core's pointer tables hold them:
// fan-out lists per source (contiguous runs of the memory-ordered table) and plastic fan-in
// lists per neuron (synapse addresses, ascending), which phase D walks.

import type { Network } from "./network.ts";

/** Fan-out lists: synapses of axon a are [axonBase[a], axonBase[a+1]), of neuron j likewise. */
export interface FanOut {
  readonly axonBase: Int32Array;
  readonly neuronBase: Int32Array;
  readonly axonCount: Int32Array;
  readonly neuronCount: Int32Array;
  /** Plastic synapses in each list (they cost one more cycle each when learning). */
  readonly axonPlastic: Int32Array;
  readonly neuronPlastic: Int32Array;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly delay: Uint8Array;
  readonly plastic: Uint8Array;
}

/** Plastic fan-in lists: for neuron j, synapse addresses synapse[base[j]..base[j+1]), ascending. */
export interface FanIn {
  readonly base: Int32Array;
  readonly count: Int32Array;
  readonly synapse: Int32Array;
}

export function buildFanOut(net: Network): FanOut {
  const { source, target, delay, plastic } = net.synapses;
  const axons = net.capacity.axons;
  const a = net.numAxons;
  const n = net.neurons.length;
  const axonCount = new Int32Array(a);
  const neuronCount = new Int32Array(n);
  const axonPlastic = new Int32Array(a);
  const neuronPlastic = new Int32Array(n);
  for (let k = 0; k < source.length; k++) {
    const s = source[k];
    if (s < axons) {
      axonCount[s]++;
      axonPlastic[s] += plastic[k];
    } else {
      neuronCount[s - axons]++;
      neuronPlastic[s - axons] += plastic[k];
    }
  }
  const axonBase = new Int32Array(a + 1);
  for (let i = 0; i < a; i++) axonBase[i + 1] = axonBase[i] + axonCount[i];
  const neuronBase = new Int32Array(n + 1);
  neuronBase[0] = axonBase[a];
  for (let j = 0; j < n; j++) neuronBase[j + 1] = neuronBase[j] + neuronCount[j];
  return { axonBase, neuronBase, axonCount, neuronCount, axonPlastic, neuronPlastic, source, target, delay, plastic };
}

export function buildFanIn(net: Network): FanIn {
  const { target, plastic } = net.synapses;
  const n = net.neurons.length;
  const count = new Int32Array(n);
  for (let k = 0; k < target.length; k++) if (plastic[k] === 1) count[target[k]]++;
  const base = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) base[j + 1] = base[j] + count[j];
  const fill = base.slice(0, n);
  const synapse = new Int32Array(base[n]);
  for (let k = 0; k < target.length; k++) if (plastic[k] === 1) synapse[fill[target[k]]++] = k;
  return { base, count, synapse };
}
