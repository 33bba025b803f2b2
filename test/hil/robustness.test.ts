// SPDX-License-Identifier: Apache-2.0
// Robustness of the link: ≥ 100,000 random bytes and malformed frames never hang the board,
// every malformed frame is answered with the right NACK, memories stay unchanged and the next
// session works; a line that flips bits and drops bytes still ends in an exact state. Runs on
// the sim transport and on the virtual board (built here when missing).

import { afterAll, describe, expect, it } from "vitest";
import { layoutMemories, type CoreMemories } from "../../sim/memory-layout.ts";
import { Random } from "../../sim/random.ts";
import { Simulator } from "../../sim/simulator.ts";
import { Board } from "../../host/driver/board.ts";
import { FaultyTransport } from "../../host/driver/fault-injection.ts";
import { FrameReceiver } from "../../host/driver/frame-splitter.ts";
import { decodeResponse, encodeFrame, payloadOf } from "../../host/driver/frame.ts";
import { imageRegions, MEMORY } from "../../host/driver/memory-map.ts";
import { ACCESS_FIELDS, isLinkStatus, OP, RSP, STATUS_CODE } from "../../host/driver/protocol.ts";
import { SimTransport } from "../../host/driver/sim-transport.ts";
import type { Transport } from "../../host/driver/transport.ts";
import { VirtualBoard } from "../../host/driver/virtual-board.ts";
import { buildVirtualBoard } from "../../host/hdl/virtual-board-build.ts";
import { randomNetwork } from "./random-network.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Target {
  readonly name: string;
  readonly transport: () => Promise<Transport>;
}

let vb: VirtualBoard | undefined;
const targets: Target[] = [
  { name: "sim", transport: async () => new SimTransport({ baud: Infinity }) },
  {
    // The real RTL, built here when missing or stale (the build needs Verilator).
    name: "virtual board",
    transport: async () => {
      vb ??= await VirtualBoard.start({ executable: await buildVirtualBoard() });
      return vb.transport();
    },
  },
];
afterAll(async () => vb?.stop());

/** Every region of the image as read back. */
async function readImage(board: Board, mem: CoreMemories): Promise<number[][]> {
  const out: number[][] = [];
  for (const r of imageRegions(mem)) out.push(await board.readMemory(r.memory, r.addr, r.words.length));
  return out;
}

/**
 * Write raw bytes and collect what the board answers, until `expected` frames have arrived or it
 * has been quiet for `quietMs` (the virtual board may run slower than the wall clock).
 */
async function raw(transport: Transport, chunks: Uint8Array[], quietMs: number, expected = Infinity): Promise<{ nacks: number[]; frames: number }> {
  const rx = new FrameReceiver();
  const nacks: number[] = [];
  let frames = 0;
  let last = Date.now();
  const off = transport.onData((chunk) => {
    last = Date.now();
    for (const r of rx.push(chunk)) {
      if (!("frame" in r)) continue;
      frames++;
      if (r.frame.type === RSP.NACK) {
        const m = decodeResponse(r.frame);
        if (m.kind === "nack") nacks.push(m.status);
      }
    }
  });
  for (const c of chunks) await transport.write(c);
  while (frames < expected && Date.now() - last < quietMs) await sleep(5);
  off();
  return { nacks, frames };
}

