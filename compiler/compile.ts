// SPDX-License-Identifier: Apache-2.0
// The compiler pipeline: model → candidate synapses → scales and quantization → pruning → mapping
// → validated network → core image. Deterministic: the same model and options give the same bytes.

import { encodeCoreImage, type ImageMeta } from "../sim/core-image.ts";
import { CapacityError, RangeValueError } from "../sim/errors.ts";
import type { Network, NeuronParams } from "../sim/network.ts";
import { UP5K_CAPACITY, type Capacity } from "../sim/spec.ts";
import type { Where } from "../sim/validate.ts";
import { expandCandidates } from "./candidates.ts";
import { buildNetwork, formatCount, mapPopulations, memoryOrder, type CoreMap, type CoreSynapses } from "./map.ts";
import { modelDigest, type LociModel } from "./model-file.ts";
import { prune, rankKeys, suggestedSparsity, type PruneResult } from "./prune.ts";
import {
  DEFAULT_HEADROOM,
  DelayErrorMeter,
  WeightErrorMeter,
  quantizeThreshold,
  quantizeWeight,
  weightScaleFor,
  weightShiftFor,
  type DelayError,
  type PopulationScale,
  type WeightError,
} from "./quantize.ts";

/** How weights are scaled: one scale per target population (default) or one for the whole core. */
export type ScaleMode = "population" | "core";

/** Options of `compileModel`. */
export interface CompileOptions {
  /** The core to compile for (default: the iCE40UP5K build, `UP5K_CAPACITY`). */
  readonly capacity?: Capacity;
  /** Board name for messages and suggestions (default "icebreaker" for the UP5K capacity). */
  readonly boardName?: string;
  /** Prune just enough to fit the capacity (synapses and fan-in). Default false: error when it does not fit. */
  readonly fit?: boolean;
  /** Fraction of candidate synapses to remove, 0..1 (default 0). */
  readonly sparsity?: number;
  /** Default "population". */
  readonly scale?: ScaleMode;
  /** Thresholds of headroom in the 16-bit membrane and current (≥ 1, default 4). */
  readonly headroom?: number;
  /** For error messages: the model file. */
  readonly where?: Where;
}

/** Threshold quantization error. */
export interface ThresholdError {
  /** Largest |T / (S · 2^k) − θ| / θ over all neurons. */
  readonly maxRelative: number;
  /** Thresholds clamped to 1 or 32767. */
  readonly clamped: number;
}

/** Everything the compiler produced. */
export interface CompiledModel {
  readonly model: LociModel;
  readonly options: Required<Omit<CompileOptions, "where" | "boardName">> & { readonly boardName: string | undefined };
  readonly map: CoreMap;
  /** Scale of each model population (undefined for input populations), in model order. */
  readonly scales: readonly (PopulationScale | undefined)[];
  readonly network: Network;
  readonly meta: ImageMeta;
  /** The core image bytes. */
  readonly image: Uint8Array;
  /** Candidate synapses before pruning. */
  readonly candidates: number;
  readonly pruning: PruneResult;
  /** The float weight of each network synapse, in memory order. */
  readonly floatWeights: Float64Array;
  /** The float threshold of each core neuron. */
  readonly floatThresholds: Float64Array;
  readonly quantization: { readonly weights: WeightError; readonly delays: DelayError; readonly thresholds: ThresholdError };
}

/** Board names `--fit` accepts, with their capacities. */
export const BOARDS: Readonly<Record<string, Capacity>> = Object.freeze({ icebreaker: UP5K_CAPACITY });

function thresholdsOf(threshold: number | readonly number[], size: number): readonly number[] {
  return typeof threshold === "number" ? Array.from({ length: size }, () => threshold) : threshold;
}

/** Scales per model population: per population, or the smallest one for all (`core`). */
function chooseScales(model: LociModel, maxAbs: Float64Array, mode: ScaleMode, headroom: number): (PopulationScale | undefined)[] {
  const maxThreshold = model.populations.map((p) => (p.kind === "lif" ? Math.max(...thresholdsOf(p.neuron.threshold, p.size)) : 0));
  const own = model.populations.map((p, i) => (p.kind === "lif" ? weightScaleFor(maxAbs[i], maxThreshold[i], headroom) : undefined));
  if (mode === "population") return own;
  const shared = Math.min(...own.map((s) => s?.weightScale ?? Infinity));
  return own.map((s, i) => (s === undefined ? undefined : { weightScale: shared, weightShift: weightShiftFor(maxThreshold[i] * shared, headroom), thresholdLimited: s.thresholdLimited }));
}

