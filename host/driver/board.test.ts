// SPDX-License-Identifier: Apache-2.0
// The high-level Board on the sim transport: runs longer than the input buffer (credits),
// output under backpressure, aborting a run, capacity checks and the step counter across runs.

import { describe, expect, it } from "vitest";
import { layoutMemories } from "../../sim/memory-layout.ts";
import { Simulator } from "../../sim/simulator.ts";
import { UP5K_CAPACITY } from "../../sim/spec.ts";
import { abortPartialStep, abortWithQueuedSteps } from "../../test/hil/abort-cases.ts";
import { randomNetwork } from "../../test/hil/random-network.ts";
import { Board } from "./board.ts";
import { FaultyTransport } from "./fault-injection.ts";
import { SimTransport } from "./sim-transport.ts";
import { performance } from "node:perf_hooks";
import { encodeFrame, payloadOf } from "./frame.ts";
import { CONFIG_REG, MEMORY } from "./memory-map.ts";
import { FrameReceiver } from "./frame-splitter.ts";
import { OP, RUN_FIELDS, RUN_STATE, STATUS_CODE } from "./protocol.ts";
import type { CloseListener, DataListener, Transport } from "./transport.ts";

const net = randomNetwork({ neurons: 64, axons: 64, synapses: 1500, seed: 17 });
const mem = layoutMemories(net);
const busy = (t: number): number[] => Array.from({ length: 40 }, (_, k) => (t * 13 + k * 7) % 64).filter((a, i, all) => all.indexOf(a) === i);

/**
 * Wraps a transport: counts the host's frames by TYPE, and until `emptyUntil` (performance.now()
 * ms) turns the board's POLL answers into empty ones. The board keeps the words (the host
 * takes 0 of an empty answer), so the run is delayed, not changed (docs/protocol.md §7.4).
 */
