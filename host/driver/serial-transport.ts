// SPDX-License-Identifier: Apache-2.0
// The serial-port transport (node-serialport): a real board's FTDI UART, or the virtual board's
// pseudo-terminal. Port errors become TransportErrors; a port that vanishes mid-transfer closes
// the link with a clear error instead of hanging.

import { SerialPort } from "serialport";
import { TransportError } from "./errors.ts";
import { DEFAULT_BAUD } from "./protocol.ts";
import { TransportBase } from "./transport.ts";

/** Options of a serial transport. */
export interface SerialTransportOptions {
  /** Device path, e.g. /dev/ttyUSB1 or /dev/pts/3. */
  readonly path: string;
  /** Line rate, baud (default 3,000,000). */
  readonly baud?: number;
  /** Name in messages (default: the path). */
  readonly description?: string;
  /** Base response timeout, ms (see Transport.responseTimeoutMs). */
  readonly responseTimeoutMs?: number;
}

/** A Transport over a serial port. */
export class SerialTransport extends TransportBase {
  readonly description: string;
  readonly baud: number;
  readonly responseTimeoutMs: number | undefined;
  private port: SerialPort | undefined;
  private closing = false;

  constructor(readonly options: SerialTransportOptions) {
    super();
    this.description = options.description ?? options.path;
    this.baud = options.baud ?? DEFAULT_BAUD;
    this.responseTimeoutMs = options.responseTimeoutMs;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    if (this.isOpen) throw new TransportError(`${this.description} is already open`, { context: { port: this.description } });
    const port = new SerialPort({ path: this.options.path, baudRate: this.baud, autoOpen: false, hupcl: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) =>
        error
          ? reject(
              new TransportError(`cannot open ${this.description}: ${error.message}`, {
                cause: error,
                context: { port: this.description, baud: this.baud },
              }),
            )
          : resolve(),
      ),
    );
    this.closing = false;
    this.port = port;
    port.on("data", (chunk: Buffer) => this.events.emitData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    port.on("close", (error?: Error & { disconnected?: boolean }) => {
      const unexpected = !this.closing;
      this.port = undefined;
      this.events.emitClose(unexpected ? (error ?? new Error("the port closed unexpectedly")) : undefined);
    });
    port.on("error", (error: Error) => {
      if (!this.closing) this.events.emitClose(error);
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) throw new TransportError(`write on closed port ${this.description}`, { context: { port: this.description } });
    await new Promise<void>((resolve, reject) =>
      port.write(Buffer.from(bytes), (error) =>
        error ? reject(new TransportError(`write to ${this.description} failed: ${error.message}`, { cause: error, context: { port: this.description } })) : resolve(),
      ),
    );
  }

  async close(): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) return;
    this.closing = true;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