/**
 * Compile a validated model for a core. Throws a CapacityError (with the sparsity or `--fit` that
 * would make it fit) when the result does not fit and `fit` is off.
 */
export function compileModel(model: LociModel, options: CompileOptions = {}): CompiledModel {
  const where = options.where ?? {};
  const capacity = options.capacity ?? UP5K_CAPACITY;
  const boardName = options.boardName ?? (capacity === UP5K_CAPACITY ? "icebreaker" : undefined);
  const sparsity = options.sparsity ?? 0;
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeValueError("sparsity", sparsity, "a number 0..1", where);
  const headroom = options.headroom ?? DEFAULT_HEADROOM;
  if (!(headroom >= 1 && Number.isFinite(headroom))) throw new RangeValueError("headroom", headroom, "a finite number >= 1", where);
  const scaleMode = options.scale ?? "population";
  const fit = options.fit ?? false;

  const map = mapPopulations(model, capacity, where);
  const cand = expandCandidates(model, where);
  const n = cand.count;
  const popIndex = new Map(model.populations.map((p, i) => [p.name, i]));
  const projTo = Int32Array.from(model.projections, (p) => popIndex.get(p.to)!);
  const projFrom = Int32Array.from(model.projections, (p) => popIndex.get(p.from)!);

  // Largest |w| into each population, then the scales.
  const maxAbs = new Float64Array(model.populations.length);
  for (let k = 0; k < n; k++) {
    const p = projTo[cand.projection[k]];
    const a = Math.abs(cand.weight[k]);
    if (a > maxAbs[p]) maxAbs[p] = a;
  }
  const scales = chooseScales(model, maxAbs, scaleMode, headroom);

  // Core numbering, integer weights, rank keys.
  const targetPop = new Int32Array(n);
  const target = new Int32Array(n);
  const source = new Int32Array(n);
  const quantized = new Int8Array(n);
  const plastic = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const proj = cand.projection[k];
    const to = projTo[proj];
    const from = map.placements[projFrom[proj]];
    targetPop[k] = to;
    target[k] = map.placements[to].first + cand.post[k];
    source[k] = from.kind === "input" ? from.first + cand.pre[k] : capacity.axons + from.first + cand.pre[k];
    quantized[k] = quantizeWeight(cand.weight[k], scales[to]!.weightScale);
    plastic[k] = model.projections[proj].plastic === true ? 1 : 0;
  }
  const keys = rankKeys(cand.weight, targetPop, maxAbs);
  const pruning = prune(
    { keys, weight: cand.weight, quantized, plastic, target, projection: cand.projection, projections: model.projections.length },
    { sparsity, ...(fit ? { fit: { synapses: capacity.synapses, maxFanIn: capacity.maxFanIn } } : {}) },
  );
  if (!fit) checkFits(pruning, n, capacity, boardName, map, where);

  // Kept synapses in memory order, with their float weights; error meters.
  const keptIdx = Int32Array.from({ length: pruning.total.kept });
  for (let k = 0, m = 0; k < n; k++) if (pruning.keep[k] === 1) keptIdx[m++] = k;
  const order = memoryOrder({ source: Int32Array.from(keptIdx, (k) => source[k]), target: Int32Array.from(keptIdx, (k) => target[k]) });
  const inMemory = Int32Array.from(order, (m) => keptIdx[m]);
  const synapses: CoreSynapses = {
    source: Int32Array.from(inMemory, (k) => source[k]),
    target: Int32Array.from(inMemory, (k) => target[k]),
    weight: Int8Array.from(inMemory, (k) => quantized[k]),
    delay: Uint8Array.from(inMemory, (k) => cand.delay[k]),
    plastic: Uint8Array.from(inMemory, (k) => plastic[k]),
  };
  const floatWeights = Float64Array.from(inMemory, (k) => cand.weight[k]);
  const weightMeter = new WeightErrorMeter();
  const delayMeter = new DelayErrorMeter();
  for (const k of inMemory) {
    const p = targetPop[k];
    weightMeter.add(cand.weight[k], quantized[k], scales[p]!.weightScale, maxAbs[p]);
    if (!Number.isNaN(cand.exactDelay[k])) delayMeter.add(cand.exactDelay[k], cand.delay[k]);
  }

  // Neurons in core order.
  const neurons: NeuronParams[] = new Array<NeuronParams>(map.numNeurons);
  const floatThresholds = new Float64Array(map.numNeurons);
  let maxThresholdRel = 0;
  let thresholdClamped = 0;
  for (const place of map.placements) {
    const pop = model.populations[place.population];
    if (pop.kind !== "lif") continue;
    const { weightScale, weightShift } = scales[place.population]!;
    thresholdsOf(pop.neuron.threshold, pop.size).forEach((theta, m) => {
      const threshold = quantizeThreshold(theta, weightScale, weightShift);
      const exact = theta * weightScale * 2 ** weightShift;
      if (Math.round(exact) !== threshold) thresholdClamped++;
      maxThresholdRel = Math.max(maxThresholdRel, Math.abs(threshold - exact) / exact);
      floatThresholds[place.first + m] = theta;
      neurons[place.first + m] = {
        threshold,
        tauMemShift: pop.neuron.tauMemShift,
        tauSynShift: pop.neuron.tauSynShift,
        refractoryPeriod: pop.neuron.refractoryPeriod,
        weightShift,
        resetMode: pop.neuron.resetMode,
      };
    });
  }
  const network = buildNetwork(model, map, neurons, synapses, capacity, where);
  const meta: ImageMeta = {
    model: { ...(model.metadata?.name === undefined ? {} : { name: model.metadata.name }), digest: modelDigest(model) },
    populations: map.placements.map((p) => {
      const s = scales[p.population];
      return { name: p.name, kind: p.kind, first: p.first, size: p.size, ...(s === undefined ? {} : { weightScale: s.weightScale, weightShift: s.weightShift }) };
    }),
    output: model.output,
    encoding: model.encoding,
    readout: model.readout ?? "spike-count",
  };
  return {
    model,
    options: { capacity, boardName, fit, sparsity, scale: scaleMode, headroom },
    map,
    scales,
    network,
    meta,
    image: encodeCoreImage(network, meta),
    candidates: n,
    pruning,
    floatWeights,
    floatThresholds,
    quantization: {
      weights: weightMeter.result(),
      delays: delayMeter.result(),
      thresholds: { maxRelative: maxThresholdRel, clamped: thresholdClamped },
    },
  };
}

