// SPDX-License-Identifier: Apache-2.0
// The Transport interface (in the style of node-serialport's bindings): a byte pipe to a board,
// all Promises. Implementations: serial port, virtual board (a serial port on a pty), the
// in-process simulator, a mock, and a fault-injecting wrapper around any of them.

/** Listener of received bytes. */
export type DataListener = (chunk: Uint8Array) => void;
/** Listener of the transport closing; `error` is set when it failed rather than being closed. */
export type CloseListener = (error?: Error) => void;

/** A byte pipe to a board. */
export interface Transport {
  /** Human-readable name: the port path, `sim`, `virtual:/dev/pts/3`, ... */
  readonly description: string;
  /** Line rate in baud (the sim transport paces to it; a pty ignores it). */
  readonly baud: number;
  readonly isOpen: boolean;
  /**
   * Base response timeout this transport needs, ms, when the far end may run slower than the
   * wall clock (the virtual board simulates the RTL); undefined = the link's default (50 ms).
   */
  readonly responseTimeoutMs?: number;
  /** Open the port. Rejects with a TransportError. */
  open(): Promise<void>;
  /** Queue bytes for sending; resolves when the transport has accepted them. */
  write(bytes: Uint8Array): Promise<void>;
  /** Close the port; pending writes are dropped. Idempotent. */
  close(): Promise<void>;
  /** Subscribe to received bytes; returns the unsubscribe function. */
  onData(listener: DataListener): () => void;
  /** Subscribe to the transport closing; returns the unsubscribe function. */
  onClose(listener: CloseListener): () => void;
}

/** Listener bookkeeping shared by the transports. */
export class TransportEvents {
  private readonly data = new Set<DataListener>();
  private readonly closed = new Set<CloseListener>();

  onData(listener: DataListener): () => void {
    this.data.add(listener);
    return () => this.data.delete(listener);
  }

  onClose(listener: CloseListener): () => void {
    this.closed.add(listener);
    return () => this.closed.delete(listener);
  }

  /** Deliver received bytes to every listener. */
  emitData(chunk: Uint8Array): void {
    for (const l of [...this.data]) l(chunk);
  }

  /** Tell every listener the transport closed. */
  emitClose(error?: Error): void {
    for (const l of [...this.closed]) l(error);
  }
}

/** Base of the transports: listener bookkeeping for `onData` and `onClose`. */
export abstract class TransportBase implements Transport {
  abstract readonly description: string;
  abstract readonly baud: number;
  abstract readonly isOpen: boolean;
  protected readonly events = new TransportEvents();

  abstract open(): Promise<void>;
  abstract write(bytes: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;

  onData(listener: DataListener): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: CloseListener): () => void {
    return this.events.onClose(listener);
  }
}
