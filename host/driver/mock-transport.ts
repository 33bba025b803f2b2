// SPDX-License-Identifier: Apache-2.0
// A mock transport: an in-memory byte pipe whose far end is a function the test supplies (or a
// board model wired to it synchronously). It records every byte both ways.

import { BoardModel, type BoardModelOptions } from "./board-model.ts";
import { TransportError } from "./errors.ts";
import { TransportBase } from "./transport.ts";

/** The far end of a mock: receives what the host writes, may answer with `reply`. */
export type MockPeer = (bytes: Uint8Array, reply: (bytes: Uint8Array) => void) => void;

/** An in-memory Transport. */
export class MockTransport extends TransportBase {
  readonly description = "mock";
  readonly baud = Infinity;
  /** Every byte the host wrote. */
  readonly written: Uint8Array[] = [];
  /** Every byte delivered to the host. */
  readonly delivered: Uint8Array[] = [];
  private open_ = false;

  constructor(private readonly peer: MockPeer) {
    super();
  }

  /** A mock whose far end is a board model (no line timing: the unit-test board). */
  static withBoard(options: BoardModelOptions = {}): { transport: MockTransport; board: BoardModel } {
    let deliver: (b: Uint8Array) => void = () => undefined;
    const board = new BoardModel(options, { send: (b) => deliver(b), txIdle: () => true, whenTxIdle: (fn) => setImmediate(fn) });
    const transport = new MockTransport((bytes) => board.receive(bytes));
    deliver = (b) => transport.inject(b);
    return { transport, board };
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new TransportError("write on a closed mock transport", { context: { port: "mock" } });
    const copy = Uint8Array.from(bytes);
    this.written.push(copy);
    setImmediate(() => {
      if (this.open_) this.peer(copy, (b) => this.inject(b));
    });
  }

  /** Deliver bytes to the host (asynchronously, as a port would). */
  inject(bytes: Uint8Array): void {
    const copy = Uint8Array.from(bytes);
    setImmediate(() => {
      if (!this.open_) return;
      this.delivered.push(copy);
      this.events.emitData(copy);
    });
  }

  /** Simulate the port vanishing (cable pulled). */
  disconnect(): void {
    if (!this.open_) return;
    this.open_ = false;
    this.events.emitClose(new Error("device disconnected"));
  }

  async close(): Promise<void> {
    if (!this.open_) return;
    this.open_ = false;
    this.events.emitClose();
  }
}
