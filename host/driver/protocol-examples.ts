// SPDX-License-Identifier: Apache-2.0
// The protocol's worked examples and shared test vectors, generated from the code: the tables
// and hex dumps in docs/protocol.md and test/fixtures/link/vectors.json. `npm run
// gen:protocol-examples` rewrites both; protocol-doc.test.ts fails when either is stale.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UP5K_CAPACITY } from "../../sim/spec.ts";
import { BoardModel } from "./board-model.ts";
import { crc16 } from "./crc.ts";
import { fieldOffsets, type FieldList, type FieldSpec } from "./fields.ts";
import {
  ackFrame,
  bareFrame,
  dataFrame,
  decodeResponse,
  helloFrame,
  hexDump,
  inputFrame,
  nackFrame,
  pollFrame,
  readFrame,
  runFrame,
  wordsToBytes,
  writeFrame,
} from "./frame.ts";
import { FrameReceiver } from "./frame-splitter.ts";
import { CAPS_FIELDS, OP, STATUS_CODE, STATUS_FIELDS } from "./protocol.ts";
import { MEMORY, memoryMap, packWords } from "./memory-map.ts";

/** Repository paths of the generated files. */
export const PROTOCOL_DOC = fileURLToPath(new URL("../../docs/protocol.md", import.meta.url));
export const VECTORS_FILE = fileURLToPath(new URL("../../test/fixtures/link/vectors.json", import.meta.url));

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The capability payload of the default build (what the board model answers). */
export function defaultCapabilities(): Uint8Array {
  let reply: Uint8Array | undefined;
  const model = new BoardModel({}, { send: (b) => (reply = b), txIdle: () => true, whenTxIdle: (fn) => fn() });
  model.receive(helloFrame(0));
  const r = decodeResponse({ type: reply![2], seq: reply![3], payload: reply!.subarray(6, reply!.length - 2) });
  if (r.kind !== "ack") throw new Error("HELLO was not acknowledged");
  return r.payload;
}

/** CRC test vectors. */
export function crcVectors(): { input: string; ascii?: string; crc: string }[] {
  const cases: [Uint8Array, string?][] = [
    [new TextEncoder().encode("123456789"), "123456789"],
    [new Uint8Array(0)],
    [Uint8Array.of(0x00)],
    [Uint8Array.of(0x01, 0x00, 0x00, 0x00)],
  ];
  return cases.map(([b, ascii]) => ({ input: hex(b), ...(ascii === undefined ? {} : { ascii }), crc: `0x${crc16(b).toString(16).toUpperCase().padStart(4, "0")}` }));
}

/** One worked example frame. */
export interface FrameExample {
  readonly name: string;
  readonly what: string;
  readonly bytes: Uint8Array;
}

/** The worked examples of docs/protocol.md §9. */
export function frameExamples(): FrameExample[] {
  const syn = memoryMap(UP5K_CAPACITY)[MEMORY.SYNAPSES];
  // Synapses of core-spec §8: axon 0 -> n0 weight 6 delay 1; n0 (source 1024) -> n1 weight 20 delay 2.
  const synWords = [6 | (0 << 8) | (0 << 16) | (0 << 20) | (0 << 21), 20 | (1 << 8) | (1 << 16) | (0 << 20) | (1024 << 21)];
  const synBytes = packWords(synWords.map((w) => w >>> 0), syn.wordBytes);
  return [
    { name: "hello", what: "HELLO, SEQ 0 (any SEQ; the board then expects 1)", bytes: helloFrame(0) },
    { name: "hello-ack", what: "ACK of HELLO: the default build's capabilities (64 bytes)", bytes: ackFrame(0, defaultCapabilities()) },
    { name: "write", what: "WRITE SYNAPSES[0..2), SEQ 1: the two synapses of core-spec §8 (words 0x00000006, 0x80010114)", bytes: writeFrame(1, { memory: MEMORY.SYNAPSES, count: 2, addr: 0 }, synBytes) },
    { name: "write-ack", what: "ACK of SEQ 1", bytes: ackFrame(1) },
    { name: "read", what: "READ SYNAPSES[0..2), SEQ 2", bytes: readFrame(2, { memory: MEMORY.SYNAPSES, count: 2, addr: 0 }) },
    { name: "data", what: "DATA for SEQ 2 (the whole READ in one frame): address 0, then the words", bytes: dataFrame(2, 0, synBytes) },
    { name: "run", what: "RUN 5 steps, SEQ 3", bytes: runFrame(3, 5) },
    { name: "run-ack", what: "ACK of RUN", bytes: ackFrame(3) },
    { name: "input", what: "INPUT, SEQ 4: axon 0 at steps 0 and 1, then 3 empty steps (0000 8001 0000 8004)", bytes: inputFrame(4, Uint16Array.of(0x0000, 0x8001, 0x0000, 0x8004)) },
    { name: "poll", what: "POLL, SEQ 5: nothing taken yet", bytes: pollFrame(5, 0) },
    { name: "poll-ack", what: "ACK of POLL: no spike at steps 0-1, n0 at step 2, none at 3, n1 at step 4 (8002 0000 8002 0001 8001)", bytes: ackFrame(5, wordsToBytes([0x8002, 0x0000, 0x8002, 0x0001, 0x8001])) },
    { name: "poll-taken", what: "POLL, SEQ 6: the host has taken those 5 words", bytes: pollFrame(6, 5) },
    { name: "status", what: "STATUS, SEQ 7", bytes: bareFrame(OP.STATUS, 7) },
    { name: "status-ack", what: "ACK of STATUS: idle, expects 8, 12 frames and 3 garbage bytes so far", bytes: ackFrame(7, Uint8Array.of(0, 8, 12, 0, 3, 0)) },
    { name: "nack-crc", what: "NACK CRC for a frame received with SEQ 9; the board expects 8", bytes: nackFrame(9, STATUS_CODE.CRC, 8) },
    { name: "nack-sequence", what: "NACK SEQUENCE: SEQ 11 arrived, the board expects 8", bytes: nackFrame(11, STATUS_CODE.SEQUENCE, 8) },
    { name: "nack-busy", what: "NACK BUSY for SEQ 8 (WRITE during a run); the board now expects 9", bytes: nackFrame(8, STATUS_CODE.BUSY, 9) },
  ];
}

