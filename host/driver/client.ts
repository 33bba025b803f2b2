// SPDX-License-Identifier: Apache-2.0
// The link client (docs/protocol.md §3): sequence numbers, a window of unanswered frames with
// cumulative acknowledgements, go-back-N after draining on link-level NACKs, response timeouts
// with backoff, and READ streams.

import { performance } from "node:perf_hooks";
import { LociError } from "../../sim/errors.ts";
import { CrcError, FrameError, NackError, TimeoutError, TransportError } from "./errors.ts";
import { FrameReceiver, type Received } from "./frame-splitter.ts";
import { decodeResponse, encodeFrame, type AccessHeader, type Response } from "./frame.ts";
import { DATA_HEADER_BYTES, DEFAULT_WINDOW, FRAME_OVERHEAD, isLinkStatus, MAX_PAYLOAD, MAX_WINDOW, OP, PROTOCOL_VERSION, STATUS_CODE, statusName, STATUS_MEANING, typeName, type StatusName } from "./protocol.ts";
import type { Transport } from "./transport.ts";

/** Bytes of the HELLO answer's payload (§5.1). */
const HELLO_PAYLOAD_BYTES = 64;

/** Shortest quiet time that ends a drain, ms (a virtual board may run slower than the wall clock). */
const QUIET_MIN_MS = 20;

/** Tuning of the link client. Times in ms. */
export interface LinkOptions {
  /** Frames the host may have unanswered (default: the board's, else 32; at most 127). */
  readonly window?: number;
  /** Fixed part of the response timeout, ms (default 50). */
  readonly responseTimeoutMs?: number;
  /** Retransmissions of one frame before giving up (default 16; E_CRC when its copies kept arriving damaged, else E_TIMEOUT). */
  readonly retries?: number;
  /** HELLO attempts before E_TIMEOUT (default 5). */
  readonly helloAttempts?: number;
  /** Quiet time that ends a drain, ms (default max(20, 4 frame times)). */
  readonly quietMs?: number;
  /** Timeout of each HELLO attempt, ms (default 250). */
  readonly helloTimeoutMs?: number;
}

/** A chunk of a READ stream: `words` (packed, wordBytes each) from address `addr`. */
export interface DataPiece {
  readonly addr: number;
  readonly words: Uint8Array;
}

/** Link statistics (for tests, benchmarks and `--json` reports). */
export interface LinkStats {
  framesSent: number;
  bytesSent: number;
  bytesReceived: number;
  retransmissions: number;
  rewinds: number;
  timeouts: number;
  linkNacks: number;
  badFrames: number;
}

interface Entry {
  seq: number;
  readonly op: number;
  readonly bytes: Uint8Array;
  /** Response bytes expected (for the timeout). */
  readonly responseBytes: number;
  readonly read?: { readonly end: number; readonly wordBytes: number; readonly pieces: DataPiece[] };
  answered: boolean;
  retries: number;
  /** Damaged frames (CRC NACKs, bad responses) seen while this entry was the oldest in flight. */
  corrupted: number;
  resolve: (payload: Uint8Array | undefined) => void;
  reject: (error: Error) => void;
}

/** The host side of the link over a transport. */
export class LinkClient {
  readonly stats: LinkStats = { framesSent: 0, bytesSent: 0, bytesReceived: 0, retransmissions: 0, rewinds: 0, timeouts: 0, linkNacks: 0, badFrames: 0 };
  /** Largest payload (from HELLO). */
  maxPayload = MAX_PAYLOAD;
  private window: number;
  private readonly responseTimeoutMs: number;
  private readonly retries: number;
  private quietMs: number;
  private readonly helloTimeoutMs: number;
  private readonly receiver = new FrameReceiver({ resync: "rescan" });
  private nextSeq = 1;
  private readonly queue: Entry[] = [];
  private readonly inFlight: Entry[] = [];
  private draining: { expected: number } | undefined;
  private lastProgress = performance.now();
  private lastResponse = performance.now();
  private lastBytes = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private failed: Error | undefined;
  private hello: { seq: number; resolve: (p: Uint8Array) => void } | undefined;
  /** protocolVersion of a 64-byte HELLO answer refused for it (reported if no good one comes). */
  private helloVersion: number | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly msPerByte: number;

