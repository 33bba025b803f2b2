// SPDX-License-Identifier: Apache-2.0
// Test helper: start a virtual-board executable, wait for its ready line, and stop it again
// (SIGTERM, then its exit status and the statistics line it prints on stderr).

import { spawn, type ChildProcess } from "node:child_process";

/** A running virtual board. */
export interface VirtualBoardProcess {
  /** The pseudo-terminal to open as a serial port. */
  readonly path: string;
  readonly baud: number;
  readonly clockHz: number;
  /** Everything the board wrote on stderr so far. */
  stderr(): string;
  /** Ask for a statistics line (SIGUSR1) and return its fields once it arrives. */
  stats(): Promise<Record<string, string>>;
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly child: ChildProcess;
}

const READY = /^LOCI-VIRTUAL-BOARD pty=(\S+) baud=(\d+) clock=(\d+)$/;

/** Parse the last `LOCI-VIRTUAL-BOARD-STATS k=v ...` line of `text`. */
export function parseStats(text: string): Record<string, string> | undefined {
  const lines = text.split("\n").filter((l) => l.startsWith("LOCI-VIRTUAL-BOARD-STATS "));
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  return Object.fromEntries(
    last
      .split(" ")
      .slice(1)
      .map((kv) => kv.split("=", 2) as [string, string]),
  );
}

/** Spawn `exe args...` and resolve once it printed its ready line (rejects after `timeoutMs`). */
export function startVirtualBoard(exe: string, args: readonly string[] = [], timeoutMs = 20_000): Promise<VirtualBoardProcess> {
  const child = spawn(exe, [...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (s: string) => void (err += s));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`virtual board did not start within ${timeoutMs} ms: ${out}${err}`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`virtual board exited (${code}) before it was ready: ${out}${err}`));
    });
    child.stdout!.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      const first = out.split("\n");
      if (first.length < 2) return;
      const m = READY.exec(first[0]!);
      clearTimeout(timer);
      if (!m) {
        child.kill("SIGKILL");
        reject(new Error(`unexpected first line from the virtual board: ${first[0]}`));
        return;
      }
      resolve({
        path: m[1]!,
        baud: Number(m[2]),
        clockHz: Number(m[3]),
        child,
        stderr: () => err,
        stats: async () => {
          const before = err.length;
          child.kill("SIGUSR1");
          for (let i = 0; i < 200; i++) {
            const s = parseStats(err.slice(before));
            if (s) return s;
            await new Promise((r) => setTimeout(r, 10));
          }
          throw new Error("no statistics line after SIGUSR1");
        },
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          return exited;
        },
      } as VirtualBoardProcess);
    });
  });
}
