// SPDX-License-Identifier: Apache-2.0
// One transport test suite, run against every implementation: the mock (board model, no line),
// the sim transport unpaced and paced at 3 Mbaud, the virtual board (the real RTL, built when
// missing), and a real board when LOCI_PORT names its serial port.

import { afterEach, describe, expect, it } from "vitest";
import { layoutMemories } from "../../sim/memory-layout.ts";
import { Simulator } from "../../sim/simulator.ts";
import { randomNetwork } from "../../test/hil/random-network.ts";
import { Board } from "./board.ts";
import { MEMORY } from "./memory-map.ts";
import { MockTransport } from "./mock-transport.ts";
import { payloadOf } from "./frame.ts";
import { OP, PROTOCOL_VERSION, RUN_FIELDS, STATUS_CODE } from "./protocol.ts";
import { SerialTransport } from "./serial-transport.ts";
import { SimTransport } from "./sim-transport.ts";
import type { Transport } from "./transport.ts";
import { VirtualBoard } from "./virtual-board.ts";
import { buildVirtualBoard } from "../hdl/virtual-board-build.ts";

interface Impl {
  readonly name: string;
  /** A fresh, unopened transport to the same board each call (the board persists between calls). */
  readonly make: () => Promise<Transport>;
  readonly stop?: () => Promise<void>;
  /** Can the test cut the line (close mid-transfer)? */
  readonly closable: boolean;
}

function persistent<T extends Transport>(t: T): () => Promise<T> {
  return async () => t;
}

const impls: Impl[] = [
  { name: "mock (board model, no line)", make: persistent(MockTransport.withBoard().transport), closable: true },
  { name: "sim (unpaced)", make: persistent(new SimTransport({ baud: Infinity })), closable: true },
  { name: "sim (3 Mbaud, 1 ms latency)", make: persistent(new SimTransport()), closable: true },
];
{
  // The real RTL, built here when missing or stale (the build needs Verilator).
  let vb: VirtualBoard | undefined;
  impls.push({
    name: "virtual board",
    make: async () => {
      vb ??= await VirtualBoard.start({ executable: await buildVirtualBoard() });
      return vb.transport();
    },
    stop: async () => vb?.stop(),
    closable: true,
  });
}
if (process.env.LOCI_PORT !== undefined && process.env.LOCI_PORT !== "") {
  const path = process.env.LOCI_PORT;
  impls.push({ name: `serial ${path}`, make: async () => new SerialTransport({ path }), closable: true });
}

const net = randomNetwork({ neurons: 24, axons: 16, synapses: 300, plastic: 0.3, learning: true, seed: 11 });
const mem = layoutMemories(net);

