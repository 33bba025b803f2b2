// SPDX-License-Identifier: Apache-2.0
// The virtual board with the real RTL (iCEBreaker top: UART, link, core) through the host
// driver and the serialport package: capabilities, flash + verify, runs that match the golden
// simulator exactly (spikes, read-back state, cycle counts), every command refusal leaving the
// memories unchanged, ABORT, and simulated time (uptime) that keeps running while idle.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layoutMemories, type CoreMemories } from "../../sim/memory-layout.ts";
import { bernoulliStimulus, scheduleStimulus } from "../../sim/stimulus.ts";
import { Board } from "../../host/driver/board.ts";
import { NackError } from "../../host/driver/errors.ts";
import { payloadOf } from "../../host/driver/frame.ts";
import { imageRegions, MEMORY, type ImageRegion } from "../../host/driver/memory-map.ts";
import { ACCESS_FIELDS, OP, STATUS_CODE } from "../../host/driver/protocol.ts";
import { VirtualBoard } from "../../host/driver/virtual-board.ts";
import { hilOnBoard } from "../../host/driver/hil.ts";
import { buildVirtualBoard } from "../../host/hdl/virtual-board-build.ts";
import { abortPartialStep } from "./abort-cases.ts";
import { randomNetwork } from "./random-network.ts";

/** Read every region back and compare word by word; returns the first difference. */
async function firstDifference(board: Board, regions: readonly ImageRegion[]): Promise<string | undefined> {
  for (const r of regions) {
    const got = await board.readMemory(r.memory, r.addr, r.words.length);
    const i = got.findIndex((w, k) => w !== r.words[k]);
    if (i >= 0) return `${r.name}[${r.addr + i}] = ${got[i]}, flashed ${r.words[i]}`;
  }
  return undefined;
}

/** A WRITE payload: access header + little-endian words of `wordBytes` bytes. */
function writePayload(memory: number, addr: number, words: readonly number[], wordBytes: number, count = words.length): Uint8Array {
  const body = new Uint8Array(words.length * wordBytes);
  words.forEach((w, k) => {
    for (let b = 0; b < wordBytes; b++) body[k * wordBytes + b] = Math.floor(w / 2 ** (8 * b)) & 0xff;
  });
  return payloadOf(ACCESS_FIELDS, { memory, count, addr }, body);
}

async function nackOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (error) {
    if (error instanceof NackError) return error.status;
    throw error;
  }
  throw new Error("the board accepted a frame it should have refused");
}

