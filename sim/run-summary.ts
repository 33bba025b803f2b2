// SPDX-License-Identifier: Apache-2.0
// Totals of a simulation run in the units users ask about: spikes, events, clock cycles and the
// steps per second the board would reach at its core clock (from the cycle model).

import { DEFAULT_CORE_CLOCK_HZ } from "./spec.ts";
import type { RunResult } from "./simulator.ts";

/** Summary of one run. */
export interface RunSummary {
  /** Steps run. */
  readonly steps: number;
  /** Spikes of all neurons. */
  readonly spikes: number;
  /** Spikes inside the record window (what the board streams to the host). */
  readonly outputEvents: number;
  /** Input events delivered. */
  readonly inputEvents: number;
  /** Synaptic events delivered (phase C). */
  readonly synapticEvents: number;
  /** Clock cycles of all steps (cycle model, stalls excluded). */
  readonly totalCycles: number;
  /** Mean and largest cycles of one step. */
  readonly meanCyclesPerStep: number;
  readonly maxCyclesPerStep: number;
  /** Core clock the prediction assumes (Hz; default 24 MHz). */
  readonly clockHz: number;
  /** Steps per second the core reaches at `clockHz` (stalls excluded). */
  readonly predictedStepsPerSecond: number;
  /** Wall-clock time of the simulation on this host (seconds). */
  readonly wallSeconds: number;
}

/** Summarise a run. `wallSeconds` is the host time it took; `clockHz` defaults to 24 MHz. */
export function summarizeRun(result: RunResult, wallSeconds: number, clockHz: number = DEFAULT_CORE_CLOCK_HZ): RunSummary {
  let max = 0;
  for (const c of result.cycles) max = c > max ? c : max;
  const total = result.totals.cycles;
  return {
    steps: result.steps,
    spikes: result.totals.spikes,
    outputEvents: result.totals.outputEvents,
    inputEvents: result.totals.inputEvents,
    synapticEvents: result.totals.synapticEvents,
    totalCycles: total,
    meanCyclesPerStep: result.steps === 0 ? 0 : total / result.steps,
    maxCyclesPerStep: max,
    clockHz,
    predictedStepsPerSecond: total === 0 ? 0 : (clockHz * result.steps) / total,
    wallSeconds,
  };
}
