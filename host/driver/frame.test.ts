// SPDX-License-Identifier: Apache-2.0
// CRC, frame encoding, the receiver's resynchronisation, and a property test: any byte garbage
// around valid frames never hides a frame that follows clean bytes, and never throws.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, CRC16 } from "./crc.ts";
import { bareFrame, dataFrame, decodeResponse, encodeFrame, nackFrame, readFrame, writeFrame } from "./frame.ts";
import { FrameReceiver } from "./frame-splitter.ts";
import { MAX_PAYLOAD, OP, RSP, STATUS_CODE } from "./protocol.ts";

describe("crc16", () => {
  it("has the CRC-16/CCITT-FALSE check value", () => {
    expect(crc16(new TextEncoder().encode("123456789"))).toBe(CRC16.check);
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it("gives residue 0 over a frame and its big-endian CRC", () => {
    const f = writeFrame(3, { memory: 1, count: 1, addr: 7 }, Uint8Array.of(1, 2, 3, 4));
    expect(crc16(f, 2)).toBe(0);
  });

  it("detects every single, double and triple bit error in a full frame", () => {
    const f = encodeFrame(OP.WRITE, 1, Uint8Array.from({ length: MAX_PAYLOAD }, (_, i) => (i * 37) & 0xff));
    const bits = (f.length - 2) * 8;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 16, max: bits - 1 }), { minLength: 1, maxLength: 3 }), (flips) => {
        const g = Uint8Array.from(f);
        for (const b of flips) g[b >> 3] ^= 1 << (b & 7);
        return crc16(g, 2) !== 0;
      }),
      { numRuns: 3000 },
    );
  });
});

describe("frames", () => {
  it("round-trip through the receiver and the response decoder", () => {
    const rx = new FrameReceiver();
    const out = rx.push(Uint8Array.from([...nackFrame(4, STATUS_CODE.BUSY, 5), ...dataFrame(3, 0x1234, Uint8Array.of(1, 2, 3, 4))]));
    expect(out).toHaveLength(2);
    const a = decodeResponse((out[0] as { frame: never }).frame);
    const b = decodeResponse((out[1] as { frame: never }).frame);
    expect(a).toEqual({ kind: "nack", seq: 4, status: STATUS_CODE.BUSY, expected: 5 });
    expect(b.kind).toBe("data");
    if (b.kind === "data") {
      expect([b.seq, b.addr, Array.from(b.words)]).toEqual([3, 0x1234, [1, 2, 3, 4]]);
    }
  });

  it("refuses payloads over MAX_PAYLOAD when encoding", () => {
    expect(() => encodeFrame(OP.WRITE, 0, new Uint8Array(MAX_PAYLOAD + 1))).toThrow(/MAX_PAYLOAD/);
  });

  it("board receiver: skips the whole bad frame and NACKs it; host receiver rescans", () => {
    const bad = Uint8Array.from(readFrame(1, { memory: 0, count: 1, addr: 0 }));
    bad[8] ^= 0x40;
    const good = bareFrame(OP.STATUS, 2);
    const board = new FrameReceiver({ resync: "skip" });
    const got = board.push(Uint8Array.from([0x11, 0x22, ...bad, ...good]));
    expect(got.map((r) => ("frame" in r ? `frame ${r.frame.seq}` : r.fault))).toEqual(["CRC", "frame 2"]);
    expect(board.garbageBytes).toBe(2);
    // A LEN beyond MAX_PAYLOAD is refused at the header.
    const long = Uint8Array.of(0xa5, 0x5a, OP.WRITE, 3, 0x01, 0x02);
    expect(board.push(Uint8Array.from([...long, ...good])).map((r) => ("frame" in r ? "frame" : r.fault))).toEqual(["LENGTH", "frame"]);
  });

  it("reports a partial frame on the inter-byte timeout, and a lone SYNC0 as garbage", () => {
    const rx = new FrameReceiver({ resync: "skip" });
    const f = bareFrame(OP.RESET, 9);
    expect(rx.push(f.subarray(0, 5))).toEqual([]);
    expect(rx.timeout()).toMatchObject({ fault: "TIMEOUT", seq: 9 });
    expect(rx.push(Uint8Array.of(0xa5))).toEqual([]);
    expect(rx.timeout()).toBeUndefined();
    expect(rx.garbageBytes).toBe(1);
  });

  it("never throws on random bytes, and a frame after enough clean bytes is always found", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom<"skip" | "rescan">("skip", "rescan"), (garbage, seq, resync) => {
        const rx = new FrameReceiver({ resync });
        rx.push(garbage);
        rx.timeout(); // the line goes quiet: a dangling partial frame is dropped
        const got = rx.push(bareFrame(OP.STATUS, seq));
        return got.some((r) => "frame" in r && r.frame.type === OP.STATUS && r.frame.seq === seq);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes every response type and rejects host opcodes from the board", () => {
    expect(() => decodeResponse({ type: OP.WRITE, seq: 0, payload: new Uint8Array(0) })).toThrow(/unexpected frame type/);
    expect(decodeResponse({ type: RSP.ACK, seq: 1, payload: new Uint8Array(0) }).kind).toBe("ack");
  });
});
