// SPDX-License-Identifier: Apache-2.0
// Between a trained SpatialSnn and the model file (compiler/model-file.ts): the file carries
// positions, signs, gains, thresholds, pruning masks, the encoding and the readout; the training
// configuration that the format does not hold (layer axis, initialisation) rides in
// `metadata.training.config` so a file can be resumed or re-evaluated as it was trained.

import { MODEL_FORMAT, MODEL_VERSION, type JsonValue, type LifPopulation, type LociModel, type ModelMetadata, type Population, type Projection } from "../../compiler/model-file.ts";
import { LociError } from "../../sim/errors.ts";
import { TAU_NO_DECAY } from "../../sim/spec.ts";
import * as tf from "@tensorflow/tfjs";
import { OUTPUT_NEURON, SNN_DEFAULTS, SpatialSnn, type SpatialSnnConfig, type SpatialSnnInit } from "./spatial-snn.ts";
import type { SpaceOptions } from "./spatial-layer.ts";
import { pairwiseDistanceExact } from "./geometry.ts";

/** The training configuration stored in `metadata.training.config`. */
export interface StoredConfig {
  readonly layerAxis: boolean;
  readonly layerSpacing: number;
  readonly initSpread: number;
  readonly signSteepness: number;
  readonly surrogateSlope: number;
  readonly outputThresholdRatio: number;
}

/** Write a trained model as a model file (validated by `writeModelFile` when saved). */
export function toModelFile(model: SpatialSnn, metadata: Omit<ModelMetadata, "training"> & { training?: Record<string, JsonValue> } = {}): LociModel {
  const c = model.config;
  const layers = model.exactLayers();
  const populations: Population[] = model.populations.map((p, layer) => {
    const positions = p.positionsArray();
    const signs = p.signLogits === undefined ? {} : { signs: p.signsArray() };
    if (p.kind === "input") return { name: p.name, kind: "input", size: p.size, positions, ...signs };
    const isOutput = layer === model.populations.length - 1;
    const dyn = isOutput ? OUTPUT_NEURON : c.hiddenNeuron;
    const threshold = isOutput ? model.outputThreshold(layers) : model.thresholds(layer - 1);
    return {
      name: p.name,
      kind: "lif",
      size: p.size,
      positions,
      ...signs,
      neuron: { threshold, tauMemShift: dyn.tauMemShift, tauSynShift: dyn.tauSynShift, refractoryPeriod: dyn.refractoryPeriod, resetMode: dyn.resetMode },
    };
  });
  const projections: Projection[] = model.projections.map((proj) => {
    const mask = proj.keptPairs();
    return {
      from: proj.from.name,
      to: proj.to.name,
      gain: proj.gain(),
      ...(proj.delay.kind === "fixed" ? { fixedDelay: proj.delay.steps } : {}),
      ...(mask === undefined ? {} : { mask }),
    };
  });
  const stored: StoredConfig = {
    layerAxis: c.space.layerAxis,
    layerSpacing: c.space.layerSpacing,
    initSpread: c.space.initSpread,
    signSteepness: c.space.signSteepness,
    surrogateSlope: c.surrogateSlope,
    outputThresholdRatio: c.outputThresholdRatio,
  };
  const temperature = Math.exp(model.logTemperature.dataSync()[0]);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dimensions: c.space.dimensions,
    geometry: { minDistance: c.minDistance, velocity: c.velocity },
    populations,
    projections,
    output: "output",
    encoding: c.encoding,
    readout: "final-membrane",
    metadata: {
      ...metadata,
      training: { ...(metadata.training ?? {}), config: { ...stored }, temperature } as Record<string, JsonValue>,
    },
  };
}

function unsupported(why: string): LociError {
  return new LociError("E_USAGE", `this model file is not a layered spatial SNN that training can load: ${why}`, {
    suggestion: "Compile it (loci compile) and evaluate the core image instead.",
  });
}

function storedConfig(model: LociModel): Partial<StoredConfig> {
  const t = model.metadata?.training as { config?: Partial<StoredConfig> } | undefined;
  return t?.config ?? {};
}

/**
 * Rebuild a SpatialSnn from a model file: a chain input → LIF ... → output (the output population
 * last), one projection between neighbouring layers, equal dynamics within the hidden layers.
 */
