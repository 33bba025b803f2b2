// SPDX-License-Identifier: Apache-2.0
// ABORT, frame by frame (docs/protocol.md §7.5), for any board: the sim model, the virtual board
// with the core stand-in, the virtual board with the real core. Each case sends RUN, INPUT and
// ABORT itself (Board.run sends input ahead, so it cannot place an ABORT exactly) and drains the
// output, so a test can assert that only the step in progress completed.

import { Board } from "../../host/driver/board.ts";
import { EventWordParser } from "../../host/driver/event-words.ts";
import { payloadOf, wordsToBytes } from "../../host/driver/frame.ts";
import { COUNTER_REG, MEMORY } from "../../host/driver/memory-map.ts";
import { OP, RUN_FIELDS, RUN_STATE } from "../../host/driver/protocol.ts";

/** What an aborted run left. */
export interface AbortOutcome {
  /** Recorded spikes per step of the output stream (its length: the step ends it carries). */
  readonly spikes: (readonly number[])[];
  /** COUNTERS.steps after minus before. */
  readonly stepsRan: number;
  /** STATUS.state after the drain. */
  readonly state: number;
}

const STEP_END = 0x8000;

async function stepsCounter(board: Board): Promise<number> {
  return (await board.readMemory(MEMORY.COUNTERS, COUNTER_REG.steps, 1))[0];
}

/** POLL until the board is idle and holds no output word; the stream's steps. */
async function drain(board: Board, numNeurons: number): Promise<(readonly number[])[]> {
  const parser = new EventWordParser({ indexLimit: numNeurons });
  const spikes: (readonly number[])[] = [];
  let taken = 0;
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const idle = (await board.status()).state === RUN_STATE.idle;
    const words = await board.poll(taken);
    taken = words?.length ?? 0;
    if (words !== undefined && words.length > 0) parser.take(words, (_step, ids) => spikes.push(ids));
    if (idle && words !== undefined && words.length === 0) return spikes;
  }
  throw new Error("the aborted run did not end");
}

/** Wait until COUNTERS.steps reaches `steps` (readable during a run). */
async function waitForSteps(board: Board, steps: number): Promise<void> {
  for (let rounds = 0; rounds < 10_000; rounds++) {
    if ((await stepsCounter(board)) >= steps) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the board did not reach step ${steps}`);
}

/**
 * RUN 10 steps, INPUT `axons` without a step end (step 0 waits for the rest), ABORT: step 0
 * completes with those events, and nothing else runs.
 */
export async function abortPartialStep(board: Board, axons: readonly number[], numNeurons: number): Promise<AbortOutcome> {
  const before = await stepsCounter(board);
  await board.link.request(OP.RUN, payloadOf(RUN_FIELDS, { steps: 10 }));
  await board.link.request(OP.INPUT, wordsToBytes(axons));
  await board.link.request(OP.ABORT);
  const spikes = await drain(board, numNeurons);
  return { spikes, stepsRan: (await stepsCounter(board)) - before, state: (await board.status()).state };
}

/**
 * RUN 100 steps; step 0 with `first` (its output must fill the output buffer but for fewer words
 * than step 1 writes, so the core stalls in step 1); once step 0 has ended, the complete input of
 * steps 1..4 (step 1: `second`; steps 2..4: axon `later`); ABORT while the core is held in step 1
 * by the full output buffer. Only step 1 completes: steps 2..4 are discarded although their input
 * is complete.
 */
export async function abortWithQueuedSteps(
  board: Board,
  first: readonly number[],
  second: readonly number[],
  later: number,
  numNeurons: number,
): Promise<AbortOutcome> {
  const before = await stepsCounter(board);
  await board.link.request(OP.RUN, payloadOf(RUN_FIELDS, { steps: 100 }));
  const send = async (words: readonly number[]): Promise<void> => {
    const per = Math.floor(board.link.maxPayload / 2);
    for (let i = 0; i < words.length; i += per) await board.link.request(OP.INPUT, wordsToBytes(words.slice(i, i + per)));
  };
  await send([...first, STEP_END | 1]);
  await waitForSteps(board, before + 1);
  await send([...second, STEP_END | 1, later, STEP_END | 1, later, STEP_END | 1, later, STEP_END | 1]);
  await board.link.request(OP.ABORT);
  const spikes = await drain(board, numNeurons);
  return { spikes, stepsRan: (await stepsCounter(board)) - before, state: (await board.status()).state };
}
