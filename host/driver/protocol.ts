// SPDX-License-Identifier: Apache-2.0
// The link protocol's constants and payload schemas (docs/protocol.md): frame layout, opcodes,
// response types, status codes, capability and status records, event-stream words, timing.

import type { FieldList } from "./fields.ts";

/** Version of docs/protocol.md this driver speaks. */
export const PROTOCOL_VERSION = 1;

/** Frame sync bytes. */
export const SYNC0 = 0xa5;
export const SYNC1 = 0x5a;
/** Bytes before the payload: SYNC0 SYNC1 TYPE SEQ LEN(u16). */
export const HEADER_BYTES = 6;
/** Bytes after the payload: the CRC. */
export const TRAILER_BYTES = 2;
/** Header + CRC bytes of every frame. */
export const FRAME_OVERHEAD = HEADER_BYTES + TRAILER_BYTES;
/** Largest payload in protocol version 1, bytes. */
export const MAX_PAYLOAD = 256;
/** Default line rate, baud (8 core clocks per bit at 24 MHz; FT2232H 12 MHz / 4). */
export const DEFAULT_BAUD = 3_000_000;
/** Default window: frames the host may have unanswered. */
export const DEFAULT_WINDOW = 32;
/** Largest window that keeps 8-bit go-back-N unambiguous. */
export const MAX_WINDOW = 127;
/** Board inter-byte timeout, in core clocks (2^18 = 10.9 ms at 24 MHz). */
export const INTERBYTE_TIMEOUT_CLOCKS = 2 ** 18;
/** Input words the default build buffers (one 256 x 16 EBR): the credit of a run. */
export const DEFAULT_INPUT_BUFFER_WORDS = 256;
/** Output words the default build keeps until the host has taken them (one 256 x 16 EBR). */
export const DEFAULT_OUTPUT_BUFFER_WORDS = 256;

/** Host -> board opcodes. */
export const OP = {
  HELLO: 0x01,
  STATUS: 0x02,
  RESET: 0x03,
  WRITE: 0x04,
  READ: 0x05,
  RUN: 0x06,
  INPUT: 0x07,
  POLL: 0x08,
  ABORT: 0x09,
} as const;
export type OpName = keyof typeof OP;

/** Board -> host response types. */
export const RSP = {
  ACK: 0x80,
  NACK: 0x81,
  DATA: 0x82,
} as const;
export type RspName = keyof typeof RSP;

/** NACK status codes (docs/protocol.md §4). Codes below 0x10 are link-level (retried). */
export const STATUS_CODE = {
  CRC: 0x01,
  LENGTH: 0x02,
  TIMEOUT: 0x03,
  OVERFLOW: 0x04,
  SEQUENCE: 0x05,
  OPCODE: 0x10,
  PAYLOAD: 0x11,
  MEMORY: 0x12,
  ADDRESS: 0x13,
  READ_ONLY: 0x14,
  BUSY: 0x15,
  IDLE: 0x16,
  RANGE: 0x17,
  CREDIT: 0x18,
} as const;
export type StatusName = keyof typeof STATUS_CODE;

/** One-line meaning of every status code (for error messages and the docs). */
export const STATUS_MEANING: Readonly<Record<StatusName, string>> = {
  CRC: "CRC mismatch",
  LENGTH: "LEN > MAX_PAYLOAD",
  TIMEOUT: "the frame's bytes stopped arriving (inter-byte timeout)",
  OVERFLOW: "one or more frames were dropped: no free frame buffer",
  SEQUENCE: "SEQ is not the expected sequence number; the frame was not executed",
  OPCODE: "unknown TYPE",
  PAYLOAD: "LEN does not fit the opcode",
  MEMORY: "unknown memory id",
  ADDRESS: "count = 0, or addr + count past the memory's depth",
  READ_ONLY: "WRITE to a read-only memory",
  BUSY: "the core is running",
  IDLE: "INPUT while no run is in progress",
  RANGE: "a value is out of range",
  CREDIT: "INPUT would exceed the input buffer",
};

/** True for link-level status codes: the frame was not executed and may be retransmitted. */
export function isLinkStatus(code: number): boolean {
  return code > 0 && code < 0x10;
}

