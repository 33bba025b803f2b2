// SPDX-License-Identifier: Apache-2.0
// `--port` for the CLI: `sim` (the in-process board model), `virtual` (start a virtual board for
// this command), or a device path. Returns a connected Board that closes everything it opened.

import { Board } from "./board.ts";
import type { LinkOptions } from "./client.ts";
import { DEFAULT_BAUD } from "./protocol.ts";
import { SerialTransport } from "./serial-transport.ts";
import { SimTransport } from "./sim-transport.ts";
import type { Transport } from "./transport.ts";
import { VirtualBoard } from "./virtual-board.ts";

/** Options of `openPort`. */
export interface OpenPortOptions extends LinkOptions {
  /** Line rate, baud (default 3,000,000). */
  readonly baud?: number;
  /** `virtual`: the virtual board executable (default: $LOCI_VIRTUAL_BOARD, else the default build). */
  readonly virtualBoard?: string;
}

/** Make the transport a `--port` value names (not yet opened). */
export async function transportFor(port: string, options: OpenPortOptions = {}): Promise<Transport> {
  const baud = options.baud ?? DEFAULT_BAUD;
  if (port === "sim") return new SimTransport({ baud });
  if (port === "virtual") {
    const vb = await VirtualBoard.start({ baud: options.baud, executable: options.virtualBoard });
    return vb.transport(vb.baud, true);
  }
  return new SerialTransport({ path: port, baud });
}

/** Open `--port` and start a session. */
export async function openBoard(port: string, options: OpenPortOptions = {}): Promise<Board> {
  const transport = await transportFor(port, options);
  try {
    return await Board.open(transport, options);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
}
