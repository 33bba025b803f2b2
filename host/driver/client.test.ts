// SPDX-License-Identifier: Apache-2.0
// LinkClient session checks: HELLO takes only a real capability answer (not a stale 64-byte
// answer of another session), and a NACK SEQUENCE outside the frames in flight is a lost session.

import { describe, expect, it } from "vitest";
import { LinkClient } from "./client.ts";
import { ackFrame, nackFrame } from "./frame.ts";
import { MockTransport } from "./mock-transport.ts";
import { OP, PROTOCOL_VERSION, STATUS_CODE } from "./protocol.ts";

function caps(version = PROTOCOL_VERSION): Uint8Array {
  const p = new Uint8Array(64);
  p[0] = version;
  p[1] = 1;
  p[2] = 0;
  p[3] = 1; // maxPayload 256
  p[4] = 32;
  return p;
}

describe("LinkClient sessions", () => {
  it("HELLO ignores a stale 64-byte SEQ-0 answer and takes the capability record", async () => {
    const stale = new Uint8Array(64).fill(0x81); // 32 output words of another session
    const t = new MockTransport((bytes, reply) => {
      if (bytes[2] !== OP.HELLO) return;
      reply(ackFrame(0, stale));
      reply(ackFrame(0, caps()));
    });
    await t.open();
    const link = new LinkClient(t, { helloTimeoutMs: 50 });
    expect(Array.from(await link.connect())).toEqual(Array.from(caps()));
    link.dispose();
  });

  it("HELLO answered with another protocol version fails with E_FRAME naming it", async () => {
    const t = new MockTransport((bytes, reply) => {
      if (bytes[2] === OP.HELLO) reply(ackFrame(bytes[3], caps(9)));
    });
    await t.open();
    const link = new LinkClient(t, { helloTimeoutMs: 5, helloAttempts: 2 });
    await expect(link.connect()).rejects.toMatchObject({ code: "E_FRAME", message: expect.stringContaining("protocol version 9") });
    link.dispose();
  });

  it("a NACK SEQUENCE expecting a SEQ outside the frames in flight fails at once as a lost session", async () => {
    const t = new MockTransport((bytes, reply) => {
      if (bytes[2] === OP.HELLO) reply(ackFrame(bytes[3], caps()));
      else reply(nackFrame(bytes[3], STATUS_CODE.SEQUENCE, 0)); // the board was reset: expects 0
    });
    await t.open();
    const link = new LinkClient(t, { helloTimeoutMs: 50, responseTimeoutMs: 10_000 });
    await link.connect();
    await expect(link.request(OP.STATUS)).rejects.toMatchObject({
      code: "E_FRAME",
      message: expect.stringContaining("the session was lost"),
      suggestion: expect.stringContaining("open the board again"),
    });
    link.dispose();
  });
});
