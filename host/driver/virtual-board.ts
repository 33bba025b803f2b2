// SPDX-License-Identifier: Apache-2.0
// The virtual board: spawns the Verilated full top (built by the link RTL engineer, see
// docs/protocol.md §10), reads the pty path it prints, and offers it as a serial transport.
// The child exits on SIGTERM, or when our end of its stdin closes (if this process dies).

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { LociError } from "../../sim/errors.ts";
import { TransportError } from "./errors.ts";
import { SerialTransport } from "./serial-transport.ts";

/** Base response timeout on a virtual board, ms: the simulated RTL may run 10-100x slower than real time. */
export const VIRTUAL_BOARD_TIMEOUT_MS = 1000;

/** Default location of the executable, relative to the repository root. */
export const VIRTUAL_BOARD_DEFAULT_PATH = "build/virtual-board/loci-virtual-board";
/** The ready line: `LOCI-VIRTUAL-BOARD pty=/dev/pts/N baud=B clock=HZ` (underscores accepted too). */
export const VIRTUAL_BOARD_READY = /^LOCI[-_]VIRTUAL[-_]BOARD pty=(\S+) baud=(\d+) clock=(\d+)\s*$/;

/** Options of a virtual board. */
export interface VirtualBoardOptions {
  /** Executable (default: $LOCI_VIRTUAL_BOARD, else build/virtual-board/loci-virtual-board). */
  readonly executable?: string;
  /** Line rate to ask for, baud. */
  readonly baud?: number;
  /** Core clock to simulate, Hz. */
  readonly clockHz?: number;
  /** Pace the simulated clock to wall-clock time. */
  readonly realtime?: boolean;
  /** How long to wait for the ready line, ms (default 30,000). */
  readonly startTimeoutMs?: number;
  /** Receives the child's stderr lines. */
  readonly onLog?: (line: string) => void;
}

/** Where the virtual board executable is, or undefined when it has not been built. */
export function findVirtualBoard(executable?: string): string | undefined {
  // An explicit choice (argument, then $LOCI_VIRTUAL_BOARD) is never silently replaced.
  const chosen = executable ?? (process.env.LOCI_VIRTUAL_BOARD || undefined);
  const path = chosen ?? resolve(new URL("../..", import.meta.url).pathname, VIRTUAL_BOARD_DEFAULT_PATH);
  return existsSync(path) ? path : undefined;
}

/** A running virtual board. */
export class VirtualBoard {
  private constructor(
    readonly child: ChildProcess,
    /** The pty path to open. */
    readonly path: string,
    /** Line rate the board simulates, baud. */
    readonly baud: number,
    /** Simulated core clock, Hz. */
    readonly clockHz: number,
  ) {}

  /** Start the executable and wait for its ready line. */
  static async start(options: VirtualBoardOptions = {}): Promise<VirtualBoard> {
    const exe = findVirtualBoard(options.executable);
    if (exe === undefined) {
      throw new LociError("E_TOOL", "the virtual board executable has not been built", {
        context: { file: options.executable ?? process.env.LOCI_VIRTUAL_BOARD ?? VIRTUAL_BOARD_DEFAULT_PATH },
        suggestion: "Build it (see hdl/tb/virtual-board) or set LOCI_VIRTUAL_BOARD to its path; `--port sim` runs the software model instead.",
      });
    }
    const args: string[] = [];
    if (options.baud !== undefined) args.push("--baud", String(options.baud));
    if (options.clockHz !== undefined) args.push("--clock", String(options.clockHz));
    if (options.realtime === true) args.push("--realtime");
    const child = spawn(exe, args, { stdio: ["pipe", "pipe", "pipe"] });
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    return await new Promise<VirtualBoard>((resolvePromise, reject) => {
      let out = "";
      let settled = false;
      const finish = (error: Error | undefined, board?: VirtualBoard): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error !== undefined) {
          child.kill("SIGKILL");
          reject(error);
        } else resolvePromise(board!);
      };
      const timer = setTimeout(() => finish(new TransportError(`the virtual board printed no ready line within ${timeoutMs} ms`, { context: { file: exe } })), timeoutMs);
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (s: string) => s.split("\n").filter(Boolean).forEach((l) => options.onLog?.(l)));
      child.stdout?.setEncoding("utf8");
      child.stdout?.on("data", (s: string) => {
        out += s;
        const line = out.split("\n")[0];
        if (!out.includes("\n")) return;
        const m = VIRTUAL_BOARD_READY.exec(line);
        if (m === null) finish(new TransportError(`the virtual board's first line is not a ready line: ${JSON.stringify(line)}`, { context: { file: exe } }));
        else finish(undefined, new VirtualBoard(child, m[1], Number(m[2]), Number(m[3])));
      });
      child.on("error", (e) => finish(new TransportError(`cannot start the virtual board: ${e.message}`, { cause: e, context: { file: exe } })));
      child.on("exit", (code, signal) => finish(new TransportError(`the virtual board exited before it was ready (code ${code}, signal ${signal})`, { context: { file: exe } })));
    });
  }

  /**
   * The simulated core clocks so far (idle clocks skipped while the host thinks included): the
   * board's own time, for line-rate measurements. Asks the harness for its statistics line
   * (SIGUSR1) and waits for it.
   */
  async cycles(timeoutMs = 5000): Promise<bigint> {
    const child = this.child;
    return await new Promise<bigint>((resolve, reject) => {
      let buf = "";
      const onData = (s: string): void => {
        buf += s;
        const m = /LOCI-VIRTUAL-BOARD-STATS cycles=(\d+)/.exec(buf);
        if (m === null) return;
        child.stderr?.off("data", onData);
        clearTimeout(timer);
        resolve(BigInt(m[1]));
      };
      const timer = setTimeout(() => {
        child.stderr?.off("data", onData);
        reject(new TransportError("the virtual board printed no statistics line", { context: { file: this.path } }));
      }, timeoutMs);
      child.stderr?.on("data", onData);
      child.kill("SIGUSR1");
    });
  }

  /** True while the child runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A serial transport on the board's pty; with `ownsBoard`, closing it also stops the board. */
  transport(baud: number = this.baud, ownsBoard = false): VirtualBoardTransport {
    return new VirtualBoardTransport(this, baud, ownsBoard);
  }

  /** Stop the child: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
    this.child.stdin?.end();
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** The pty of a virtual board as a transport; closing it also stops the board when it owns it. */
export class VirtualBoardTransport extends SerialTransport {
  constructor(
    readonly board: VirtualBoard,
    baud: number,
    private readonly ownsBoard: boolean,
  ) {
    super({ path: board.path, baud, description: `virtual:${board.path}`, responseTimeoutMs: VIRTUAL_BOARD_TIMEOUT_MS });
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.ownsBoard) await this.board.stop();
  }
}
