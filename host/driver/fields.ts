// SPDX-License-Identifier: Apache-2.0
// Packet schemas as data: a payload is a list of little-endian fields. From one list we build the
// binary-parser decoder and the encoder, and the docs tables are rendered from the same lists.

import { Parser } from "binary-parser";
import { FrameError } from "./errors.ts";

/** A field type: unsigned little-endian integers, or `pad<N>` reserved bytes (written as 0). */
export type FieldType = "u8" | "u16" | "u32" | "u64" | `pad${number}`;

/** One field: name, type, and a one-line meaning (for the docs). */
export type FieldSpec = readonly [name: string, type: FieldType, meaning?: string];

/** A schema: fields in wire order. */
export type FieldList = readonly FieldSpec[];

/** Decoded values: numbers, except u64 fields (bigint). Reserved fields are omitted. */
export type FieldValues = Record<string, number | bigint>;

/** Size of one field in bytes. */
export function fieldSize(type: FieldType): number {
  switch (type) {
    case "u8":
      return 1;
    case "u16":
      return 2;
    case "u32":
      return 4;
    case "u64":
      return 8;
    default:
      return Number(type.slice(3));
  }
}

/** Size of a schema in bytes. */
export function schemaSize(list: FieldList): number {
  return list.reduce((n, [, type]) => n + fieldSize(type), 0);
}

/** Byte offset of every field (for the docs tables). */
export function fieldOffsets(list: FieldList): number[] {
  const out: number[] = [];
  let off = 0;
  for (const [, type] of list) {
    out.push(off);
    off += fieldSize(type);
  }
  return out;
}

/** Encode values into `target` at `offset` following `list`; missing fields are 0. Returns the end offset. */
export function encodeFields(list: FieldList, values: Readonly<Partial<FieldValues>>, target: Uint8Array, offset = 0): number {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  let off = offset;
  for (const [name, type] of list) {
    const v = values[name] ?? 0;
    switch (type) {
      case "u8":
        view.setUint8(off, Number(v));
        break;
      case "u16":
        view.setUint16(off, Number(v), true);
        break;
      case "u32":
        view.setUint32(off, Number(v) >>> 0, true);
        break;
      case "u64":
        view.setBigUint64(off, BigInt(v), true);
        break;
      default:
        target.fill(0, off, off + fieldSize(type));
    }
    off += fieldSize(type);
  }
  return off;
}

/** A decoder for a schema, built once with binary-parser. */
export interface FieldDecoder {
  /** Decode the schema from the start of `bytes` (at least `size` bytes). */
  decode(bytes: Uint8Array): FieldValues;
  readonly size: number;
}

/** Build the binary-parser decoder of a schema. */
export function fieldDecoder(list: FieldList): FieldDecoder {
  let parser = new Parser().endianness("little");
  for (const [name, type] of list) {
    switch (type) {
      case "u8":
        parser = parser.uint8(name);
        break;
      case "u16":
        parser = parser.uint16le(name);
        break;
      case "u32":
        parser = parser.uint32le(name);
        break;
      case "u64":
        parser = parser.uint64le(name);
        break;
      default:
        parser = parser.seek(fieldSize(type));
    }
  }
  const size = schemaSize(list);
  return {
    size,
    decode(bytes) {
      if (bytes.length < size) throw new FrameError(`payload of ${bytes.length} bytes is shorter than its ${size}-byte header`);
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, size);
      return parser.parse(buf) as FieldValues;
    },
  };
}