describe.each(targets)("link robustness: $name", (target) => {
  const net = randomNetwork({ neurons: 32, axons: 20, synapses: 500, plastic: 0.4, learning: true, seed: 21 });
  const mem = layoutMemories(net);

  it("survives 100,000 random bytes and malformed frames: answers each, changes nothing, next session works", async () => {
    const transport = await target.transport();
    try {
      let board = await Board.open(transport);
      await board.flash(mem);
      const before = await readImage(board, mem);
      const statusBefore = await board.status();
      board.link.dispose();

      // Phase A: 100,000 random bytes in random-sized chunks.
      const rng = new Random(99);
      const chunks: Uint8Array[] = [];
      for (let n = 0; n < 100_000; ) {
        const len = Math.min(1 + rng.nextInt(512), 100_000 - n);
        chunks.push(Uint8Array.from({ length: len }, () => rng.nextInt(256)));
        n += len;
      }
      const phaseA = await raw(transport, chunks, 100);
      // Every answer to random bytes is a link-level NACK (a header that SYNC happened to start:
      // CRC, LENGTH, TIMEOUT, OVERFLOW or SEQUENCE); nothing was executed.
      expect(phaseA.nacks.length).toBe(phaseA.frames);
      expect(phaseA.nacks.filter((st) => !isLinkStatus(st))).toEqual([]);
      // Let the board finish the garbage (a session start waits for it), then note its SEQ.
      const sync = await Board.open(transport);
      const s = (await sync.status()).expected;
      sync.link.dispose();

      // Phase B: malformed frames back to back; each must be answered by its NACK.
      const cap = board.caps.capacity;
      const access = (memory: number, count: number, addr: number, words = new Uint8Array(0)): Uint8Array => payloadOf(ACCESS_FIELDS, { memory, count, addr }, words);
      const badCrc = encodeFrame(OP.WRITE, s, access(MEMORY.PARAMS, 1, 0, Uint8Array.of(1, 2, 3, 4)));
      badCrc[badCrc.length - 1] ^= 0x55;
      const tooLong = Uint8Array.of(0xa5, 0x5a, OP.WRITE, s, 0xff, 0x7f);
      const malformed: [Uint8Array, number][] = [
        [badCrc, STATUS_CODE.CRC],
        [tooLong, STATUS_CODE.LENGTH],
        [encodeFrame(OP.WRITE, (s + 7) & 0xff, access(MEMORY.PARAMS, 1, 0, Uint8Array.of(9, 9, 9, 9))), STATUS_CODE.SEQUENCE],
        [encodeFrame(0x3c, s, new Uint8Array(0)), STATUS_CODE.OPCODE],
        [encodeFrame(OP.WRITE, (s + 1) & 0xff, access(MEMORY.PARAMS, 1, cap.neurons, Uint8Array.of(1, 0, 0, 0))), STATUS_CODE.ADDRESS],
        [encodeFrame(OP.WRITE, (s + 2) & 0xff, access(MEMORY.PARAMS, 2, 0, Uint8Array.of(1, 0, 0, 0))), STATUS_CODE.PAYLOAD],
        [encodeFrame(OP.WRITE, (s + 3) & 0xff, access(MEMORY.STATE, 1, 0, new Uint8Array(6))), STATUS_CODE.READ_ONLY],
        [encodeFrame(OP.WRITE, (s + 4) & 0xff, access(42, 1, 0, Uint8Array.of(0, 0, 0, 0))), STATUS_CODE.MEMORY],
        [encodeFrame(OP.INPUT, (s + 5) & 0xff, Uint8Array.of(0, 0)), STATUS_CODE.IDLE],
        [encodeFrame(OP.WRITE, (s + 6) & 0xff, access(MEMORY.CONFIG, 1, 0, Uint8Array.of(0, 0, 0, 0))), STATUS_CODE.RANGE],
      ];
      // The LENGTH case leaves the receiver hunting right after its header; the rest follow cleanly.
      const phaseB = await raw(transport, malformed.map(([f]) => f), 5000, malformed.length);
      expect(phaseB.nacks).toEqual(malformed.map(([, status]) => status));

      // A new session works and nothing changed.
      board = await Board.open(transport);
      expect(await readImage(board, mem)).toEqual(before);
      const status = await board.status();
      // The random bytes were counted as garbage but for the few that SYNC took into frames
      // (u16 counters wrap: 100,000 garbage bytes read as 100,000 - 65,536).
      const garbage = (status.garbageBytes - statusBefore.garbageBytes) & 0xffff;
      expect(garbage).toBeGreaterThanOrEqual(100_000 - 65_536 - 2000);
      expect(garbage).toBeLessThanOrEqual(100_000 - 65_536);
      expect((status.frames - statusBefore.frames) & 0xffff).toBeGreaterThanOrEqual(malformed.length);
      const inputs = (t: number): number[] => (t % 3 === 0 ? [t % 20] : []);
      const result = await board.run(40, inputs);
      const sim = new Simulator(mem);
      for (let t = 0; t < 40; t++) expect(result.spikes[t]).toEqual(Array.from(sim.stepOnce(inputs(t)).spikes));
    } finally {
      await transport.close();
    }
  });

  const faults = [
    { seed: 1, flipRate: 1 / 400, dropRate: 0, direction: "both" as const },
    { seed: 2, flipRate: 1 / 800, dropRate: 1 / 1500, direction: "both" as const },
    { seed: 3, flipRate: 1 / 300, dropRate: 0, direction: "toHost" as const },
    { seed: 4, flipRate: 1 / 300, dropRate: 1 / 1000, direction: "toBoard" as const },
  ];
  // The virtual board simulates the RTL at bit level: two cases keep the suite inside its budget.
  it.each(target.name === "sim" ? faults : [faults[1], faults[2]])("a corrupting line (seed $seed, $direction): every fault is caught and retried; the final state is exact", async (fault) => {
    const faulty = new FaultyTransport(await target.transport(), fault);
    try {
      const board = await Board.open(faulty, { responseTimeoutMs: 30 });
      await board.flash(mem);
      const inputs = (t: number): number[] => (t % 2 === 0 ? [(t * 7) % 20, (t * 3 + 1) % 20] : []);
      const result = await board.run(120, inputs);
      const state = await board.readState(32, 20, mem.synapseLow.length);
      const counters = await board.counters();
      faulty.enabled = false;
      const sim = new Simulator(mem);
      for (let t = 0; t < 120; t++) expect(result.spikes[t], `step ${t}`).toEqual(Array.from(sim.stepOnce(inputs(t)).spikes));
      expect(state).toEqual(sim.snapshot());
      expect(counters.cycles).toBe(sim.counters().cycles);
      const injected = faulty.injected.toBoard.flips + faulty.injected.toBoard.drops + faulty.injected.toHost.flips + faulty.injected.toHost.drops;
      expect(injected).toBeGreaterThan(10);
      expect(board.link.stats.badFrames + board.link.stats.linkNacks + board.link.stats.timeouts).toBeGreaterThan(0);
    } finally {
      await faulty.close();
    }
  });
});
