// SPDX-License-Identifier: Apache-2.0
// A progress bar on stderr for long work. Drawn only on a terminal and never under --json,
// so piped and scripted output stays clean.

import type { CliIO } from "./io.ts";

export interface Progress {
  /** Set the amount done (same unit as `total`) and an optional status text. */
  update(done: number, status?: string): void;
  /** Finish the bar (prints a final newline on a terminal). */
  done(status?: string): void;
}

const WIDTH = 28;
const MIN_INTERVAL_MS = 80;

/** A bar labelled `label` counting to `total`; silent when `enabled` is false or stderr is not a TTY. */
export function progressBar(io: CliIO, label: string, total: number, enabled = true): Progress {
  const draw = enabled && io.interactive;
  const start = Date.now();
  let last = 0;
  let current = 0;
  let text = "";
  const render = (final: boolean): void => {
    const frac = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(frac * WIDTH);
    const elapsed = (Date.now() - start) / 1000;
    const eta = frac > 0 && frac < 1 ? ` eta ${Math.ceil((elapsed / frac) * (1 - frac))}s` : "";
    const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
    io.err(`\r${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${elapsed.toFixed(1)}s${eta} ${text}\x1b[K${final ? "\n" : ""}`);
  };
  return {
    update(done, status) {
      current = done;
      if (status !== undefined) text = status;
      const now = Date.now();
      if (draw && now - last >= MIN_INTERVAL_MS) {
        last = now;
        render(false);
      }
    },
    done(status) {
      current = total;
      if (status !== undefined) text = status;
      if (draw) render(true);
    },
  };
}
