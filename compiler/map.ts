// SPDX-License-Identifier: Apache-2.0
// Mapping populations onto the core: input populations to axon ranges, LIF populations to neuron
// ranges (the output population first, so the record window is [0, size) and neuron = class), and
// the kept synapses into a validated `Network` whose fan-out lists the core follows.

import { CapacityError } from "../sim/errors.ts";
import { LEARNING_OFF, NetworkBuilder, type Network, type NeuronParams } from "../sim/network.ts";
import type { Capacity } from "../sim/spec.ts";
import type { Where } from "../sim/validate.ts";
import type { LociModel } from "./model-file.ts";

/** Where one population of the model sits on the core. */
export interface Placement {
  readonly name: string;
  readonly kind: "input" | "lif";
  /** Index of the population in `model.populations`. */
  readonly population: number;
  /** First axon (input) or neuron (LIF). */
  readonly first: number;
  readonly size: number;
}

/** Every population's place on the core. */
export interface CoreMap {
  /** In model file order. */
  readonly placements: readonly Placement[];
  readonly numAxons: number;
  readonly numNeurons: number;
  /** The output population's placement (neurons 0..size−1). */
  readonly output: Placement;
}

/** A count with thousands separators, as the reports print it. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Place the populations: input populations on axons 0.. in file order; the output population on
 * neurons 0..size−1, then the other LIF populations in file order. Throws a CapacityError when
 * the neurons or axons exceed the capacity (pruning cannot fix that).
 */
export function mapPopulations(model: LociModel, capacity: Capacity, where: Where = {}): CoreMap {
  const placements: Placement[] = [];
  let axon = 0;
  const outputIndex = model.populations.findIndex((p) => p.name === model.output);
  let neuron = model.populations[outputIndex].size;
  model.populations.forEach((p, population) => {
    if (p.kind === "input") {
      placements.push({ name: p.name, kind: "input", population, first: axon, size: p.size });
      axon += p.size;
    } else if (population === outputIndex) {
      placements.push({ name: p.name, kind: "lif", population, first: 0, size: p.size });
    } else {
      placements.push({ name: p.name, kind: "lif", population, first: neuron, size: p.size });
      neuron += p.size;
    }
  });
  const describe = (kind: "input" | "lif"): string =>
    placements.filter((p) => p.kind === kind).map((p) => `${p.name} ${formatCount(p.size)}`).join(" + ");
  if (neuron > capacity.neurons) {
    throw new CapacityError(
      `the model needs ${formatCount(neuron)} neurons (${describe("lif")}); the core holds ${formatCount(capacity.neurons)}: make the LIF populations smaller`,
      { context: { ...where, field: "populations", value: neuron, allowed: `1..${capacity.neurons} LIF neurons` }, suggestion: "Pruning removes synapses, not neurons: train a model with fewer hidden neurons." },
    );
  }
  if (axon > capacity.axons) {
    throw new CapacityError(
      `the model needs ${formatCount(axon)} input axons (${describe("input")}); the core has ${formatCount(capacity.axons)}: make the input populations smaller`,
      { context: { ...where, field: "populations", value: axon, allowed: `0..${capacity.axons} input channels` }, suggestion: "Downsample the input (fewer channels) and train again." },
    );
  }
  return { placements, numAxons: axon, numNeurons: neuron, output: placements[outputIndex] };
}

/** Kept synapses in core numbering, ready to lay out. */
export interface CoreSynapses {
  /** Source id: axon a, or `capacity.axons + neuron`. */
  readonly source: Int32Array;
  /** Target neuron. */
  readonly target: Int32Array;
  readonly weight: Int8Array;
  readonly delay: Uint8Array;
  readonly plastic: Uint8Array;
}

/**
 * The memory order of synapses: grouped by source id ascending, by target neuron ascending within
 * a source. Returns the permutation (indices into `synapses`).
 */
export function memoryOrder(synapses: Pick<CoreSynapses, "source" | "target">): Int32Array {
  const order = Int32Array.from({ length: synapses.source.length }, (_, k) => k);
  const { source, target } = synapses;
  return order.sort((a, b) => source[a] - source[b] || target[a] - target[b]);
}

/**
 * Build the validated network: neurons in core order with their parameters, the synapses (already
 * in memory order, see `memoryOrder`), the model's learning settings, and the record window on the
 * output population.
 */
export function buildNetwork(
  model: LociModel,
  map: CoreMap,
  neurons: readonly NeuronParams[],
  synapses: CoreSynapses,
  capacity: Capacity,
  where: Where = {},
): Network {
  const builder = new NetworkBuilder(map.numAxons, capacity);
  for (const params of neurons) builder.addNeuron(params);
  for (let k = 0; k < synapses.source.length; k++) {
    const source = synapses.source[k];
    builder.addSynapse({
      from: source < capacity.axons ? { axon: source } : { neuron: source - capacity.axons },
      to: synapses.target[k],
      weight: synapses.weight[k],
      delay: synapses.delay[k],
      plastic: synapses.plastic[k] === 1,
    });
  }
  builder.setLearning({ ...LEARNING_OFF, ...model.learning });
  builder.setRecord({ base: map.output.first, count: map.output.size });
  return builder.build(where);
}