/** Receiver vectors: byte streams and what the board's receiver (no rescan) makes of them. */
export function receiverVectors(): { name: string; input: string; expect: string[]; garbageBytes: number }[] {
  const good = helloFrame(0);
  const bad = Uint8Array.from(bareFrame(OP.STATUS, 1));
  bad[bad.length - 1] ^= 0x01;
  const long = Uint8Array.of(0xa5, 0x5a, 0x04, 0x02, 0x01, 0x02);
  const streams: [string, Uint8Array][] = [
    ["garbage then a frame", Uint8Array.from([0x00, 0xa5, 0x13, 0xa5, ...good])],
    ["bad CRC then a frame", Uint8Array.from([...bad, ...good])],
    ["LEN too large then a frame", Uint8Array.from([...long, ...good])],
  ];
  return streams.map(([name, bytes]) => {
    const rx = new FrameReceiver({ resync: "skip" });
    const expect = rx.push(bytes).map((r) => ("frame" in r ? `frame type 0x${r.frame.type.toString(16)} seq ${r.frame.seq}` : `nack ${r.fault} seq ${r.seq}`));
    return { name, input: hex(bytes), expect, garbageBytes: rx.garbageBytes };
  });
}

/** A markdown table of a schema, with default values when `defaults` is given. */
function schemaTable(list: FieldList, defaults?: Record<string, number | bigint>): string {
  const offsets = fieldOffsets(list);
  const rows = list.map((f: FieldSpec, i) => {
    const [name, type, meaning] = f;
    const reserved = type.startsWith("pad");
    const t = reserved ? `${type.slice(3)} bytes` : type;
    const value = defaults === undefined ? "" : ` ${reserved ? 0 : String(defaults[name] ?? 0)} |`;
    return `| ${offsets[i]} | \`${reserved ? "reserved" : name}\` | ${t} |${value} ${meaning ?? ""} |`;
  });
  const head = defaults === undefined ? ["| offset | field | type | meaning |", "|---|---|---|---|"] : ["| offset | field | type | default build | meaning |", "|---|---|---|---|---|"];
  return [...head, ...rows].join("\n");
}

/** Render the blocks of docs/protocol.md that come from code. */
export function renderBlocks(): Record<string, string> {
  const caps = defaultCapabilities();
  const values: Record<string, number> = {};
  const view = new DataView(caps.buffer, caps.byteOffset, caps.byteLength);
  CAPS_FIELDS.forEach(([name, type], i) => {
    const off = fieldOffsets(CAPS_FIELDS)[i];
    if (type === "u8") values[name] = view.getUint8(off);
    else if (type === "u16") values[name] = view.getUint16(off, true);
    else if (type === "u32") values[name] = view.getUint32(off, true);
  });
  values.flags = 0; // the RTL's flags; the board model reports bit 1 (software model)
  const crc = crcVectors()
    .map((v) => `${(v.ascii !== undefined ? JSON.stringify(v.ascii) : v.input === "" ? '""' : v.input.replace(/(..)(?=.)/g, "$1 ")).padEnd(34)}-> ${v.crc}`)
    .join("\n");
  const frames = frameExamples()
    .map((e) => `# ${e.name}: ${e.what} (${e.bytes.length} bytes)\n${hexDump(e.bytes)}`)
    .join("\n\n");
  return {
    crc: "```\n" + crc + "\n```",
    "caps-table": schemaTable(CAPS_FIELDS, values),
    "status-table": schemaTable(STATUS_FIELDS),
    frames: "```\n" + frames + "\n```",
  };
}

/** Replace every `<!-- example:NAME -->` block of `doc` with its rendering. */
export function applyBlocks(doc: string, blocks: Record<string, string>): string {
  return doc.replace(/<!-- example:([a-z-]+) -->\n[\s\S]*?<!-- \/example -->/g, (whole, name: string) =>
    blocks[name] === undefined ? whole : `<!-- example:${name} -->\n${blocks[name]}\n<!-- /example -->`,
  );
}

/** The vectors file's text. */
export function renderVectors(): string {
  const vectors = {
    description: "Link protocol test vectors (docs/protocol.md), generated by host/driver/protocol-examples.ts. Hex strings, no separators.",
    crc: { model: "CRC-16/CCITT-FALSE: width 16, poly 0x1021, init 0xFFFF, refin/refout false, xorout 0x0000", cases: crcVectors() },
    frames: frameExamples().map((e) => ({ name: e.name, what: e.what, hex: hex(e.bytes) })),
    receiver: receiverVectors(),
  };
  return `${JSON.stringify(vectors, null, 2)}\n`;
}

/** Rewrite docs/protocol.md and the vectors file. */
export function writeGenerated(): void {
  writeFileSync(PROTOCOL_DOC, applyBlocks(readFileSync(PROTOCOL_DOC, "utf8"), renderBlocks()));
  writeFileSync(VECTORS_FILE, renderVectors());
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) writeGenerated();