describe.each(impls)("transport suite: $name", (impl) => {
  let board: Board | undefined;
  afterEach(async () => {
    await board?.close().catch(() => undefined);
    board = undefined;
  });

  it("answers HELLO with its capabilities and STATUS", async () => {
    board = await Board.open(await impl.make());
    expect(board.caps.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(board.caps.capacity.neurons).toBeGreaterThanOrEqual(256);
    expect(board.caps.maxPayload).toBeGreaterThanOrEqual(64);
    const status = await board.status();
    expect(status.state).toBe(0);
  });

  it("writes and reads back words, across many DATA frames", async () => {
    board = await Board.open(await impl.make());
    const params = Array.from({ length: 20 }, (_, i) => (0x12340000 + i * 7919) >>> 0);
    await board.writeMemory(MEMORY.PARAMS, 3, params);
    expect(await board.readMemory(MEMORY.PARAMS, 3, 20)).toEqual(params);
    const list = Array.from({ length: 700 }, (_, i) => (i * 31) % 16384);
    await board.writeMemory(MEMORY.FANIN_LIST, 100, list);
    expect(await board.readMemory(MEMORY.FANIN_LIST, 100, 700)).toEqual(list);
  });

  it("refuses a bad command with a NACK and keeps working", async () => {
    board = await Board.open(await impl.make());
    await expect(board.writeMemory(MEMORY.STATE, 0, [1])).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.READ_ONLY });
    await expect(board.readMemory(MEMORY.PARAMS, board.caps.capacity.neurons - 1, 2)).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.ADDRESS });
    await expect(board.writeMemory(MEMORY.CONFIG, 0, [0])).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.RANGE });
    expect((await board.status()).state).toBe(0);
  });

  it("flashes, runs with STDP and matches the simulator exactly", async () => {
    board = await Board.open(await impl.make());
    await board.flash(mem);
    const inputs = (t: number): number[] => (t % 2 === 0 ? [t % 16, (t * 5 + 1) % 16] : []);
    const result = await board.run(60, inputs);
    const sim = new Simulator(mem);
    for (let t = 0; t < 60; t++) expect(result.spikes[t], `step ${t}`).toEqual(Array.from(sim.stepOnce(inputs(t)).spikes));
    const state = await board.readState(24, 16, mem.synapseLow.length);
    const snap = sim.snapshot();
    expect(state).toEqual({ ...snap, weights: state.weights });
    expect(Array.from(state.weights)).toEqual(Array.from(snap.weights));
    expect((await board.counters()).cycles).toBe(sim.counters().cycles);
  });

  it("aborts a run at a step boundary, reports exactly what ran, and stays usable", async () => {
    board = await Board.open(await impl.make());
    await board.flash(mem);
    const ac = new AbortController();
    const inputs = (t: number): number[] => [t % 16];
    const result = await board.run(3000, inputs, { signal: ac.signal, onProgress: (done) => done >= 5 && ac.abort() });
    expect(result.steps).toBeGreaterThanOrEqual(5);
    expect(result.steps).toBeLessThan(3000);
    expect((await board.status()).state).toBe(0);
    expect((await board.counters()).steps).toBe(result.steps);
    const sim = new Simulator(mem);
    for (let t = 0; t < result.steps; t++) expect(result.spikes[t], `step ${t}`).toEqual(Array.from(sim.stepOnce(inputs(t)).spikes));
  });

  it("refuses memory access and RESET while running (BUSY) and allows STATUS and COUNTERS", async () => {
    board = await Board.open(await impl.make());
    await board.flash(mem);
    await board.link.request(OP.RUN, payloadOf(RUN_FIELDS, { steps: 100 }));
    await expect(board.writeMemory(MEMORY.PARAMS, 0, [1])).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.BUSY });
    await expect(board.readMemory(MEMORY.STATE, 0, 1)).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.BUSY });
    await expect(board.reset()).rejects.toMatchObject({ code: "E_NACK", status: STATUS_CODE.BUSY });
    const status = await board.status();
    expect(status.state).toBe(1);
    expect((await board.counters()).steps).toBe(0);
    await board.abort();
    expect((await board.status()).state).toBe(0);
  });

  it("keeps its memories across close and reopen", async () => {
    board = await Board.open(await impl.make());
    await board.writeMemory(MEMORY.PARAMS, 0, [0x0f00001e]);
    await board.close();
    board = await Board.open(await impl.make());
    expect(await board.readMemory(MEMORY.PARAMS, 0, 1)).toEqual([0x0f00001e]);
  });

  it.runIf(impl.closable)("closing the port mid-transfer fails the transfer with E_TRANSPORT, no hang", async () => {
    const big = layoutMemories(randomNetwork({ neurons: 200, axons: 300, synapses: 12000, seed: 5 }));
    board = await Board.open(await impl.make());
    const flashing = board.flash(big);
    setTimeout(() => void board!.transport.close(), 5);
    const t0 = Date.now();
    await expect(flashing).rejects.toMatchObject({ code: "E_TRANSPORT" });
    expect(Date.now() - t0).toBeLessThan(2000);
    // The board got a partial transfer (maybe half a frame): a new session on it works.
    board = await Board.open(await impl.make());
    await board.writeMemory(MEMORY.PARAMS, 5, [0x0f00002e]);
    expect(await board.readMemory(MEMORY.PARAMS, 5, 1)).toEqual([0x0f00002e]);
    expect((await board.status()).state).toBe(0);
  });

  it("stops its board", async () => {
    await impl.stop?.();
  });
});
