// SPDX-License-Identifier: Apache-2.0
// Where a command writes: real stdout/stderr in the CLI, buffers in tests.

/** Output channels of a command. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

/** The process's own streams. */
export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
};

/** An IO that records everything, for tests. */
export function bufferIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let o = "";
  let e = "";
  return {
    out: (text) => void (o += text),
    err: (text) => void (e += text),
    interactive: false,
    stdout: () => o,
    stderr: () => e,
  };
}

/** Print a value as the single JSON document of a `--json` run. */
export function printJson(io: CliIO, value: unknown): void {
  io.out(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
}
