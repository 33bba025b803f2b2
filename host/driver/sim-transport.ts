// SPDX-License-Identifier: Apache-2.0
// The in-process simulator transport: the board model (command engine over the golden
// simulator) behind a modelled UART line, paced at the baud rate in both directions with a
// USB-like latency on the way back. `--port sim` selects it.

import { DEFAULT_CORE_CLOCK_HZ } from "../../sim/spec.ts";
import { BoardModel, type BoardModelOptions } from "./board-model.ts";
import { TransportError } from "./errors.ts";
import { PacedLine } from "./paced-line.ts";
import { DEFAULT_BAUD, INTERBYTE_TIMEOUT_CLOCKS } from "./protocol.ts";
import { TransportBase } from "./transport.ts";

/** Options of the sim transport. */
export interface SimTransportOptions extends BoardModelOptions {
  /** Line rate, baud; Infinity = unpaced (bytes cross instantly). Default 3,000,000. */
  readonly baud?: number;
  /** Board -> host latency (the FTDI latency timer with low_latency set), ms. Default 1. */
  readonly latencyMs?: number;
}

/** A Transport to a modelled board in this process. The board keeps its memories across close/open. */
export class SimTransport extends TransportBase {
  readonly description = "sim";
  readonly baud: number;
  /** The modelled board (for tests and benchmarks). */
  readonly board: BoardModel;
  private toBoard: PacedLine | undefined;
  private toHost: PacedLine | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private open_ = false;
  private readonly latencyMs: number;
  private readonly quietMs: number;

  constructor(options: SimTransportOptions = {}) {
    super();
    this.baud = options.baud ?? DEFAULT_BAUD;
    this.latencyMs = Number.isFinite(this.baud) ? (options.latencyMs ?? 1) : 0;
    this.quietMs = (INTERBYTE_TIMEOUT_CLOCKS / (options.clockHz ?? DEFAULT_CORE_CLOCK_HZ)) * 1000;
    this.board = new BoardModel(
      { ...options, baud: Number.isFinite(this.baud) ? this.baud : DEFAULT_BAUD },
      {
        send: (b) => this.toHost?.send(b),
        txIdle: () => this.toHost?.idle ?? true,
        whenTxIdle: (fn) => this.toHost?.whenIdle(fn),
      },
    );
  }

  get isOpen(): boolean {
    return this.open_;
  }

  /** Bytes the host has put on the line since open. */
  get bytesToBoard(): number {
    return this.toBoard?.bytesSent ?? 0;
  }

  /** Bytes the board has put on the line since open. */
  get bytesToHost(): number {
    return this.toHost?.bytesSent ?? 0;
  }

  async open(): Promise<void> {
    if (this.open_) throw new TransportError("sim transport is already open", { context: { port: "sim" } });
    // The board streams back to back from its transmit FIFO: 2 ms of slack hides timer granularity.
    this.toHost = new PacedLine({ baud: this.baud, latencyMs: this.latencyMs, slackMs: 2 }, (chunk) => this.events.emitData(chunk));
    this.toBoard = new PacedLine({ baud: this.baud }, (chunk) => this.deliver(chunk));
    this.open_ = true;
  }

  private deliver(chunk: Uint8Array): void {
    this.board.receive(chunk);
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    if (this.board.receiving) {
      this.quietTimer = setTimeout(() => {
        this.quietTimer = undefined;
        this.board.lineQuiet();
      }, this.quietMs);
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_ || this.toBoard === undefined) throw new TransportError("write on a closed sim transport", { context: { port: "sim" } });
    this.toBoard.send(Uint8Array.from(bytes));
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.toBoard?.stop();
    this.toHost?.stop();
    this.toBoard = this.toHost = undefined;
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.events.emitClose();
  }
}
