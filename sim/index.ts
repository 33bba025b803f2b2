// SPDX-License-Identifier: Apache-2.0
// Public surface of the simulator layer: the core's specification, the network model and its
// file format, stimuli, the memory layout, the bit-exact, cycle-exact simulator and its outputs.

export * from "./spec.ts";
export * from "./errors.ts";
export * from "./fixed.ts";
export * from "./network.ts";
export * from "./words.ts";
export * from "./memory-layout.ts";
export { indexMemories, type CoreIndex } from "./fanout.ts";
export { Simulator, RunResult, type StepResult, type CoreState, type Counters, type RunOptions } from "./simulator.ts";
export { renderSpecHeader, SPEC_HEADER_PATH } from "./spec-header.ts";
export { Random } from "./random.ts";
export {
  NETWORK_FORMAT,
  NETWORK_VERSION,
  formatNetwork,
  parseNetwork,
  readNetworkFile,
  writeNetworkFile,
} from "./network-file.ts";
export {
  InputSchedule,
  MAX_STIMULUS_STEPS,
  STIMULUS_FORMAT,
  STIMULUS_VERSION,
  bernoulliStimulus,
  fixedCountStimulus,
  formatStimulus,
  parseStimulus,
  readStimulusFile,
  scheduleStimulus,
  writeStimulusFile,
  type GeneratorOptions,
  type Stimulus,
  type StimulusEvent,
} from "./stimulus.ts";
export { LOADERS, NETWORK_FILE_LOADER, loadNetwork, type LoadedNetwork, type NetworkLoader } from "./load.ts";
export { VcdWriter, VCD_CYCLES_WIDTH, parseVcd, vcdValueAt, type ParsedVcd, type ProbeSource, type VcdOptions, type VcdVariable } from "./vcd.ts";
export { summarizeRun, type RunSummary } from "./run-summary.ts";
export { writeFileAtomic } from "./json-file.ts";
export {
  CORE_IMAGE_LOADER,
  CORE_IMAGE_MAGIC,
  CORE_IMAGE_VERSION,
  READOUTS,
  checkImageFits,
  decodeCoreImage,
  encodeCoreImage,
  inputChannelAxons,
  isCoreImage,
  outputNeurons,
  type DecodedCoreImage,
  type ImageMeta,
  type ImagePopulation,
  type ImageRequirements,
  type InputEncoding,
  type Readout,
} from "./core-image.ts";