class EmptyPollTransport implements Transport {
  readonly sent = new Map<number, number>();
  emptyUntil = 0;
  /** Rewrite the next INPUT frame's first word into a step end with k = 0 (the board: RANGE). */
  spoilNextInput = false;
  private readonly pollSeqs = new Set<number>();
  private readonly rx = new FrameReceiver();
  constructor(readonly inner: Transport) {}
  get description(): string {
    return `empty-poll:${this.inner.description}`;
  }
  get baud(): number {
    return this.inner.baud;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  open(): Promise<void> {
    return this.inner.open();
  }
  write(bytes: Uint8Array): Promise<void> {
    this.sent.set(bytes[2], (this.sent.get(bytes[2]) ?? 0) + 1);
    if (bytes[2] === OP.POLL) this.pollSeqs.add(bytes[3]);
    if (bytes[2] === OP.INPUT && this.spoilNextInput) {
      this.spoilNextInput = false;
      const payload = bytes.slice(6, bytes.length - 2);
      payload[0] = 0x00;
      payload[1] = 0x80;
      return this.inner.write(encodeFrame(bytes[2], bytes[3], payload));
    }
    return this.inner.write(bytes);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  onData(listener: DataListener): () => void {
    return this.inner.onData((chunk) => {
      for (const r of this.rx.push(chunk)) {
        if (!("frame" in r)) throw new Error("the sim line damaged a frame");
        const { type, seq, payload } = r.frame;
        const isPoll = type === 0x80 && this.pollSeqs.delete(seq);
        listener(encodeFrame(type, seq, isPoll && performance.now() < this.emptyUntil ? new Uint8Array(0) : payload));
      }
    });
  }
  onClose(listener: CloseListener): () => void {
    return this.inner.onClose(listener);
  }
}

/** A flashed board on the sim transport behind an EmptyPollTransport. */
async function openGated(): Promise<{ gate: EmptyPollTransport; board: Board }> {
  const gate = new EmptyPollTransport(new SimTransport({ baud: Infinity }));
  const board = await Board.open(gate);
  await board.flash(mem);
  return { gate, board };
}

describe("Board", () => {
  it("streams input far beyond the input buffer under credits, and output beyond the output buffer", async () => {
    const t = new SimTransport({ baud: Infinity, inputBufferWords: 64, outputBufferWords: 40 });
    const board = await Board.open(t);
    await board.flash(mem);
    const result = await board.run(150, busy);
    const sim = new Simulator(mem);
    let outputWords = 0;
    for (let s = 0; s < 150; s++) {
      const spikes = Array.from(sim.stepOnce(busy(s)).spikes);
      expect(result.spikes[s], `step ${s}`).toEqual(spikes);
      outputWords += spikes.length > 0 ? spikes.length + 1 : 0;
    }
    expect(result.inputWords).toBeGreaterThan(150 * 30);
    expect(result.outputWords).toBeGreaterThanOrEqual(outputWords);
    await board.close();
  });

  it("continues the step counter across runs and restarts it after RESET", async () => {
    const board = await Board.open(new SimTransport({ baud: Infinity }));
    await board.flash(mem);
    const a = await board.run(10, () => [1]);
    const b = await board.run(5, () => []);
    expect([a.startStep, b.startStep]).toEqual([0, 10]);
    await board.reset();
    expect((await board.run(3, () => [])).startStep).toBe(0);
    await board.close();
  });

  it("aborts a run: the board finishes the step in progress, reports exactly what ran, and stays usable", async () => {
    const early = new AbortController();
    early.abort();
    const board = await Board.open(new SimTransport({ baud: 1_000_000 }));
    await board.flash(mem);
    const ac = new AbortController();
    const result = await board.run(5000, busy, { signal: ac.signal, onProgress: (done) => done >= 5 && ac.abort() });
    expect(result.steps).toBeGreaterThan(0);
    expect(result.steps).toBeLessThan(5000);
    expect((await board.counters()).steps).toBe(result.steps);
    expect((await board.status()).state).toBe(0);
    const after = await board.run(4, () => [2]);
    expect(after.startStep).toBe(result.steps);
    // Aborted before it started: nothing runs.
    expect((await board.run(10, () => [], { signal: early.signal })).steps).toBe(0);
    expect((await board.status()).state).toBe(0);
    await board.close();
  });

  it("paces POLL after empty answers (1 ms more per empty answer in a row, at most 20 ms)", async () => {
    const { gate, board } = await openGated();
    const polls0 = gate.sent.get(OP.POLL) ?? 0;
    gate.emptyUntil = performance.now() + 200;
    const result = await board.run(3, () => [1]);
    expect(result.steps).toBe(3);
    // For 200 ms every answer is empty: paced, the pauses are 1 + 2 + ... + 19 ms (190 ms) and
    // then 20 ms each, so about 20 POLLs (fewer on a slow machine); unpaced, hundreds.
    const polls = (gate.sent.get(OP.POLL) ?? 0) - polls0;
    expect(polls).toBeGreaterThan(1);
    expect(polls).toBeLessThan(40);
    await board.close();
  });

  it("aborts the run when it fails after RUN (an INPUT refused with RANGE): the board is idle and usable after it", async () => {
    const { gate, board } = await openGated();
    gate.spoilNextInput = true;
    await expect(board.run(20, () => [1])).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.RANGE });
    expect(gate.sent.get(OP.ABORT)).toBeGreaterThanOrEqual(1);
    expect((await board.status()).state).toBe(RUN_STATE.idle);
    const steps = (await board.counters()).steps;
    const after = await board.run(4, () => [2]);
    expect([after.startStep, after.steps]).toEqual([steps, 4]);
    await board.close();
  });

  it("refuses input axons out of range or repeated within a step before RUN goes out", async () => {
    const { gate, board } = await openGated();
    const numAxons = mem.config.numAxons;
    await expect(board.run(3, (t) => (t === 2 ? [numAxons] : [0]))).rejects.toMatchObject({
      code: "E_RANGE",
      message: expect.stringMatching(new RegExp(`step 2: input axon ${numAxons} .*0\\.\\.${numAxons - 1}`)),
      context: { step: 2, axon: numAxons, allowed: `0..${numAxons - 1}` },
    });
    await expect(board.run(3, (t) => (t === 1 ? [5, 3, 5] : []))).rejects.toMatchObject({
      code: "E_RANGE",
      message: expect.stringContaining("step 1: input axon 5 appears twice"),
      context: { step: 1, axon: 5 },
    });
    await expect(board.run(3, () => [-1])).rejects.toMatchObject({ code: "E_RANGE", context: { step: 0, axon: -1 } });
    expect(gate.sent.get(OP.RUN) ?? 0).toBe(0);
    expect((await board.run(2, () => [numAxons - 1, 0])).steps).toBe(2);
    await board.close();
  });

  it("refuses a run whose record window reaches past numNeurons (E_RANGE, no RUN sent); the model refuses that RUN with RANGE", async () => {
    const { gate, board } = await openGated();
    const n = mem.config.numNeurons;
    await board.writeMemory(MEMORY.CONFIG, CONFIG_REG.recordBase, [1, n]);
    await expect(board.run(2, () => [])).rejects.toMatchObject({ code: "E_RANGE", context: { recordBase: 1, recordCount: n, numNeurons: n } });
    expect(gate.sent.get(OP.RUN) ?? 0).toBe(0);
    await expect(board.link.request(OP.RUN, payloadOf(RUN_FIELDS, { steps: 2 }))).rejects.toMatchObject({ status: STATUS_CODE.RANGE });
    // The window exactly up to numNeurons is fine.
    await board.writeMemory(MEMORY.CONFIG, CONFIG_REG.recordBase, [1, n - 1]);
    expect((await board.run(2, () => [])).steps).toBe(2);
    await board.close();
  });

  it("fails with E_TIMEOUT when no step end arrives for progressTimeoutMs, and leaves the board idle", async () => {
    const { gate, board } = await openGated();
    gate.emptyUntil = Infinity;
    await expect(board.run(5, () => [1], { progressTimeoutMs: 100 })).rejects.toMatchObject({
      code: "E_TIMEOUT",
      message: expect.stringContaining("no progress for 100 ms (at step 0 of 5)"),
      suggestion: expect.stringContaining("progressTimeoutMs"),
    });
    gate.emptyUntil = 0;
    expect((await board.status()).state).toBe(RUN_STATE.idle);
    await board.close();
  });

  it("ABORT completes only the step in progress: with the input it has, or its whole input while later steps wait", async () => {
    const board = await Board.open(new SimTransport({ baud: Infinity, outputBufferWords: 16 }));
    await board.flash(mem);
    expect(mem.config.recordCount).toBeGreaterThan(14); // a step's worst case does not fit 15 free words
    const n = mem.config.numNeurons;
    const partial = await abortPartialStep(board, [3, 7], n);
    expect([partial.spikes.length, partial.stepsRan, partial.state]).toEqual([1, 1, RUN_STATE.idle]);
    // Step 0 leaves its end word in the output buffer: steps 1..4 wait for room; ABORT runs step 1.
    const queued = await abortWithQueuedSteps(board, [], [1, 2], 5, n);
    expect([queued.spikes.length, queued.stepsRan, queued.state]).toEqual([2, 2, RUN_STATE.idle]);
    expect((await board.run(2, () => [1])).steps).toBe(2);
    await board.close();
  });

  it("gives up with E_CRC on a line that damages every frame, and E_TIMEOUT on a dead one", async () => {
    for (const [fault, code] of [
      [{ flipRate: 0.05, direction: "toBoard" as const }, "E_CRC"],
      [{ dropRate: 1, direction: "toBoard" as const }, "E_TIMEOUT"],
    ] as const) {
      const faulty = new FaultyTransport(new SimTransport({ baud: Infinity }), { ...fault, seed: 3 });
      faulty.enabled = false;
      const board = await Board.open(faulty, { retries: 3, responseTimeoutMs: 10 });
      faulty.enabled = true;
      await expect(board.writeMemory(0, 0, Array.from({ length: 60 }, (_, i) => i))).rejects.toMatchObject({ code });
      await board.close();
    }
  });

  it("refuses an image built for another capacity, and too many events in a step", async () => {
    const other = layoutMemories(randomNetwork({ neurons: 8, axons: 8, synapses: 20, seed: 1, capacity: { ...UP5K_CAPACITY, neurons: 512 } }));
    const board = await Board.open(new SimTransport({ baud: Infinity, inputBufferWords: 32 }));
    await expect(board.flash(other)).rejects.toMatchObject({ code: "E_CAPACITY" });
    await board.flash(mem);
    await expect(board.run(2, () => Array.from({ length: 40 }, (_, i) => i))).rejects.toMatchObject({ code: "E_RANGE" });
    await board.close();
  });
});
