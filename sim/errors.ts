// SPDX-License-Identifier: Apache-2.0
// The error base class of every Loci layer. An error carries a stable `code`, the `context`
// that locates it (file, field, value, allowed range) and a `suggestion` a user can act on.
// The CLI's single error handler prints these; nothing else should print a stack trace.

/** Every error code Loci raises. Stable: scripts may match on them. */
export type LociErrorCode =
  | "E_FORMAT" // a file or structure is malformed (truncated, wrong magic/version, bad JSON)
  | "E_RANGE" // a value is outside its allowed range
  | "E_UNKNOWN_FIELD" // a field that the format does not define
  | "E_CAPACITY" // the network does not fit the core
  | "E_USAGE" // a command was called wrongly
  | "E_IO" // a file could not be read or written
  | "E_DATA" // a dataset is missing or corrupt
  | "E_TOOL" // an external tool (verilator, yosys, ...) is missing or failed
  | "E_FRAME" // a malformed frame on the link
  | "E_CRC" // a frame failed its CRC
  | "E_NACK" // the board answered with an error status
  | "E_TIMEOUT" // the board did not answer in time
  | "E_TRANSPORT" // the port closed or failed
  | "E_MISMATCH" // two models disagree (board vs simulator, RTL vs simulator)
  | "E_INTERNAL"; // a bug in Loci

/** Where an error happened: any of these that apply. */
export interface ErrorContext {
  readonly file?: string;
  readonly field?: string;
  readonly value?: unknown;
  readonly allowed?: string;
  readonly [key: string]: unknown;
}

export interface LociErrorOptions {
  readonly context?: ErrorContext;
  readonly suggestion?: string;
  readonly cause?: unknown;
}

/** Base class of every error Loci raises on purpose. */
export class LociError extends Error {
  readonly code: LociErrorCode;
  readonly context: ErrorContext;
  readonly suggestion: string | undefined;

  constructor(code: LociErrorCode, message: string, options: LociErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.suggestion = options.suggestion;
  }

  /** A plain object for `--json` output. */
  toJSON(): { code: LociErrorCode; message: string; context: ErrorContext; suggestion?: string } {
    return {
      code: this.code,
      message: this.message,
      context: this.context,
      ...(this.suggestion === undefined ? {} : { suggestion: this.suggestion }),
    };
  }
}

/** A value outside its allowed range. The message names the field, the value and the range. */
export class RangeValueError extends LociError {
  constructor(field: string, value: unknown, allowed: string, options: { file?: string; suggestion?: string } = {}) {
    const where = options.file === undefined ? "" : `${options.file}: `;
    super("E_RANGE", `${where}${field} = ${formatValue(value)} is out of range (allowed: ${allowed})`, {
      context: { file: options.file, field, value, allowed },
      suggestion: options.suggestion,
    });
  }
}

/** A malformed file or structure. */
export class FormatError extends LociError {
  constructor(message: string, options: LociErrorOptions = {}) {
    const file = options.context?.file;
    super("E_FORMAT", file === undefined ? message : `${file}: ${message}`, options);
  }
}

/** A network that does not fit the core. The message is prefixed with the file when the context names one. */
export class CapacityError extends LociError {
  constructor(message: string, options: LociErrorOptions = {}) {
    const file = options.context?.file;
    super("E_CAPACITY", file === undefined ? message : `${file}: ${message}`, options);
  }
}

/** Render a value for an error message: short, unambiguous (strings quoted, NaN shown). */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (value === undefined) return "missing";
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(value);
  }
}

/** Convert anything thrown into a LociError (unknown errors become E_INTERNAL). */
export function asLociError(error: unknown): LociError {
  if (error instanceof LociError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LociError("E_INTERNAL", message, {
    cause: error,
    suggestion: "This is a bug in Loci; please report it with the command you ran.",
  });
}