export function fromModelFile(model: LociModel): SpatialSnn {
  const chain: Population[] = [];
  const inputs = model.populations.filter((p) => p.kind === "input");
  if (inputs.length !== 1) throw unsupported(`it has ${inputs.length} input populations (need 1)`);
  chain.push(inputs[0]);
  const used = new Set<Projection>();
  while (chain[chain.length - 1].name !== model.output) {
    const from = chain[chain.length - 1].name;
    const next = model.projections.filter((p) => p.from === from);
    if (next.length !== 1) throw unsupported(`population "${from}" has ${next.length} outgoing projections (need 1)`);
    used.add(next[0]);
    const to = model.populations.find((p) => p.name === next[0].to)!;
    if (chain.includes(to)) throw unsupported(`the projections from "${from}" loop back`);
    chain.push(to);
  }
  if (used.size !== model.projections.length) throw unsupported("it has projections outside the input → output chain");
  if ((model.readout ?? "spike-count") !== "final-membrane") throw unsupported(`readout "${model.readout ?? "spike-count"}" (training uses "final-membrane")`);
  const lifs = chain.slice(1) as LifPopulation[];
  const hidden = lifs.slice(0, -1);
  const output = lifs[lifs.length - 1];
  const o = output.neuron;
  if (o.tauMemShift !== TAU_NO_DECAY || o.tauSynShift !== OUTPUT_NEURON.tauSynShift || o.refractoryPeriod !== 0 || typeof o.threshold !== "number") {
    throw unsupported("the output population is not a non-leaking integrator (tauMemShift 15, tauSynShift 0, no refractory period, one threshold)");
  }
  const h0 = hidden[0]?.neuron;
  for (const h of hidden) {
    const n = h.neuron;
    if (n.tauMemShift !== h0.tauMemShift || n.tauSynShift !== h0.tauSynShift || n.refractoryPeriod !== h0.refractoryPeriod || n.resetMode !== h0.resetMode) {
      throw unsupported("hidden layers with different dynamics");
    }
  }
  const projs = lifs.map((to) => model.projections.find((p) => p.to === to.name)!);
  for (const p of projs) {
    if (typeof p.gain !== "number") throw unsupported(`projection ${p.from} → ${p.to} has one gain per neuron (training uses one per projection)`);
    if (p.fixedDelay !== undefined && p.fixedDelay !== 1) throw unsupported(`projection ${p.from} → ${p.to} has fixedDelay ${p.fixedDelay} (training supports 1 or distance delays)`);
    if (p.pruned !== undefined) throw unsupported(`projection ${p.from} → ${p.to} uses a "pruned" list (training writes "mask")`);
  }
  const fixed = projs.every((p) => p.fixedDelay === 1);
  if (!fixed && projs.some((p) => p.fixedDelay !== undefined)) throw unsupported("some projections have fixed delays and others distance delays");
  if (projs.some((p) => p.velocity !== undefined && p.velocity !== model.geometry.velocity)) throw unsupported("per-projection velocities");
  const stored = storedConfig(model);
  const layerAxis = stored.layerAxis ?? false;
  const space: SpaceOptions = {
    dimensions: model.dimensions,
    layerAxis,
    layerSpacing: stored.layerSpacing ?? 1,
    initSpread: stored.initSpread ?? 1,
    signSteepness: stored.signSteepness ?? SNN_DEFAULTS.space.signSteepness,
  };
  if (layerAxis) {
    chain.forEach((p, layer) => {
      if (p.positions.some((x) => x[model.dimensions - 1] !== layer * space.layerSpacing)) {
        throw unsupported(`metadata says the last coordinate is the layer axis, but population "${p.name}" is not at ${layer * space.layerSpacing} on it`);
      }
    });
  }
  // The output threshold in the file is authoritative: keep its ratio to the largest output weight.
  const lastProj = projs[projs.length - 1];
  const maxOut = maxAbsWeight(lastProj, chain[chain.length - 2], output, model.geometry.minDistance);
  const config: SpatialSnnConfig = {
    inputs: chain[0].size,
    hidden: hidden.map((h) => h.size),
    outputs: output.size,
    space,
    minDistance: model.geometry.minDistance,
    delays: fixed ? "fixed" : "distance",
    velocity: model.geometry.velocity,
    encoding: model.encoding,
    hiddenNeuron: h0 === undefined ? SNN_DEFAULTS.hiddenNeuron : { tauMemShift: h0.tauMemShift, tauSynShift: h0.tauSynShift, refractoryPeriod: h0.refractoryPeriod, resetMode: h0.resetMode },
    outputThresholdRatio: maxOut > 0 ? (o.threshold as number) / maxOut : (stored.outputThresholdRatio ?? SNN_DEFAULTS.outputThresholdRatio),
    surrogateSlope: stored.surrogateSlope ?? SNN_DEFAULTS.surrogateSlope,
    initialThreshold: 1,
  };
  const learned = (p: Population): number[][] => p.positions.map((x) => (layerAxis ? x.slice(0, -1) : [...x]));
  const init: SpatialSnnInit = {
    populations: chain.map((p) => ({ positions: learned(p), ...(p.signs === undefined ? {} : { signs: p.signs }) })),
    gains: projs.map((p) => p.gain as number),
    thresholds: hidden.map((h) => (typeof h.neuron.threshold === "number" ? new Array<number>(h.size).fill(h.neuron.threshold) : [...h.neuron.threshold])),
    temperature: (model.metadata?.training as { temperature?: number } | undefined)?.temperature ?? 10,
  };
  const snn = new SpatialSnn(config, 1, init);
  projs.forEach((p, k) => {
    if (p.mask === undefined) return;
    const proj = snn.projections[k];
    const m = new Float32Array(proj.from.size * proj.to.size);
    for (const [i, j] of p.mask) m[i * proj.to.size + j] = 1;
    proj.setMask(tf.tensor2d(m, [proj.from.size, proj.to.size]));
  });
  return snn;
}

/** Largest |w| of a projection's existing synapses (float64, as the compiler computes it). */
function maxAbsWeight(proj: Projection, from: Population, to: Population, minDistance: number): number {
  const d = pairwiseDistanceExact(from.positions, to.positions);
  const gain = proj.gain as number;
  let max = 0;
  const visit = (i: number, j: number): void => {
    max = Math.max(max, gain / Math.max(d[i * to.size + j], minDistance));
  };
  if (proj.mask !== undefined) for (const [i, j] of proj.mask) visit(i, j);
  else for (let i = 0; i < from.size; i++) for (let j = 0; j < to.size; j++) visit(i, j);
  return max;
}
