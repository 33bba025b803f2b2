// SPDX-License-Identifier: Apache-2.0
// Recorded captures (test/fixtures/link/session-*.bin: a flash, a 12-step run and a counter read
// on the board model) decoded by the splitter -> parser stream pipeline.

import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { FrameParser, type Parsed } from "./frame-parser.ts";
import { FrameReceiver, FrameSplitter } from "./frame-splitter.ts";
import { bytesToWords } from "./frame.ts";
import { OP } from "./protocol.ts";

const fixture = (name: string): Buffer => readFileSync(new URL(`../../test/fixtures/link/${name}`, import.meta.url));

async function parse(bytes: Buffer, chunk: number): Promise<Parsed[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: Parsed[] = [];
  for await (const item of Readable.from(chunks).pipe(new FrameSplitter()).pipe(new FrameParser())) out.push(item as Parsed);
  return out;
}

describe("recorded session captures", () => {
  it.each([1, 7, 4096])("board -> host decodes to responses only, whatever the chunking (%i-byte chunks)", async (chunk) => {
    const items = await parse(fixture("session-board-to-host.bin"), chunk);
    expect(items.filter((i) => i.kind === "fault")).toEqual([]);
    expect(items[0]).toMatchObject({ kind: "ack", seq: 0 });
    expect(items[0].kind === "ack" && items[0].payload.length).toBe(64);
    const kinds = new Set(items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(["ack", "data"]);
    // The POLL answers (ACKs with an even payload after the RUN's ACK) carry output words whose
    // step-end words cover the 12 steps of the run.
    const words = items.flatMap((i) => (i.kind === "ack" && i.payload.length % 2 === 0 && i.payload.length < 64 ? Array.from(bytesToWords(i.payload)) : []));
    const steps = words.reduce((n, w) => n + (w & 0x8000 ? w & 0x7fff : 0), 0);
    expect(steps).toBe(12);
  });

  it("host -> board is the expected sequence of commands", () => {
    const rx = new FrameReceiver({ resync: "skip" });
    const frames = rx.push(fixture("session-host-to-board.bin"));
    const types = frames.map((f) => ("frame" in f ? f.frame.type : -1));
    expect(types[0]).toBe(OP.HELLO);
    expect(types).not.toContain(-1);
    for (const op of [OP.STATUS, OP.WRITE, OP.RESET, OP.READ, OP.RUN, OP.INPUT, OP.POLL]) expect(types).toContain(op);
    expect(rx.garbageBytes).toBe(0);
  });
});
