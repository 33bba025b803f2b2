// SPDX-License-Identifier: Apache-2.0
// Frames of the link (docs/protocol.md §2): encoding, and decoding of every message into typed
// records using the payload schemas of protocol.ts (binary-parser decoders built from data).

import { crc16 } from "./crc.ts";
import { FrameError } from "./errors.ts";
import { encodeFields, fieldDecoder, schemaSize, type FieldList, type FieldValues } from "./fields.ts";
import {
  ACCESS_FIELDS,
  CAPS_FIELDS,
  DATA_FIELDS,
  FRAME_OVERHEAD,
  HEADER_BYTES,
  MAX_PAYLOAD,
  NACK_FIELDS,
  OP,
  POLL_FIELDS,
  RSP,
  RUN_FIELDS,
  STATUS_FIELDS,
  SYNC0,
  SYNC1,
} from "./protocol.ts";

/** A frame with a good CRC, as received or to be sent. */
export interface RawFrame {
  /** Opcode (host -> board) or response type (board -> host). */
  readonly type: number;
  /** Sequence number 0..255. */
  readonly seq: number;
  readonly payload: Uint8Array;
}

/** Encode a frame: SYNC, TYPE, SEQ, LEN (LE), payload, CRC-16 (big-endian). */
export function encodeFrame(type: number, seq: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new FrameError(`payload of ${payload.length} bytes exceeds MAX_PAYLOAD ${MAX_PAYLOAD}`);
  const out = new Uint8Array(payload.length + FRAME_OVERHEAD);
  out[0] = SYNC0;
  out[1] = SYNC1;
  out[2] = type & 0xff;
  out[3] = seq & 0xff;
  out[4] = payload.length & 0xff;
  out[5] = payload.length >> 8;
  out.set(payload, HEADER_BYTES);
  const crc = crc16(out, 2, HEADER_BYTES + payload.length);
  out[HEADER_BYTES + payload.length] = crc >> 8;
  out[HEADER_BYTES + payload.length + 1] = crc & 0xff;
  return out;
}

/** Encode a schema into a fresh payload, followed by `tail` bytes. */
export function payloadOf(list: FieldList, values: Readonly<Partial<FieldValues>>, tail?: Uint8Array): Uint8Array {
  const head = schemaSize(list);
  const out = new Uint8Array(head + (tail?.length ?? 0));
  encodeFields(list, values, out, 0);
  if (tail !== undefined) out.set(tail, head);
  return out;
}

/** Decoders built once from the schemas. */
export const DECODE = {
  caps: fieldDecoder(CAPS_FIELDS),
  status: fieldDecoder(STATUS_FIELDS),
  access: fieldDecoder(ACCESS_FIELDS),
  nack: fieldDecoder(NACK_FIELDS),
  run: fieldDecoder(RUN_FIELDS),
  poll: fieldDecoder(POLL_FIELDS),
  data: fieldDecoder(DATA_FIELDS),
} as const;

/** An access header (WRITE, READ). */
export interface AccessHeader {
  readonly memory: number;
  readonly count: number;
  readonly addr: number;
}

// ---------------------------------------------------------------------------------------------
// Host -> board frames.

/** HELLO: start a session (any SEQ) and ask for the capabilities. */
export function helloFrame(seq: number): Uint8Array {
  return encodeFrame(OP.HELLO, seq);
}

/** A frame with no payload (STATUS, RESET, ABORT). */
export function bareFrame(op: number, seq: number): Uint8Array {
  return encodeFrame(op, seq);
}

/** WRITE `count` words (already packed, `count * wordBytes` bytes) at `addr` of `memory`. */
export function writeFrame(seq: number, access: AccessHeader, words: Uint8Array): Uint8Array {
  return encodeFrame(OP.WRITE, seq, payloadOf(ACCESS_FIELDS, { ...access }, words));
}

/** READ `count` words at `addr` of `memory`. */
export function readFrame(seq: number, access: AccessHeader): Uint8Array {
  return encodeFrame(OP.READ, seq, payloadOf(ACCESS_FIELDS, { ...access }));
}

/** RUN `steps` steps. */
export function runFrame(seq: number, steps: number): Uint8Array {
  return encodeFrame(OP.RUN, seq, payloadOf(RUN_FIELDS, { steps }));
}

/** INPUT: a chunk of the input word stream (docs/protocol.md §7.1). */
export function inputFrame(seq: number, words: Uint16Array): Uint8Array {
  return encodeFrame(OP.INPUT, seq, wordsToBytes(words));
}

/** POLL: the host has taken `taken` words (of the previous answer); the board answers with the words it holds. */
export function pollFrame(seq: number, taken: number): Uint8Array {
  return encodeFrame(OP.POLL, seq, payloadOf(POLL_FIELDS, { taken }));
}

// ---------------------------------------------------------------------------------------------
// Board -> host frames.

/** ACK with an opcode-specific payload. */
export function ackFrame(seq: number, payload?: Uint8Array): Uint8Array {
  return encodeFrame(RSP.ACK, seq, payload);
}

/** NACK with a status code and the board's expected SEQ. */
export function nackFrame(seq: number, status: number, expected: number): Uint8Array {
  return encodeFrame(RSP.NACK, seq, payloadOf(NACK_FIELDS, { status, expected }));
}

/** DATA: one chunk of a READ stream: the address of its first word, then the words. */
export function dataFrame(seq: number, addr: number, words: Uint8Array): Uint8Array {
  return encodeFrame(RSP.DATA, seq, payloadOf(DATA_FIELDS, { addr }, words));
}

// ---------------------------------------------------------------------------------------------
// Decoding responses (host side).

/** A response from the board, decoded. */
export type Response =
  | { readonly kind: "ack"; readonly seq: number; readonly payload: Uint8Array }
  | { readonly kind: "nack"; readonly seq: number; readonly status: number; readonly expected: number }
  | { readonly kind: "data"; readonly seq: number; readonly addr: number; readonly words: Uint8Array };

/** Decode a board -> host frame; throws FrameError on a frame the protocol does not allow. */
export function decodeResponse(frame: RawFrame): Response {
  const p = frame.payload;
  switch (frame.type) {
    case RSP.ACK:
      return { kind: "ack", seq: frame.seq, payload: p };
    case RSP.NACK: {
      const v = DECODE.nack.decode(p);
      return { kind: "nack", seq: frame.seq, status: Number(v.status), expected: Number(v.expected) };
    }
    case RSP.DATA: {
      const v = DECODE.data.decode(p);
      return { kind: "data", seq: frame.seq, addr: Number(v.addr), words: p.subarray(DECODE.data.size) };
    }
    default:
      throw new FrameError(`unexpected frame type 0x${frame.type.toString(16)} from the board`, { context: { type: frame.type, seq: frame.seq } });
  }
}

/** 16-bit words to little-endian bytes. */
export function wordsToBytes(words: Uint16Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  for (let i = 0; i < words.length; i++) {
    out[2 * i] = words[i] & 0xff;
    out[2 * i + 1] = (words[i] >> 8) & 0xff;
  }
  return out;
}

/** Little-endian bytes (even length) to 16-bit words. */
export function bytesToWords(bytes: Uint8Array): Uint16Array {
  const out = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  return out;
}

/** Hex dump of bytes, 16 per line (for docs and messages). */
export function hexDump(bytes: Uint8Array, perLine = 16): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(Array.from(bytes.subarray(i, i + perLine), (b) => b.toString(16).padStart(2, "0")).join(" "));
  }
  return lines.join("\n");
}
