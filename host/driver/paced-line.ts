// SPDX-License-Identifier: Apache-2.0
// One direction of a modelled UART line: bytes leave at baud / 10 bytes per second of wall-clock
// time and arrive after a fixed latency (the USB path), in chunks. With baud = Infinity the line
// is unpaced (bytes arrive on the next turn of the event loop), for fast tests.

import { performance } from "node:perf_hooks";

/** Options of a paced line. */
export interface PacedLineOptions {
  /** Line rate, baud (8N1: baud / 10 bytes per second). Infinity = unpaced. */
  readonly baud: number;
  /** Delay between a byte leaving and arriving, ms (default 0). */
  readonly latencyMs?: number;
  /**
   * The sender counts as idle while at most this much is still queued, ms (default 0). A board
   * transmits back to back from its FIFO; a slack covers the timer granularity of this model.
   */
  readonly slackMs?: number;
}

interface Pending {
  readonly bytes: Uint8Array;
  /** Arrival time of the last byte, ms. */
  readonly arrive: number;
  /** Departure time of the first byte, ms. */
  readonly start: number;
}

/** A one-way paced byte channel delivering to `sink`. */
export class PacedLine {
  /** Bytes sent so far. */
  bytesSent = 0;
  private readonly msPerByte: number;
  private readonly latency: number;
  private readonly slack: number;
  private lineFreeAt = 0;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(options: PacedLineOptions, private readonly sink: (chunk: Uint8Array) => void) {
    this.msPerByte = Number.isFinite(options.baud) ? 10_000 / options.baud : 0;
    this.latency = options.latencyMs ?? 0;
    this.slack = options.slackMs ?? 0;
  }

  /** Bytes per second of the line (Infinity when unpaced). */
  get bytesPerSecond(): number {
    return this.msPerByte === 0 ? Infinity : 1000 / this.msPerByte;
  }

  /** Send bytes: they depart after everything already queued. */
  send(bytes: Uint8Array): void {
    if (this.stopped || bytes.length === 0) return;
    this.bytesSent += bytes.length;
    const now = performance.now();
    const start = Math.max(now, this.lineFreeAt);
    this.lineFreeAt = start + bytes.length * this.msPerByte;
    this.queue.push({ bytes, start, arrive: this.lineFreeAt + this.latency });
    this.schedule();
  }

  /** True when the transmitter can take more without a gap (at most `slackMs` still queued). */
  get idle(): boolean {
    return this.lineFreeAt - this.slack <= performance.now();
  }

  /** Time until the transmitter is idle, ms. */
  get busyMs(): number {
    return Math.max(0, this.lineFreeAt - performance.now());
  }

  /** Call `fn` once the transmitter is idle. */
  whenIdle(fn: () => void): void {
    if (this.idle) {
      fn();
      return;
    }
    this.idleWaiters.push(fn);
    this.schedule();
  }

  /** Drop everything queued and stop delivering. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.idleWaiters = [];
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined || this.immediate !== undefined) return;
    if (this.msPerByte === 0 && this.latency === 0) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
      return;
    }
    const now = performance.now();
    let next = Infinity;
    if (this.queue.length > 0) {
      // Deliver what has arrived in ~1 ms chunks, as a USB link does.
      const head = this.queue[0];
      next = Math.min(head.arrive, head.start + this.latency + 1);
    }
    if (this.idleWaiters.length > 0) next = Math.min(next, this.lineFreeAt - this.slack);
    if (next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, Math.max(0, next - now));
  }

  private flush(): void {
    if (this.stopped) return;
    const now = performance.now();
    const chunks: Uint8Array[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.arrive <= now || this.msPerByte === 0) {
        chunks.push(head.bytes);
        this.queue.shift();
        continue;
      }
      // Partially arrived: deliver the bytes whose arrival time has passed.
      const arrived = Math.floor((now - this.latency - head.start) / this.msPerByte);
      if (arrived > 0) {
        chunks.push(head.bytes.subarray(0, arrived));
        this.queue[0] = { bytes: head.bytes.subarray(arrived), start: head.start + arrived * this.msPerByte, arrive: head.arrive };
      }
      break;
    }
    if (chunks.length > 0) {
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let off = 0;
      for (const c of chunks) {
        out.set(c, off);
        off += c.length;
      }
      this.sink(out);
    }
    if (this.idle && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    this.schedule();
  }
}
