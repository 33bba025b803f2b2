// SPDX-License-Identifier: Apache-2.0
// Content-hash keys and a cross-process lock for cached hardware builds in build/: a build is
// redone only when one of its inputs (sources, flags, tool version) changed, and two processes
// (vitest workers, two engineers' runs) never build into the same directory at once.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LociError } from "../../sim/errors.ts";
import { REPO_ROOT } from "./file-list.ts";

/** A short hex key over the contents of `files` (absolute paths), their paths in the repository and the `extra` strings. */
export function contentHash(files: readonly string[], extra: readonly string[] = []): string {
  const h = createHash("sha256");
  // Paths enter the hash relative to the repository, so a clone elsewhere has the same keys
  // (the committed synthesis reports are checked against them).
  const named = files.map((f) => ({ f, name: relative(REPO_ROOT, f).split(sep).join("/") }));
  for (const { f, name } of named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(name);
    h.update("\0");
    try {
      h.update(readFileSync(f));
    } catch (error) {
      throw new LociError("E_IO", `cannot read ${f} (an input of a hardware build)`, { context: { file: f }, cause: error });
    }
    h.update("\0");
  }
  for (const e of extra) {
    h.update(e);
    h.update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * Run `fn` while holding the lock directory `<dir>/.lock` (created atomically with mkdir).
 * A lock older than `staleMs` (a crashed build) is broken. Waits up to `waitMs`.
 */
export async function withBuildLock<T>(dir: string, fn: () => Promise<T>, waitMs = 900_000, staleMs = 1_800_000): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, ".lock");
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true });
      } catch {
        // The holder released it meanwhile.
      }
      if (Date.now() - start > waitMs) {
        throw new LociError("E_TOOL", `another build holds ${lock} for more than ${Math.round(waitMs / 1000)} s`, {
          suggestion: `If no build is running, remove ${lock}.`,
        });
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
