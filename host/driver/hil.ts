// SPDX-License-Identifier: Apache-2.0
// Hardware in the loop: run the same stimuli on a board and on the golden simulator and compare,
// exactly, every recorded output spike, the read-back state (membranes, currents, refractory
// counters, traces, ring, learned weights) and the cycle counters. Used by `loci hil`, `loci demo`
// and the hil test suites.

import type { CoreMemories } from "../../sim/memory-layout.ts";
import { Simulator, type CoreState } from "../../sim/simulator.ts";
import type { InputSchedule } from "../../sim/stimulus.ts";
import type { Board, BoardCounters } from "./board.ts";

/** One disagreement between board and simulator. */
export interface HilMismatch {
  readonly case: number;
  /** What differs: "spikes", "state.membrane", "counters.cycles", ... */
  readonly what: string;
  /** Step (spikes) or index (state arrays). */
  readonly at?: number;
  readonly board: unknown;
  readonly sim: unknown;
}

/** What one hil run measured. */
export interface HilResult {
  readonly cases: number;
  readonly mismatches: number;
  readonly steps: number;
  /** Recorded output spikes compared. */
  readonly spikes: number;
  /** Core clock cycles compared (the simulator's count). */
  readonly cycles: number;
  /** The first disagreements (at most 20). */
  readonly first: HilMismatch[];
}

/** What a case hands to `onCase`: the board's read-back state after the case, and its counts. */
export interface HilCase {
  readonly index: number;
  /** Mismatches so far, this case included. */
  readonly mismatches: number;
  /** The board's state after the case (equal to the simulator's when the case has no mismatch). */
  readonly state: CoreState;
  /** Recorded output spikes of the case, per step. */
  readonly spikes: readonly (readonly number[])[];
  /** Core clock cycles of the case. */
  readonly cycles: number;
}

const STATE_FIELDS = ["membrane", "current", "refractory", "neuronTrace", "axonTrace", "weights", "ring"] as const;
const MAX_REPORTED = 20;

/** Compare two state snapshots field by field; pushes one mismatch per differing field (its first index). Returns the count of differing values. */
export function compareStates(caseIndex: number, board: CoreState, sim: CoreState, out: HilMismatch[]): number {
  let count = 0;
  if (board.step !== sim.step) {
    out.push({ case: caseIndex, what: "state.step", board: board.step, sim: sim.step });
    count++;
  }
  for (const key of STATE_FIELDS) {
    const a = board[key];
    const b = sim[key];
    if (a.length !== b.length) {
      out.push({ case: caseIndex, what: `state.${key}.length`, board: a.length, sim: b.length });
      count++;
      continue;
    }
    let first = -1;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        if (first < 0) first = i;
        n++;
      }
    }
    if (n > 0) {
      out.push({ case: caseIndex, what: `state.${key}`, at: first, board: a[first], sim: b[first] });
      count += n;
    }
  }
  return count;
}

/** Run one case from reset on both sides and compare. */
async function runCase(index: number, board: Board, sim: Simulator, schedule: InputSchedule, numSynapses: number, out: HilMismatch[]): Promise<{ mismatches: number; spikes: number; cycles: number; state: CoreState; got: readonly (readonly number[])[] }> {
  await board.reset();
  sim.reset();
  const base = sim.memories.config.recordBase;
  const count = sim.memories.config.recordCount;
  const cyclesBefore = sim.counters().cycles;
  const result = await board.run(schedule.steps, (t) => schedule.at(t));
  let mismatches = 0;
  let lastCycles = 0;
  let spikes = 0;
  for (let t = 0; t < schedule.steps; t++) {
    const r = sim.stepOnce(schedule.at(t));
    lastCycles = r.cycles;
    const expected = Array.from(r.spikes).filter((j) => j >= base && j < base + count);
    spikes += expected.length;
    const got = result.spikes[t] ?? [];
    if (got.length !== expected.length || got.some((j, i) => j !== expected[i])) {
      if (out.length < MAX_REPORTED) out.push({ case: index, what: "spikes", at: t, board: got, sim: expected });
      mismatches++;
    }
  }
  const state = await board.readState(sim.numNeurons, sim.numAxons, numSynapses);
  mismatches += compareStates(index, state, sim.snapshot(), out);
  const bc: BoardCounters = await board.counters();
  const sc = sim.counters();
  const expected: Partial<Record<keyof BoardCounters, number>> = {
    steps: sim.step,
    cycles: sc.cycles % 2 ** 32,
    lastStepCycles: lastCycles,
    spikes: sc.spikes,
    inputEvents: sc.inputEvents,
    synapticEvents: sc.synapticEvents,
  };
  for (const [k, v] of Object.entries(expected) as [keyof BoardCounters, number][]) {
    if (bc[k] !== v) {
      out.push({ case: index, what: `counters.${k}`, board: bc[k], sim: v });
      mismatches++;
    }
  }
  return { mismatches, spikes, cycles: sc.cycles - cyclesBefore, state, got: result.spikes };
}

/**
 * Run every case on a board that holds `memories` and on a simulator loaded from them; compare.
 * Each case starts with RESET on both sides; RESET keeps parameters and weights, so weights
 * learned by STDP carry over from case to case on both sides alike.
 */
export async function hilOnBoard(board: Board, memories: CoreMemories, stimuli: readonly InputSchedule[], onCase?: (c: HilCase) => void): Promise<HilResult> {
  const sim = new Simulator(memories);
  const out: HilMismatch[] = [];
  let mismatches = 0;
  let steps = 0;
  let spikes = 0;
  let cycles = 0;
  for (let c = 0; c < stimuli.length; c++) {
    const r = await runCase(c, board, sim, stimuli[c], memories.synapseLow.length, out);
    mismatches += r.mismatches;
    steps += stimuli[c].steps;
    spikes += r.spikes;
    cycles += r.cycles;
    onCase?.({ index: c, mismatches, state: r.state, spikes: r.got, cycles: r.cycles });
  }
  return { cases: stimuli.length, mismatches, steps, spikes, cycles, first: out.slice(0, MAX_REPORTED) };
}
