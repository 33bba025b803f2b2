// SPDX-License-Identifier: Apache-2.0
// Public surface of the simulator layer: the core's specification, the network model, the
// memory layout and the bit-exact, cycle-exact simulator.

export * from "./spec.ts";
export * from "./errors.ts";
export * from "./fixed.ts";
export * from "./network.ts";
export * from "./words.ts";
export * from "./memory-layout.ts";
export { indexMemories, type CoreIndex } from "./fanout.ts";
export { Simulator, type StepResult, type CoreState, type Counters } from "./simulator.ts";
export { renderSpecHeader, SPEC_HEADER_PATH } from "./spec-header.ts";
