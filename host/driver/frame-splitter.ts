// SPDX-License-Identifier: Apache-2.0
// The receiver of docs/protocol.md §2.1: hunts for SYNC, checks LEN and CRC, and turns a byte
// stream into good frames and faults. `FrameReceiver` is the state machine (also used by the
// board model); `FrameSplitter` wraps it as a Transform stream for the host's pipeline.

import { Transform, type TransformCallback } from "node:stream";
import { crc16 } from "./crc.ts";
import type { RawFrame } from "./frame.ts";
import { FRAME_OVERHEAD, HEADER_BYTES, MAX_PAYLOAD, SYNC0, SYNC1 } from "./protocol.ts";

/** A receive fault: the frame it belonged to is dropped. */
export interface FrameFault {
  readonly fault: "CRC" | "LENGTH" | "TIMEOUT";
  /** SEQ as received (unreliable for CRC faults). */
  readonly seq: number;
  readonly type: number;
}

/** What the receiver yields. */
export type Received = { readonly frame: RawFrame } | FrameFault;

/** Receiver options. */
export interface ReceiverOptions {
  /** Largest accepted LEN, bytes (default MAX_PAYLOAD). */
  readonly maxPayload?: number;
  /**
   * After a bad frame: "skip" hunts again after the bad frame (the board's FSM), "rescan" hunts
   * again from the byte after its SYNC0 (the host, which keeps the bytes). Default "rescan".
   */
  readonly resync?: "skip" | "rescan";
}

/** Byte-stream receiver with counters. */
export class FrameReceiver {
  /** Bytes discarded while hunting for SYNC. */
  garbageBytes = 0;
  /** Frames with a good CRC. */
  goodFrames = 0;
  private buf: Uint8Array = new Uint8Array(0);
  private readonly maxPayload: number;
  private readonly resync: "skip" | "rescan";

  constructor(options: ReceiverOptions = {}) {
    this.maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    this.resync = options.resync ?? "rescan";
  }

  /** True while a frame has started (SYNC seen) but is not complete. */
  get inFrame(): boolean {
    return this.buf.length >= 2 && this.buf[0] === SYNC0 && this.buf[1] === SYNC1;
  }

  /** Feed bytes; returns the frames and faults they complete, in order. */
  push(chunk: Uint8Array): Received[] {
    const out: Received[] = [];
    let buf: Uint8Array;
    if (this.buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.buf.length + chunk.length);
      buf.set(this.buf);
      buf.set(chunk, this.buf.length);
    }
    let pos = 0;
    for (;;) {
      // Hunt: SYNC0 SYNC1.
      while (pos < buf.length) {
        if (buf[pos] === SYNC0 && (pos + 1 >= buf.length || buf[pos + 1] === SYNC1)) break;
        pos++;
        this.garbageBytes++;
      }
      if (buf.length - pos < HEADER_BYTES) break;
      const type = buf[pos + 2];
      const seq = buf[pos + 3];
      const len = buf[pos + 4] | (buf[pos + 5] << 8);
      if (len > this.maxPayload) {
        out.push({ fault: "LENGTH", seq, type });
        if (this.resync === "skip") pos += HEADER_BYTES;
        else {
          pos += 1;
          this.garbageBytes++;
        }
        continue;
      }
      const total = len + FRAME_OVERHEAD;
      if (buf.length - pos < total) break;
      const crc = crc16(buf, pos + 2, pos + HEADER_BYTES + len);
      const got = (buf[pos + HEADER_BYTES + len] << 8) | buf[pos + HEADER_BYTES + len + 1];
      if (crc !== got) {
        out.push({ fault: "CRC", seq, type });
        if (this.resync === "skip") pos += total;
        else {
          pos += 1;
          this.garbageBytes++;
        }
        continue;
      }
      this.goodFrames++;
      out.push({ frame: { type, seq, payload: buf.slice(pos + HEADER_BYTES, pos + HEADER_BYTES + len) } });
      pos += total;
    }
    this.buf = buf.slice(pos);
    return out;
  }

  /**
   * The line went quiet (inter-byte timeout): drop a partial frame. Returns a TIMEOUT fault when a
   * frame had started; a lone SYNC0 counts as garbage.
   */
  timeout(): FrameFault | undefined {
    if (this.buf.length === 0) return undefined;
    const started = this.inFrame;
    const fault: FrameFault | undefined = started ? { fault: "TIMEOUT", seq: this.buf[3] ?? 0, type: this.buf[2] ?? 0 } : undefined;
    if (!started) this.garbageBytes += this.buf.length;
    this.buf = new Uint8Array(0);
    return fault;
  }

  /**
   * The host's recovery from a stall: a corrupted LEN can make the receiver wait for bytes that
   * belong to later frames. Drop the SYNC0 of the pending partial frame and parse the rest again.
   */
  rescanPending(): Received[] {
    if (this.buf.length === 0) return [];
    const rest = this.buf.subarray(1);
    this.buf = new Uint8Array(0);
    this.garbageBytes++;
    return this.push(rest);
  }

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.buf.length;
  }
}

/** Transform stream: bytes in, `Received` objects out (object mode). */
export class FrameSplitter extends Transform {
  readonly receiver: FrameReceiver;

  constructor(options: ReceiverOptions = {}) {
    super({ readableObjectMode: true });
    this.receiver = new FrameReceiver(options);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const r of this.receiver.push(chunk)) this.push(r);
    callback();
  }
}