/** Without --fit: a synapse count or fan-in beyond the core is an error that says how to fix it. */
function checkFits(pruning: PruneResult, candidates: number, capacity: Capacity, boardName: string | undefined, map: CoreMap, where: Where): void {
  const fitFlag = `--fit ${boardName ?? "<board>"}`;
  const kept = pruning.total.kept;
  if (kept > capacity.synapses) {
    const s = suggestedSparsity(candidates, capacity.synapses);
    throw new CapacityError(
      `the model needs ${formatCount(kept)} synapses (of ${formatCount(candidates)} candidates), the core holds ${formatCount(capacity.synapses)}: add --sparsity ${s.toFixed(2)} or ${fitFlag}`,
      {
        context: { ...where, field: "synapses", value: kept, allowed: `0..${capacity.synapses}` },
        suggestion: `--sparsity ${s.toFixed(2)} removes the ${formatCount(Math.round(s * candidates))} weakest (longest) candidates; ${fitFlag} removes just enough.`,
      },
    );
  }
  if (pruning.maxFanIn > capacity.maxFanIn) {
    throw new CapacityError(
      `a neuron receives ${formatCount(pruning.maxFanIn)} synapses, the core allows ${formatCount(capacity.maxFanIn)} per neuron (${map.numNeurons} neurons): add ${fitFlag}`,
      {
        context: { ...where, field: "fanIn", value: pruning.maxFanIn, allowed: `0..${capacity.maxFanIn}` },
        suggestion: `${fitFlag} keeps the ${formatCount(capacity.maxFanIn)} strongest synapses into each neuron.`,
      },
    );
  }
}
