// SPDX-License-Identifier: Apache-2.0
// Errors of the link: frame, CRC, timeout, NACK and transport failures, each with its cause,
// the context that locates it (opcode, sequence number, port) and a suggestion.

import { LociError, type ErrorContext } from "../../sim/errors.ts";

/** Options shared by the link errors. */
export interface LinkErrorOptions {
  readonly context?: ErrorContext;
  readonly suggestion?: string;
  readonly cause?: unknown;
}

/** A malformed frame or a protocol violation by the other side (code E_FRAME). */
export class FrameError extends LociError {
  constructor(message: string, options: LinkErrorOptions = {}) {
    super("E_FRAME", message, {
      ...options,
      suggestion: options.suggestion ?? "Check that the board runs a Loci bitstream of the same protocol version and that the baud rates match.",
    });
  }
}

/** A frame that failed its CRC and could not be recovered by retrying (code E_CRC). */
export class CrcError extends LociError {
  constructor(message: string, options: LinkErrorOptions = {}) {
    super("E_CRC", message, {
      ...options,
      suggestion: options.suggestion ?? "The line is corrupting data: check the cable, lower the baud rate (--baud 1000000) and retry.",
    });
  }
}

/** The board did not answer in time, even after the retries (code E_TIMEOUT). */
export class TimeoutError extends LociError {
  constructor(message: string, options: LinkErrorOptions = {}) {
    super("E_TIMEOUT", message, {
      ...options,
      suggestion: options.suggestion ?? "Check that the board is powered, programmed with the Loci bitstream and connected to this port, and that --baud matches its build.",
    });
  }
}

/** The board refused a command with a command-level status (code E_NACK). */
export class NackError extends LociError {
  /** The status code from the NACK payload (docs/protocol.md §4). */
  readonly status: number;
  constructor(status: number, message: string, options: LinkErrorOptions = {}) {
    super("E_NACK", message, { ...options, context: { ...options.context, status } });
    this.status = status;
  }
}

/** The port failed, closed, or could not be opened (code E_TRANSPORT). */
export class TransportError extends LociError {
  constructor(message: string, options: LinkErrorOptions = {}) {
    super("E_TRANSPORT", message, {
      ...options,
      suggestion: options.suggestion ?? "Check the port name (loci board list), that no other program holds it, and the USB connection.",
    });
  }
}
