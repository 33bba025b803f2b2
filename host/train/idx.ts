// SPDX-License-Identifier: Apache-2.0
// The IDX file format of MNIST and Fashion-MNIST (plain or gzipped): header declared as data with
// binary-parser, then a checked view of the unsigned-byte payload.
//
//   bytes 0-1  0x00 0x00
//   byte  2    element type (0x08 = unsigned byte; the only type these datasets use)
//   byte  3    number of dimensions n (1..4 here)
//   n × uint32 big-endian dimension sizes
//   payload    product(sizes) elements, row-major

import { Parser } from "binary-parser";
import { gunzipSync } from "node:zlib";
import { LociError } from "../../sim/errors.ts";

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  /** Dimension sizes, outermost first (e.g. [60000, 28, 28]). */
  readonly shape: readonly number[];
  /** Row-major elements (a view into the decoded file). */
  readonly data: Uint8Array;
}

/** IDX element type code of unsigned bytes. */
export const IDX_UBYTE = 0x08;

interface IdxHeader {
  zero: number;
  type: number;
  dims: number;
  sizes: number[];
}

const headerParser = new Parser()
  .endianness("big")
  .uint16("zero")
  .uint8("type")
  .uint8("dims")
  .array("sizes", { type: "uint32be", length: "dims" });

/** An E_DATA error for a corrupt IDX file, saying what is wrong and how to recover. */
function corrupt(file: string, what: string, suggestion: string): LociError {
  return new LociError("E_DATA", `${file}: not a valid IDX file: ${what}`, { context: { file }, suggestion });
}

/**
 * Decode IDX bytes (gzip is detected by its magic 1f 8b and inflated first). `expectedDims`,
 * when given, is the required number of dimensions. Throws E_DATA naming the file on a wrong
 * magic, an unsupported element type, a truncated payload or trailing bytes.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims?: number, suggestion = "Download the dataset again."): IdxArray {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (error) {
      throw new LociError("E_DATA", `${file}: the gzip stream is corrupt (${(error as Error).message})`, {
        context: { file },
        cause: error,
        suggestion,
      });
    }
  }
  if (buf.length < 4) throw corrupt(file, `only ${buf.length} bytes (an IDX header has at least 4)`, suggestion);
  if (buf.length < 4 + 4 * buf[3]) throw corrupt(file, "the header is truncated", suggestion);
  const head = headerParser.parse(buf.subarray(0, 4 + 4 * buf[3])) as IdxHeader;
  if (head.zero !== 0) throw corrupt(file, `wrong magic 0x${buf.subarray(0, 4).toString("hex")} (IDX files start with 00 00)`, suggestion);
  if (head.type !== IDX_UBYTE) throw corrupt(file, `element type 0x${head.type.toString(16)} is not unsigned byte (0x08)`, suggestion);
  if (head.dims < 1 || (expectedDims !== undefined && head.dims !== expectedDims)) {
    throw corrupt(file, `${head.dims} dimensions (expected ${expectedDims ?? "at least 1"})`, suggestion);
  }
  const headerBytes = 4 + 4 * head.dims;
  const count = head.sizes.reduce((a, b) => a * b, 1);
  const payload = buf.length - headerBytes;
  if (payload < count) {
    throw corrupt(file, `truncated: the header declares ${count} bytes of data (${head.sizes.join(" × ")}), the file holds ${payload}`, suggestion);
  }
  if (payload > count) throw corrupt(file, `${payload - count} unexpected bytes after the data`, suggestion);
  return { shape: head.sizes, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, count) };
}

/** Encode an unsigned-byte IDX array (used by tests to write fixtures). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = IDX_UBYTE;
  out[3] = shape.length;
  shape.forEach((s, k) => view.setUint32(4 + 4 * k, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