  constructor(readonly transport: Transport, private readonly options: LinkOptions = {}) {
    this.window = Math.min(MAX_WINDOW, options.window ?? DEFAULT_WINDOW);
    this.responseTimeoutMs = options.responseTimeoutMs ?? transport.responseTimeoutMs ?? 50;
    this.retries = options.retries ?? 16;
    this.msPerByte = Number.isFinite(transport.baud) && transport.baud > 0 ? 10_000 / transport.baud : 0;
    this.quietMs = options.quietMs ?? Math.max(QUIET_MIN_MS, 4 * (MAX_PAYLOAD + FRAME_OVERHEAD) * this.msPerByte);
    this.helloTimeoutMs = options.helloTimeoutMs ?? Math.max(250, transport.responseTimeoutMs ?? 0);
    this.unsubscribe.push(transport.onData((chunk) => this.onBytes(chunk)));
    this.unsubscribe.push(
      transport.onClose((error) =>
        this.fail(new TransportError(`the port ${transport.description} closed${error ? `: ${error.message}` : ""} while the link was in use`, { cause: error, context: { port: transport.description } })),
      ),
    );
  }

  /** Time to send `bytes` at the line rate, ms. */
  lineMs(bytes: number): number {
    return bytes * this.msPerByte;
  }

  /** Start a session: HELLO (any SEQ) until the board answers; returns the capability payload. */
  async connect(): Promise<Uint8Array> {
    this.throwIfFailed();
    const attempts = Math.max(1, this.options.helloAttempts ?? 5) - 1;
    for (let attempt = 0; attempt <= attempts; attempt++) {
      const seq = 0;
      const got = new Promise<Uint8Array>((resolve) => (this.hello = { seq, resolve }));
      await this.send(encodeFrame(OP.HELLO, seq));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.helloTimeoutMs * 2 ** Math.min(attempt, 3))));
      const closed = new Promise<undefined>((resolve) => {
        const off = this.transport.onClose(() => {
          off();
          resolve(undefined);
        });
      });
      const payload = await Promise.race([got, timeout, closed]);
      clearTimeout(timer);
      this.throwIfFailed();
      if (payload !== undefined) {
        this.hello = undefined;
        this.nextSeq = (seq + 1) & 0xff;
        return payload;
      }
      this.stats.timeouts++;
    }
    this.hello = undefined;
    if (this.helloVersion !== undefined && this.helloVersion !== PROTOCOL_VERSION) {
      throw new FrameError(`the board speaks protocol version ${this.helloVersion}, this host ${PROTOCOL_VERSION}`, {
        context: { port: this.transport.description, protocolVersion: this.helloVersion },
        suggestion: "Program the board with a bitstream built from this checkout (or update the host).",
      });
    }
    throw new TimeoutError(`no answer to HELLO on ${this.transport.description} after ${attempts + 1} attempts`, { context: { port: this.transport.description } });
  }

  /** Adopt the board's window and payload limits (after HELLO). */
  configure(limits: { window: number; maxPayload: number }): void {
    this.window = Math.max(1, Math.min(MAX_WINDOW, this.options.window ?? limits.window, limits.window));
    this.maxPayload = limits.maxPayload;
    this.quietMs = this.options.quietMs ?? Math.max(QUIET_MIN_MS, 4 * (limits.maxPayload + FRAME_OVERHEAD) * this.msPerByte);
  }

  /** Send a sequenced command; resolves with its ACK payload (undefined when only acknowledged cumulatively). */
  request(op: number, payload: Uint8Array = new Uint8Array(0), responseBytes: number = FRAME_OVERHEAD): Promise<Uint8Array | undefined> {
    this.throwIfFailed();
    return new Promise((resolve, reject) => {
      this.queue.push({ seq: -1, op, bytes: payload, responseBytes, answered: false, retries: 0, corrupted: 0, resolve, reject });
      this.pump();
    });
  }

  /** READ: resolves with the DATA pieces that arrived intact (the caller reads missing ranges again). */
  readStream(access: AccessHeader, wordBytes: number, payload: Uint8Array): Promise<DataPiece[]> {
    this.throwIfFailed();
    const perFrame = Math.floor((this.maxPayload - DATA_HEADER_BYTES) / wordBytes);
    const frames = Math.ceil(access.count / perFrame);
    const responseBytes = access.count * wordBytes + frames * (FRAME_OVERHEAD + DATA_HEADER_BYTES);
    const pieces: DataPiece[] = [];
    return new Promise((resolve, reject) => {
      this.queue.push({
        seq: -1,
        op: OP.READ,
        bytes: payload,
        responseBytes,
        read: { end: access.addr + access.count, wordBytes, pieces },
        answered: false,
        retries: 0,
        corrupted: 0,
        resolve: () => resolve(pieces),
        reject,
      });
      this.pump();
    });
  }

  /** Stop the timers and listeners (the transport stays open). */
  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    this.fail(new TransportError("the link was closed", { context: { port: this.transport.description } }));
  }

  // -------------------------------------------------------------------------------------------

  private throwIfFailed(): void {
    if (this.failed !== undefined) throw this.failed;
  }

  private fail(error: Error): void {
    if (this.failed !== undefined) return;
    this.failed = error;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const e of [...this.inFlight.splice(0), ...this.queue.splice(0)]) e.reject(error);
  }

  private async send(bytes: Uint8Array): Promise<void> {
    this.stats.bytesSent += bytes.length;
    try {
      await this.transport.write(bytes);
    } catch (error) {
      const e = error instanceof LociError ? error : new TransportError(`write to ${this.transport.description} failed`, { cause: error });
      this.fail(e);
      throw e;
    }
  }

  /** Send queued frames while the window, a READ barrier and draining allow. */
  private pump(): void {
    if (this.failed !== undefined) return;
    while (this.queue.length > 0 && this.draining === undefined && this.inFlight.length < this.window) {
      const last = this.inFlight[this.inFlight.length - 1];
      if (last !== undefined && last.op === OP.READ) break; // nothing after a READ (§6.1)
      const e = this.queue.shift()!;
      if (e.seq < 0) e.seq = this.nextSeq;
      this.nextSeq = (e.seq + 1) & 0xff;
      e.answered = false;
      if (this.inFlight.length === 0) this.lastProgress = performance.now();
      this.inFlight.push(e);
      this.stats.framesSent++;
      void this.send(encodeFrame(e.op, e.seq, e.bytes)).catch(() => undefined);
    }
    this.armTimer();
  }

  private armTimer(): void {
    const busy = this.inFlight.length > 0 || this.queue.length > 0;
    if (this.timer === undefined && busy && this.failed === undefined) {
      this.timer = setInterval(() => this.tick(), 5);
    } else if (this.timer !== undefined && !busy) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const now = performance.now();
    // A partial frame that stopped growing: its LEN may be corrupt; rescan its bytes.
    if (this.receiver.pending > 0 && now - this.lastBytes >= this.quietMs) {
      this.lastBytes = now;
      this.handle(this.receiver.rescanPending());
    }
    if (this.draining !== undefined) {
      if (now - this.lastResponse >= this.quietMs || this.inFlight.every((e) => e.answered)) this.rewind();
      return;
    }
    const head = this.inFlight[0];
    if (head === undefined) {
      this.armTimer();
      return;
    }
    const inFlightBytes = this.inFlight.reduce((n, e) => n + e.bytes.length + FRAME_OVERHEAD + e.responseBytes, 0);
    const timeout = (this.responseTimeoutMs + this.lineMs(inFlightBytes)) * 2 ** Math.min(head.retries, 4);
    if (now - this.lastProgress < timeout) return;
    this.stats.timeouts++;
    // A READ stream that stopped after some data (its last DATA frame was lost): finish with what
    // arrived; the caller reads the missing range again.
    if (head.op === OP.READ && head.read!.pieces.length > 0) {
      this.complete(1);
      return;
    }
    this.draining = { expected: head.seq };
    this.rewind();
  }

  /** Go back: every unfinished frame from `draining.expected` on is sent again. */
  private rewind(): void {
    const expected = this.draining?.expected;
    this.draining = undefined;
    if (expected !== undefined) this.ackThrough(expected);
    const head = this.inFlight[0];
    if (head !== undefined && ++head.retries > this.retries) {
      const what = `${typeName(head.op)} (SEQ ${head.seq}) to ${this.transport.description}`;
      const context = { port: this.transport.description, opcode: typeName(head.op), seq: head.seq, retries: this.retries, damagedFrames: head.corrupted };
      this.fail(
        head.corrupted > 0
          ? new CrcError(`${what} was retransmitted ${this.retries} times and its frames kept arriving damaged`, { context })
          : new TimeoutError(`no answer to ${what} after ${this.retries} retransmissions`, { context }),
      );
      return;
    }
    this.stats.rewinds++;
    const again = this.inFlight.splice(0);
    this.stats.retransmissions += again.length;
    this.queue.unshift(...again);
    this.lastProgress = performance.now();
    this.pump();
  }

  /** Index in flight of `seq`, or -1. */
  private indexOf(seq: number): number {
    return this.inFlight.findIndex((e) => e.seq === seq);
  }

  /** Everything before `expected` is done (cumulative acknowledgement). */
  private ackThrough(expected: number): void {
    const head = this.inFlight[0];
    if (head === undefined) return;
    const d = (expected - head.seq) & 0xff;
    if (d === 0 || d > this.inFlight.length) return;
    this.complete(d);
  }

  /** Resolve the first `n` entries in flight. */
  private complete(n: number, lastPayload?: Uint8Array): void {
    const done = this.inFlight.splice(0, n);
    done.forEach((e, i) => e.resolve(i === done.length - 1 ? lastPayload : undefined));
    this.lastProgress = performance.now();
    this.pump();
  }

  private onBytes(chunk: Uint8Array): void {
    this.stats.bytesReceived += chunk.length;
    this.lastBytes = performance.now();
    this.handle(this.receiver.push(chunk));
  }

  private handle(received: readonly Received[]): void {
    for (const r of received) {
      if (!("frame" in r)) {
        this.stats.badFrames++;
        if (this.inFlight[0] !== undefined) this.inFlight[0].corrupted++;
        continue;
      }
      let msg: Response;
      try {
        msg = decodeResponse(r.frame);
      } catch {
        this.stats.badFrames++;
        continue;
      }
      this.lastResponse = performance.now();
      this.onResponse(msg);
    }
  }

  private onResponse(msg: Response): void {
    if (this.hello !== undefined) {
      if (msg.kind === "ack" && msg.seq === this.hello.seq && isCapabilities(msg.payload)) this.hello.resolve(msg.payload);
      else if (msg.kind === "ack" && msg.seq === this.hello.seq && msg.payload.length === HELLO_PAYLOAD_BYTES) this.helloVersion = msg.payload[0];
      return;
    }
    const i = this.indexOf(msg.seq);
    const entry = i >= 0 ? this.inFlight[i] : undefined;
    if (entry !== undefined) entry.answered = true;
    switch (msg.kind) {
      case "ack":
        if (entry !== undefined) this.complete(i + 1, msg.payload);
        return;
      case "data": {
        if (entry === undefined || entry.op !== OP.READ) return;
        if (i > 0) this.complete(i);
        const read = entry.read!;
        if (msg.words.length % read.wordBytes !== 0) {
          this.stats.badFrames++;
          return;
        }
        read.pieces.push({ addr: msg.addr, words: msg.words });
        this.lastProgress = performance.now();
        if (msg.addr + msg.words.length / read.wordBytes >= read.end) this.complete(1);
        return;
      }
      case "nack":
        this.onNack(msg, i, entry);
    }
  }

  private onNack(msg: Extract<Response, { kind: "nack" }>, i: number, entry: Entry | undefined): void {
    if (!isLinkStatus(msg.status)) {
      if (entry === undefined) return;
      if (i > 0) this.complete(i);
      this.inFlight.shift();
      const name = statusName(msg.status) as StatusName;
      entry.reject(
        new NackError(msg.status, `the board refused ${typeName(entry.op)} (SEQ ${entry.seq}): ${name} — ${STATUS_MEANING[name] ?? "unknown status"}`, {
          context: { opcode: typeName(entry.op), seq: entry.seq, status: name },
          suggestion: nackSuggestion(msg.status),
        }),
      );
      this.lastProgress = performance.now();
      this.pump();
      return;
    }
    this.stats.linkNacks++;
    if (msg.status === STATUS_CODE.CRC && this.inFlight[0] !== undefined) this.inFlight[0].corrupted++;
    // The board expects a SEQ outside what is in flight: it did not execute frames it had
    // acknowledged, or expects frames never sent. The session is gone (board reset, or another
    // host started one); retransmitting cannot help.
    const head = this.inFlight[0];
    if (msg.status === STATUS_CODE.SEQUENCE && head !== undefined && ((msg.expected - head.seq) & 0xff) > this.inFlight.length) {
      this.fail(
        new FrameError(`the board expects SEQ ${msg.expected}, outside the frames in flight (SEQ ${head.seq}..${(head.seq + this.inFlight.length - 1) & 0xff}): the session was lost`, {
          context: { port: this.transport.description, expected: msg.expected, oldestInFlight: head.seq, inFlight: this.inFlight.length },
          suggestion: "The board was reset or another program opened a session on it: open the board again (a new HELLO) and repeat the operation (flash again if it was reprogrammed).",
        }),
      );
      return;
    }
    // A duplicate (frame behind `expected`) only acknowledges.
    this.ackThrough(msg.expected);
    if (msg.status === STATUS_CODE.SEQUENCE && this.inFlight.length === 0) return;
    if (this.inFlight.length === 0 && this.queue.length === 0) return;
    this.draining = { expected: msg.expected };
  }
}

