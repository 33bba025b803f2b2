// SPDX-License-Identifier: Apache-2.0
// Seeded random layered models (input → hidden → output, positions in d-D) for tests and benchmarks:
// the same seed gives the same model on every machine.

import { Random } from "../sim/random.ts";
import type { ResetMode } from "../sim/spec.ts";
import type { InputEncoding, LociModel, Position } from "./model-file.ts";

/** Shape and parameters of a random layered model. */
export interface RandomModelOptions {
  readonly seed?: number;
  /** Input channels (default 784). */
  readonly inputs?: number;
  /** Hidden LIF neurons (default 100). */
  readonly hidden?: number;
  /** Output LIF neurons (default 10). */
  readonly outputs?: number;
  /** Dimensions of positions (default 3; coordinate 0 is the layer index, as in Erb et al.). */
  readonly dimensions?: number;
  /** Spread of the other coordinates (distance units, default 2). */
  readonly spread?: number;
  /** Hidden threshold (float weight units, default 4). */
  readonly hiddenThreshold?: number;
  /** Output threshold (default 2). */
  readonly outputThreshold?: number;
  /** Conduction velocity (default 0.25 distance units per step). */
  readonly velocity?: number;
  /** Minimum distance (default 0.1). */
  readonly minDistance?: number;
  /** Add a recurrent hidden → hidden projection (default false). */
  readonly recurrent?: boolean;
  readonly tauMemShift?: number;
  readonly tauSynShift?: number;
  readonly refractoryPeriod?: number;
  readonly resetMode?: ResetMode;
  readonly encoding?: InputEncoding;
}

/** A random layered model: positions uniform in a box per layer, random signs, gain 1. */
export function randomLayeredModel(options: RandomModelOptions = {}): LociModel {
  const rng = new Random(options.seed ?? 1);
  const dims = options.dimensions ?? 3;
  const spread = options.spread ?? 2;
  const positions = (count: number, layer: number): Position[] =>
    Array.from({ length: count }, () => Array.from({ length: dims }, (_, c) => (c === 0 ? layer : 0) + (c === 0 && dims > 1 ? 0 : rng.nextFloat() * spread)));
  const signs = (count: number): number[] => Array.from({ length: count }, () => (rng.nextInt(2) === 0 ? 1 : -1));
  const neuron = (threshold: number) => ({
    threshold,
    tauMemShift: options.tauMemShift ?? 3,
    tauSynShift: options.tauSynShift ?? 1,
    refractoryPeriod: options.refractoryPeriod ?? 1,
    resetMode: options.resetMode ?? ("zero" as ResetMode),
  });
  const inputs = options.inputs ?? 784;
  const hidden = options.hidden ?? 100;
  const outputs = options.outputs ?? 10;
  return {
    format: "loci-model",
    version: 1,
    dimensions: dims,
    geometry: { minDistance: options.minDistance ?? 0.1, velocity: options.velocity ?? 0.25 },
    populations: [
      { name: "input", kind: "input", size: inputs, positions: positions(inputs, 0), signs: signs(inputs) },
      { name: "hidden", kind: "lif", size: hidden, positions: positions(hidden, 1), signs: signs(hidden), neuron: neuron(options.hiddenThreshold ?? 4) },
      { name: "output", kind: "lif", size: outputs, positions: positions(outputs, 2), neuron: neuron(options.outputThreshold ?? 2) },
    ],
    projections: [
      { from: "input", to: "hidden", gain: 1 },
      { from: "hidden", to: "output", gain: 1 },
      ...(options.recurrent === true ? [{ from: "hidden", to: "hidden", gain: 0.5 }] : []),
    ],
    output: "output",
    encoding: options.encoding ?? { kind: "rate", steps: 32, maxRate: 0.5 },
    metadata: { name: `random-${inputs}-${hidden}-${outputs}-d${dims}-s${options.seed ?? 1}`, description: "seeded random layered model (compiler/random-model.ts)" },
  };
}
