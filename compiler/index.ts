// SPDX-License-Identifier: Apache-2.0
// Public surface of the compiler: model file → quantize → prune → map → core image, the compile
// report, input encodings, and the float reference used to measure quantization.

export {
  MAX_DIMENSIONS,
  MAX_POPULATION_SIZE,
  MODEL_FORMAT,
  MODEL_VERSION,
  POPULATION_NAME,
  modelDigest,
  parseModel,
  populationByName,
  readModelFile,
  serializeModel,
  validateModel,
  writeModelFile,
  type Connection,
  type EventEncoding,
  type Geometry,
  type InputEncoding,
  type InputPopulation,
  type JsonValue,
  type LatencyEncoding,
  type LifNeuronModel,
  type LifPopulation,
  type LociModel,
  type ModelMetadata,
  type Population,
  type Position,
  type Projection,
  type RateEncoding,
  type Readout,
} from "./model-file.ts";
export * from "./encoding.ts";
export * from "./quantize.ts";
export { expandCandidates, MAX_CANDIDATES, type Candidates } from "./candidates.ts";
export { prune, rankKeys, rankOrder, rankOrderByComparator, suggestedSparsity, type PruneCounts, type PruneOptions, type PruneResult } from "./prune.ts";
export { buildNetwork, mapPopulations, memoryOrder, type CoreMap, type CoreSynapses, type Placement } from "./map.ts";
export { BOARDS, compileModel, type CompileOptions, type CompiledModel, type ScaleMode, type ThresholdError } from "./compile.ts";
export * from "./report.ts";
export { FloatSimulator, decayFactor, floatNetworkOf, type FloatNetwork } from "./float-model.ts";
export { compareSpikeTrains, spikeCountClass, type SpikeAgreement, type SpikeTrain } from "./spike-agreement.ts";
export { randomLayeredModel, type RandomModelOptions } from "./random-model.ts";