/**
 * A HELLO answer (docs/protocol.md §5.1): exactly 64 bytes, this protocol version, the reserved
 * bytes zero, a payload limit and a window. (A stale answer of another session cannot pass.)
 */
function isCapabilities(p: Uint8Array): boolean {
  if (p.length !== HELLO_PAYLOAD_BYTES || p[0] !== PROTOCOL_VERSION) return false;
  const maxPayload = p[2] | (p[3] << 8);
  if (maxPayload < 1 || maxPayload > MAX_PAYLOAD || p[4] < 1) return false;
  for (const i of [6, 7, 34, 35]) if (p[i] !== 0) return false;
  for (let i = 48; i < 64; i++) if (p[i] !== 0) return false;
  return true;
}

/** What a user can do about a command-level NACK. */
function nackSuggestion(status: number): string {
  switch (status) {
    case STATUS_CODE.BUSY:
      return "The core is running; wait for the run to end or abort it (loci run stops it on Ctrl-C).";
    case STATUS_CODE.ADDRESS:
    case STATUS_CODE.RANGE:
      return "The image or stimulus does not fit this board's capacity; compare `loci board info` with the image.";
    case STATUS_CODE.OPCODE:
    case STATUS_CODE.PAYLOAD:
      return "The board speaks another protocol version; update the bitstream or the host.";
    default:
      return "This is a host/board protocol mismatch; report it with `loci board info --json`.";
  }
}
