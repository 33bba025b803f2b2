// SPDX-License-Identifier: Apache-2.0
// The benchmark workload shared by bench/sim.bench.ts and its test: a random recurrent network
// of 1,000 neurons with fan-out 64 (delays 1..16) plus one drive axon per neuron, and a stimulus
// that makes an exact fraction of the neurons spike at every step.
//
// Activity control: drive axon a reaches neuron a with weight 127, delay 1; with weightShift 7
// that is 16,256 LSB, above the threshold 16,000, so a driven neuron always spikes one step
// later. The recurrent synapses carry weight 1 (128 LSB after the shift), the current holds only
// the step's input (tauSynShift 0) and the membrane halves every step (tauMemShift 1), so
// recurrent input alone stays far below threshold (about 3,300 LSB on average at 20 % activity):
// the neurons that spike at step t+1 are exactly those driven at step t. The benchmark checks it.

import { NetworkBuilder, type Network } from "../sim/network.ts";
import { Random } from "../sim/random.ts";
import { fixedCountStimulus, type Stimulus } from "../sim/stimulus.ts";

/** Shape of the benchmark network. */
export interface Workload {
  readonly neurons: number;
  readonly fanOut: number;
  readonly seed: number;
}

/** The benchmark defaults: 1,000 neurons, fan-out 64 (64,000 recurrent synapses). */
export const BENCH_WORKLOAD: Workload = { neurons: 1000, fanOut: 64, seed: 2024 };

/** Recurrent synapses as flat arrays (for the Brian2 peer): source neuron, target, weight, delay. */
export interface RecurrentTable {
  readonly pre: Int32Array;
  readonly post: Int32Array;
  readonly weight: Int32Array;
  readonly delay: Int32Array;
}

/** Draw the recurrent synapses: each neuron targets `fanOut` distinct random neurons. */
export function recurrentTable(w: Workload = BENCH_WORKLOAD): RecurrentTable {
  const rng = new Random(w.seed);
  const n = w.neurons * w.fanOut;
  const t: RecurrentTable = { pre: new Int32Array(n), post: new Int32Array(n), weight: new Int32Array(n), delay: new Int32Array(n) };
  const pool = Int32Array.from({ length: w.neurons }, (_, j) => j);
  let k = 0;
  for (let j = 0; j < w.neurons; j++) {
    for (let f = 0; f < w.fanOut; f++) {
      const r = f + rng.nextInt(w.neurons - f);
      [pool[f], pool[r]] = [pool[r], pool[f]];
      t.pre[k] = j;
      t.post[k] = pool[f];
      t.weight[k] = 1;
      t.delay[k] = 1 + rng.nextInt(16);
      k++;
    }
  }
  return t;
}

/** The Loci network of the workload (capacity sized to fit it). */
export function benchNetwork(w: Workload = BENCH_WORKLOAD, table: RecurrentTable = recurrentTable(w)): Network {
  const capacity = { neurons: w.neurons, axons: w.neurons, synapses: w.neurons * (w.fanOut + 1), maxFanIn: 4096 };
  const b = new NetworkBuilder(w.neurons, capacity);
  b.addNeurons(w.neurons, { threshold: 16000, tauMemShift: 1, tauSynShift: 0, refractoryPeriod: 0, weightShift: 7, resetMode: "zero" });
  for (let a = 0; a < w.neurons; a++) b.addSynapse({ from: { axon: a }, to: a, weight: 127, delay: 1 });
  for (let k = 0; k < table.pre.length; k++) {
    b.addSynapse({ from: { neuron: table.pre[k] }, to: table.post[k], weight: table.weight[k], delay: table.delay[k] });
  }
  return b.build();
}

/** Drive exactly `round(fraction * neurons)` random distinct neurons at every step. */
export function benchStimulus(w: Workload, fraction: number, steps: number, seed = 99): Stimulus {
  return fixedCountStimulus({ steps, numAxons: w.neurons, perStep: Math.round(fraction * w.neurons), seed });
}