describe("virtual board (real RTL)", () => {
  let vb: VirtualBoard;
  let board: Board;
  let memories: CoreMemories;
  let regions: ImageRegion[];

  beforeAll(async () => {
    const executable = await buildVirtualBoard();
    vb = await VirtualBoard.start({ executable });
    board = await Board.open(vb.transport());
    const net = randomNetwork({ neurons: 120, axons: 200, synapses: 3000, plastic: 0.2, learning: true, seed: 7 });
    memories = layoutMemories(net);
    regions = imageRegions(memories);
  }, 600_000);

  afterAll(async () => {
    await board?.close();
    await vb?.stop();
  });

  it("reports a virtual board at the build's rates and capacity", () => {
    const c = board.caps;
    expect(c.protocolVersion).toBe(1);
    expect(c.flags & 1).toBe(1);
    expect(c.baud).toBe(3_000_000);
    expect(c.clockHz).toBe(24_000_000);
    expect(c.capacity).toEqual({ neurons: 256, axons: 1024, synapses: 16384, maxFanIn: 4096 });
    expect(c.maxPayload).toBe(256);
    expect(c.inputBufferWords).toBeGreaterThanOrEqual(256);
    expect(c.maxInputsPerStep).toBe(c.inputBufferWords - 1);
  });

  it("flashes and verifies an image", async () => {
    const report = await board.flash(memories);
    expect(report.verifiedWords).toBe(regions.reduce((n, r) => n + r.words.length, 0));
    expect(await firstDifference(board, regions)).toBeUndefined();
  }, 300_000);

  it("runs like the golden simulator: spikes, state, learned weights and cycles, exactly", async () => {
    const stimuli = [0, 1].map((c) => scheduleStimulus(bernoulliStimulus({ steps: 150, numAxons: 200, rate: 0.08, seed: 30 + c }), 200));
    const r = await hilOnBoard(board, memories, stimuli);
    expect(r.first).toEqual([]);
    expect(r.mismatches).toBe(0);
    expect(r.spikes).toBeGreaterThan(50);
    expect(r.cycles).toBeGreaterThan(10_000);
  }, 600_000);

  it("refuses bad commands with the right status and changes nothing", async () => {
    // Restore the flashed weights (the runs above learned), then try every refusal.
    await board.flash(memories, { verify: false });
    const link = board.link;
    const cases: [string, Promise<unknown>, number][] = [
      ["unknown opcode", link.request(0x2a), STATUS_CODE.OPCODE],
      ["unknown memory", link.request(OP.WRITE, writePayload(11, 0, [1], 4)), STATUS_CODE.MEMORY],
      ["address past capacity", link.request(OP.WRITE, writePayload(MEMORY.PARAMS, 255, [1, 2], 4)), STATUS_CODE.ADDRESS],
      ["count 0", link.request(OP.READ, payloadOf(ACCESS_FIELDS, { memory: MEMORY.PARAMS, count: 0, addr: 0 })), STATUS_CODE.ADDRESS],
      ["read-only memory", link.request(OP.WRITE, writePayload(MEMORY.STATE, 0, [5], 6)), STATUS_CODE.READ_ONLY],
      ["length does not match count", link.request(OP.WRITE, writePayload(MEMORY.PARAMS, 0, [1, 2], 4, 3)), STATUS_CODE.PAYLOAD],
      ["numNeurons 0", link.request(OP.WRITE, writePayload(MEMORY.CONFIG, 0, [0], 4)), STATUS_CODE.RANGE],
      ["pointer past the synapses", link.request(OP.WRITE, writePayload(MEMORY.FANOUT_PTR, 3, [16380 + 10 * 65536], 4)), STATUS_CODE.RANGE],
      // The bad word is the last of the frame: the good words before it must not be written.
      ["bad last word", link.request(OP.WRITE, writePayload(MEMORY.FANIN_LIST, 0, [1, 2, 3, 16384], 2)), STATUS_CODE.RANGE],
      ["bits above the width", link.request(OP.WRITE, writePayload(MEMORY.FANIN_LIST, 0, [0xc000], 2)), STATUS_CODE.RANGE],
      ["INPUT without a run", link.request(OP.INPUT, Uint8Array.of(1, 0, 3, 0)), STATUS_CODE.IDLE],
      ["RUN of 0 steps", link.request(OP.RUN, Uint8Array.of(0, 0, 0, 0)), STATUS_CODE.RANGE],
      ["STATUS with a payload", link.request(OP.STATUS, Uint8Array.of(1)), STATUS_CODE.PAYLOAD],
    ];
    for (const [what, p, status] of cases) {
      expect([what, await nackOf(p)]).toEqual([what, status]);
    }
    expect(await firstDifference(board, regions)).toBeUndefined();
    const s = await board.status();
    expect(s.state).toBe(0);
  }, 300_000);

  it("aborts a run after the step in progress; the next run starts from there", async () => {
    const before = await board.counters();
    const controller = new AbortController();
    const result = await board.run(100_000, (t) => [t % 200], {
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 40) controller.abort();
      },
    });
    expect((await board.status()).state).toBe(0);
    const after = await board.counters();
    const executed = after.steps - before.steps;
    // The output covers exactly the steps that ran.
    expect(result.steps).toBe(executed);
    expect(result.spikes.length).toBe(executed);
    expect(executed).toBeGreaterThanOrEqual(40);
    expect(executed).toBeLessThan(1000);
    // Frame by frame: step 0 waits for the rest of its input; ABORT completes it with the two
    // events it has, and nothing more runs.
    const c0 = await board.counters();
    const partial = await abortPartialStep(board, [3, 7], memories.config.numNeurons);
    expect([partial.spikes.length, partial.stepsRan, partial.state]).toEqual([1, 1, 0]);
    const c1 = await board.counters();
    expect(c1.inputEvents - c0.inputEvents).toBe(2);
    expect(c1.outputEvents - c0.outputEvents).toBe(partial.spikes[0].length);
    const next = await board.run(5, () => []);
    expect(next.startStep).toBe(c1.steps);
    expect(next.spikes.length).toBe(5);
  }, 300_000);

  it("keeps its clock running while idle (simulated core clocks)", async () => {
    await board.status();
    const a = await vb.cycles();
    await new Promise((r) => setTimeout(r, 300));
    await board.status();
    const b = await vb.cycles();
    const seconds = Number(b - a) / board.caps.clockHz;
    // At least the 300 ms of wall time the host waited, as on a real board.
    expect(seconds).toBeGreaterThanOrEqual(0.3);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});
