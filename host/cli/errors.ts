// SPDX-License-Identifier: Apache-2.0
// The CLI's single error handler: every failure becomes one readable message with its code,
// cause and a suggestion (or one JSON object under --json), and an exit status.

import { asLociError } from "../../sim/errors.ts";
import type { CliIO } from "./io.ts";

/** Exit status for errors: 2 for usage errors, 1 for everything else. */
export function exitCodeFor(code: string): number {
  return code === "E_USAGE" ? 2 : 1;
}

/** Report an error; returns the exit status. */
export function reportError(io: CliIO, error: unknown, json: boolean): number {
  const e = asLociError(error);
  if (json) {
    io.out(`${JSON.stringify({ error: e.toJSON() })}\n`);
  } else {
    io.err(`loci: error ${e.code}: ${e.message}\n`);
    const cause = e.cause instanceof Error ? e.cause.message : undefined;
    if (cause !== undefined && !e.message.includes(cause)) io.err(`  cause: ${cause}\n`);
    if (e.suggestion !== undefined) io.err(`  hint: ${e.suggestion}\n`);
    if (e.code === "E_INTERNAL" && process.env.LOCI_DEBUG && e.cause instanceof Error) io.err(`${e.cause.stack}\n`);
  }
  return exitCodeFor(e.code);
}