/** Name of a status code, or `0x..` when unknown. */
export function statusName(code: number): string {
  const hit = (Object.keys(STATUS_CODE) as StatusName[]).find((k) => STATUS_CODE[k] === code);
  return hit ?? `0x${code.toString(16).padStart(2, "0")}`;
}

/** Name of a frame type, or `0x..` when unknown. */
export function typeName(type: number): string {
  const all: Record<string, number> = { ...OP, ...RSP };
  const hit = Object.keys(all).find((k) => all[k] === type);
  return hit ?? `0x${type.toString(16).padStart(2, "0")}`;
}

/** HELLO response: the board's capabilities (64 bytes). */
export const CAPS_FIELDS: FieldList = [
  ["protocolVersion", "u8", "this document's version"],
  ["coreSpecVersion", "u8", "`CORE_SPEC_VERSION` of docs/core-spec.md"],
  ["maxPayload", "u16", "largest `LEN`, bytes"],
  ["window", "u8", "frames the host may have unanswered"],
  ["flags", "u8", "bit 0: virtual board; bit 1: software model"],
  ["reserved0", "pad2"],
  ["neurons", "u32", "capacity N"],
  ["axons", "u32", "capacity A"],
  ["synapses", "u32", "capacity S"],
  ["maxFanIn", "u32", "capacity F"],
  ["delaySlots", "u8", "ring slots per neuron"],
  ["weightBits", "u8", "synapse weight width"],
  ["synapseWordBits", "u8", "synapse word width"],
  ["ringBits", "u8", "ring accumulator width"],
  ["inputBufferWords", "u16", "input words the board can hold (§7.3)"],
  ["outputBufferWords", "u16", "output words the board keeps until the host has taken them (§7.4)"],
  ["maxInputsPerStep", "u16", "events one step may carry"],
  ["reserved1", "pad2"],
  ["baud", "u32", "line rate, baud"],
  ["clockHz", "u32", "core clock, Hz"],
  ["buildId", "u32", "build identifier (e.g. git hash prefix)"],
  ["reserved2", "pad16"],
];

/** Capability flag bits. */
export const CAPS_FLAG = { virtualBoard: 1, softwareModel: 2 } as const;

/** STATUS response (6 bytes). */
export const STATUS_FIELDS: FieldList = [
  ["state", "u8", "0 idle, 1 running, 2 aborting"],
  ["expected", "u8", "the board's E after this frame"],
  ["frames", "u16", "frames with a readable header received (answered, or dropped for want of a buffer), mod 2^16"],
  ["garbageBytes", "u16", "bytes discarded while hunting for SYNC, mod 2^16"],
];

/** Board run states in STATUS. */
export const RUN_STATE = { idle: 0, running: 1, aborting: 2 } as const;

/** Access header of WRITE and READ payloads (8 bytes). */
export const ACCESS_FIELDS: FieldList = [
  ["memory", "u8", "memory id"],
  ["reserved", "pad1"],
  ["count", "u16", "words, >= 1"],
  ["addr", "u32", "first word address"],
];

/** NACK payload. */
export const NACK_FIELDS: FieldList = [
  ["status", "u8", "status code"],
  ["expected", "u8", "the board's expected SEQ after this frame"],
];

/** DATA payload header (2 bytes): the address of the frame's first word; `count` = (LEN − 2) / wordBytes. */
export const DATA_FIELDS: FieldList = [["addr", "u16", "address of the first word"]];
/** Bytes before the words of a DATA frame. */
export const DATA_HEADER_BYTES = 2;

/** RUN payload. */
export const RUN_FIELDS: FieldList = [["steps", "u32", "steps to run, 1 .. 2^31 - 1"]];
/** POLL payload. */
export const POLL_FIELDS: FieldList = [["taken", "u16", "output words the host has taken from the previous POLL answer"]];
/** Largest number of output words in one POLL answer (the payload is only words). */
export const POLL_MAX_WORDS = MAX_PAYLOAD / 2;

/** Longest RUN, steps. */
export const MAX_RUN_STEPS = 2 ** 31 - 1;
/** Event-stream word: bit 15 set = `k` step ends in a row (k = 1 .. 32767); clear = one event. */
export const STEP_END_FLAG = 0x8000;
/** Largest `k` of one step-end word. */
export const MAX_STEP_ENDS = 0x7fff;
