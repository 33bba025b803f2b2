// SPDX-License-Identifier: Apache-2.0
// Random networks for link tests, the hil suite and bench:link: sparse fan-out, every delay,
// mixed signs, an optional plastic share and STDP, within a capacity (default iCE40UP5K).

import { NetworkBuilder, type Network } from "../../sim/network.ts";
import { Random } from "../../sim/random.ts";
import { UP5K_CAPACITY, type Capacity } from "../../sim/spec.ts";

/** Shape of a random network. */
export interface RandomNetworkOptions {
  readonly neurons: number;
  readonly axons: number;
  /** Total synapses. */
  readonly synapses: number;
  /** Share of synapses that are plastic (0..1, default 0). */
  readonly plastic?: number;
  /** Enable STDP (default false). */
  readonly learning?: boolean;
  readonly seed?: number;
  readonly capacity?: Capacity;
}

/** Build a random, valid network (deterministic for a seed). */
export function randomNetwork(options: RandomNetworkOptions): Network {
  const rng = new Random(options.seed ?? 1);
  const cap = options.capacity ?? UP5K_CAPACITY;
  const b = new NetworkBuilder(options.axons, cap);
  for (let j = 0; j < options.neurons; j++) {
    b.addNeuron({
      threshold: 20 + rng.nextInt(60),
      tauMemShift: 1 + rng.nextInt(15),
      tauSynShift: rng.nextInt(4),
      refractoryPeriod: rng.nextInt(3),
      weightShift: rng.nextInt(2),
      resetMode: rng.nextInt(2) === 0 ? "zero" : "subtract",
    });
  }
  const plastic = options.plastic ?? 0;
  for (let k = 0; k < options.synapses; k++) {
    const fromAxon = options.axons > 0 && (options.neurons === 0 || rng.nextInt(3) !== 0);
    b.addSynapse({
      from: fromAxon ? { axon: rng.nextInt(options.axons) } : { neuron: rng.nextInt(options.neurons) },
      to: rng.nextInt(options.neurons),
      weight: rng.intBetween(-70, 127),
      delay: 1 + rng.nextInt(16),
      plastic: rng.nextFloat() < plastic,
    });
  }
  if (options.learning === true) {
    b.setLearning({ enabled: true, tauTraceShift: 3, traceIncrement: 60, aPlus: 40, aMinus: 30, learnShift: 6, wMin: -100, wMax: 120 });
  }
  b.setRecord({ base: 0, count: options.neurons });
  return b.build();
}
