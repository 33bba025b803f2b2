// SPDX-License-Identifier: Apache-2.0
// The link alone, on the virtual board built around a core stand-in (hdl/tb/virtual-board/
// core-model/loci_core.v: memories as arrays, random wait clocks on the memory port, an "echo"
// run that records every input axon inside the record window as a spike). Through the host
// driver: every memory written and read back, echo runs whose output is known exactly (also
// with steps that fill the output buffer, so the core waits for the host's acknowledgements),
// and ABORT; and that the virtual board's idle fast-forward changes no answer.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Random } from "../../sim/random.ts";
import { Board } from "../../host/driver/board.ts";
import { MEMORY } from "../../host/driver/memory-map.ts";
import { SerialTransport } from "../../host/driver/serial-transport.ts";
import { VirtualBoard } from "../../host/driver/virtual-board.ts";
import { buildVirtualBoard } from "../../host/hdl/virtual-board-build.ts";
import { abortPartialStep, abortWithQueuedSteps } from "./abort-cases.ts";
import { startVirtualBoard } from "./virtual-board-process.ts";

describe("link on the virtual board (core stand-in)", () => {
  let vb: VirtualBoard;
  let board: Board;
  const rng = new Random(99);

  beforeAll(async () => {
    const executable = await buildVirtualBoard({ top: "link-model" });
    vb = await VirtualBoard.start({ executable });
    board = await Board.open(vb.transport());
  }, 600_000);

  afterAll(async () => {
    await board?.close();
    await vb?.stop();
  });

  it("writes and reads back every writable memory, through memory-port wait clocks", async () => {
    const u32 = (): number => rng.nextUint32();
    const cases: [number, number, number[]][] = [
      [MEMORY.PARAMS, 0, Array.from({ length: 256 }, u32)],
      [MEMORY.SYNAPSES, 16384 - 700, Array.from({ length: 700 }, u32)],
      [MEMORY.FANOUT_PTR, 3, Array.from({ length: 1277 }, () => rng.nextInt(8000) + rng.nextInt(8000) * 65536)],
      [MEMORY.FANIN_PTR, 0, Array.from({ length: 256 }, () => rng.nextInt(16384))],
      [MEMORY.FANIN_LIST, 1000, Array.from({ length: 500 }, () => rng.nextInt(16384))],
      [MEMORY.CONFIG, 0, [200, 1024, 0, 200, u32(), rng.nextInt(0x20000)]],
    ];
    for (const [memory, addr, words] of cases) await board.writeMemory(memory, addr, words);
    for (const [memory, addr, words] of cases) {
      expect([memory, await board.readMemory(memory, addr, words.length)]).toEqual([memory, words]);
    }
  }, 300_000);

  it("echoes input axons as output spikes, exactly, also when steps fill the output buffer", async () => {
    await board.writeMemory(MEMORY.CONFIG, 0, [200, 1024, 0, 200, 0, 0]);
    await board.reset();
    const steps = 300;
    const inputs = Array.from({ length: steps }, (_, t) => {
      // Every 50th step and the one after it: 200 spikes each (402 words for a 256-word buffer:
      // the core must wait for the host to take words); else sparse.
      if (t % 50 === 7 || t % 50 === 8) return Array.from({ length: 200 }, (_, k) => k);
      const set = new Set<number>();
      for (let k = rng.nextInt(6); k > 0; k--) set.add(rng.nextInt(260));
      return [...set].sort((a, b) => a - b);
    });
    const r = await board.run(steps, (t) => inputs[t]);
    expect(r.startStep).toBe(0);
    for (let t = 0; t < steps; t++) expect([t, r.spikes[t]]).toEqual([t, inputs[t].filter((a) => a < 200)]);
    // The stand-in counts input events per neuron in the state word; and steps in COUNTERS.
    const state = await board.readMemory(MEMORY.STATE, 0, 256);
    const want = new Array<number>(256).fill(0);
    for (const ids of inputs) for (const a of ids) want[a & 255]++;
    expect(state).toEqual(want);
    const counters = await board.readMemory(MEMORY.COUNTERS, 0, 8);
    expect(counters[0]).toBe(steps);
    expect((await board.status()).state).toBe(0);
  }, 300_000);

  it("aborts a long run and starts the next one where it stopped", async () => {
    const stepsBefore = (await board.readMemory(MEMORY.COUNTERS, 0, 1))[0];
    const controller = new AbortController();
    const result = await board.run(50_000, (t) => [t % 200], {
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 100) controller.abort();
      },
    });
    expect((await board.status()).state).toBe(0);
    const stepsAfter = (await board.readMemory(MEMORY.COUNTERS, 0, 1))[0];
    // The output covers exactly the steps that ran, and each echoes its input (the last one,
    // the step in progress at the ABORT, with the input that had arrived: its axon or nothing).
    expect(result.steps).toBe(stepsAfter - stepsBefore);
    expect(result.steps).toBeGreaterThanOrEqual(100);
    expect(result.steps).toBeLessThan(50_000);
    const last = result.steps - 1;
    for (let t = 0; t < last; t++) expect([t, result.spikes[t]]).toEqual([t, [t % 200]]);
    expect([[], [last % 200]]).toContainEqual(result.spikes[last]);
    const next = await board.run(3, (t) => [t]);
    expect(next.startStep).toBe(stepsAfter);
    expect(next.spikes).toEqual([[0], [1], [2]]);
  }, 300_000);

  it("ABORT completes only the step in progress (loci_link_in.v), frame by frame", async () => {
    await board.writeMemory(MEMORY.CONFIG, 0, [256, 1024, 0, 256, 0, 0]);
    // Step 0 waits for the rest of its input: it completes with axons 3 and 7, nothing more.
    const partial = await abortPartialStep(board, [3, 7], 256);
    expect([partial.spikes, partial.stepsRan, partial.state]).toEqual([[[3, 7]], 1, 0]);
    // Step 0 echoes 240 spikes and its end (241 of 256 words); step 1's 20 spikes fill the
    // buffer and the core stalls in step 1 while steps 2..4 have their whole input buffered.
    const first = Array.from({ length: 240 }, (_, k) => k);
    const second = Array.from({ length: 20 }, (_, k) => k);
    const queued = await abortWithQueuedSteps(board, first, second, 5, 256);
    expect([queued.spikes, queued.stepsRan, queued.state]).toEqual([[first, second], 2, 0]);
  }, 300_000);
});

