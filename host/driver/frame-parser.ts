// SPDX-License-Identifier: Apache-2.0
// The parser stream after the splitter: good frames become typed responses (binary-parser
// schemas of protocol.ts), receive faults pass through as faults. Used to decode captures.

import { Transform, type TransformCallback } from "node:stream";
import { decodeResponse, type Response } from "./frame.ts";
import type { FrameFault, Received } from "./frame-splitter.ts";

/** What the parser stream yields. */
export type Parsed = Response | (FrameFault & { readonly kind: "fault" });

/** Transform stream (object mode): `Received` in, `Parsed` out. Frames that decode badly become faults. */
export class FrameParser extends Transform {
  constructor() {
    super({ objectMode: true });
  }

  override _transform(item: Received, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!("frame" in item)) {
      this.push({ kind: "fault", ...item });
      callback();
      return;
    }
    try {
      this.push(decodeResponse(item.frame));
    } catch {
      this.push({ kind: "fault", fault: "CRC", seq: item.frame.seq, type: item.frame.type } satisfies Parsed);
    }
    callback();
  }
}