describe("idle fast-forward", () => {
  /** One scripted session; returns everything the board said, uptime left out. */
  async function session(args: readonly string[]): Promise<unknown> {
    const executable = await buildVirtualBoard({ top: "link-model" });
    const proc = await startVirtualBoard(executable, args);
    const transport = new SerialTransport({ path: proc.path, baud: proc.baud, description: `virtual:${proc.path}` });
    try {
      const board = await Board.open(transport);
      const words = Array.from({ length: 50 }, (_, i) => i * 7919);
      await board.writeMemory(MEMORY.PARAMS, 3, words);
      await board.writeMemory(MEMORY.CONFIG, 0, [100, 1024, 0, 100, 0, 0]);
      const back = await board.readMemory(MEMORY.PARAMS, 3, 50);
      const run = await board.run(40, (t) => (t % 3 === 0 ? [t, t + 1] : []));
      await new Promise((r) => setTimeout(r, 100)); // an idle stretch
      const status = await board.status();
      const counters = await board.readMemory(MEMORY.COUNTERS, 0, 8);
      const state = await board.readMemory(MEMORY.STATE, 0, 256);
      await board.close();
      return { back, spikes: run.spikes, startStep: run.startStep, status, counters, state };
    } finally {
      await transport.close();
      await proc.stop();
    }
  }

  it("skipping idle clocks changes no answer (the same session with --no-idle-skip)", async () => {
    const skipped = await session([]);
    const simulated = await session(["--no-idle-skip"]);
    expect(skipped).toEqual(simulated);
  }, 300_000);
});
