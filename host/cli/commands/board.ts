// SPDX-License-Identifier: Apache-2.0
// `loci board list|info|virtual`: find serial ports (iCEBreaker recognised), show a board's
// capabilities, and start a virtual board that runs until Ctrl-C.

import { LociError } from "../../../sim/errors.ts";
import { describeCapacity, type Board, type Capabilities, type BoardStatus } from "../../driver/board.ts";
import { CAPS_FLAG, DEFAULT_BAUD } from "../../driver/protocol.ts";
import { listPorts, type PortInfo } from "../../driver/port-list.ts";
import { openBoard } from "../../driver/open-port.ts";
import { VirtualBoard } from "../../driver/virtual-board.ts";
import { buildVirtualBoard } from "../../hdl/virtual-board-build.ts";
import { intOption, type Command, type CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";

/** Options shared by the commands that talk to a board. */
export interface PortOptions {
  readonly port?: string;
  readonly baud: number;
  readonly json: boolean;
}

/** The `--port` value, or a usage error naming the choices. */
export function requirePort(options: { port?: string }): string {
  const port = options.port ?? process.env.LOCI_PORT;
  if (port === undefined || port.trim() === "") {
    throw new LociError("E_USAGE", "no port given", {
      suggestion: "Pass --port /dev/ttyUSB1 (see `loci board list`), --port sim for the software model, or --port virtual; or set LOCI_PORT.",
    });
  }
  return port;
}

/**
 * The virtual board executable for `--port virtual`: $LOCI_VIRTUAL_BOARD when set, else the
 * default build, (re)built first when it is missing or older than the RTL (Verilator, once).
 */
export async function virtualBoardExecutable(io: CliIO): Promise<string> {
  const chosen = process.env.LOCI_VIRTUAL_BOARD;
  if (chosen !== undefined && chosen !== "") return chosen;
  return buildVirtualBoard({ onLog: (line) => (line.includes("cached") ? undefined : io.err(`${line} (once per RTL change)\n`)) });
}

/** Open the board `--port` names; `virtual` starts a virtual board built from this checkout. */
export async function openPort(options: { port?: string; baud?: number }, io: CliIO): Promise<Board> {
  const port = requirePort(options);
  const virtualBoard = port === "virtual" ? await virtualBoardExecutable(io) : undefined;
  return openBoard(port, { ...(options.baud === undefined ? {} : { baud: options.baud }), ...(virtualBoard === undefined ? {} : { virtualBoard }) });
}

/** Add --port, --baud and --json to a command. */
export function withPortOptions(cmd: Command): Command {
  return cmd
    .option("--port <port>", "serial port (/dev/ttyUSB1), `sim` (software model) or `virtual` (start a virtual board); default $LOCI_PORT")
    .option("--baud <baud>", "line rate (must match the board's build)", intOption("--baud", 9600, 12_000_000), DEFAULT_BAUD)
    .option("--json", "print one JSON document", false);
}

/** `loci board list`. */
export async function boardList(): Promise<PortInfo[]> {
  return listPorts();
}

/** `loci board info`: capabilities and status. */
export async function boardInfo(options: PortOptions, io: CliIO): Promise<{ port: string; capabilities: Capabilities; status: BoardStatus }> {
  const board = await openPort(options, io);
  try {
    return { port: board.transport.description, capabilities: board.caps, status: await board.status() };
  } finally {
    await board.close();
  }
}

function printPorts(io: CliIO, ports: readonly PortInfo[]): void {
  if (ports.length === 0) {
    io.out("no serial ports found (a board on USB shows up as /dev/ttyUSB*; `--port sim` and `--port virtual` need no hardware)\n");
    return;
  }
  for (const p of ports) {
    const id = p.vendorId === undefined ? "" : ` ${p.vendorId}:${p.productId}`;
    io.out(`${p.path}${id}${p.board === undefined ? "" : `  ${p.board}`}${p.byId === undefined ? "" : `  (${p.byId})`}\n`);
  }
}

function printInfo(io: CliIO, info: Awaited<ReturnType<typeof boardInfo>>): void {
  const c = info.capabilities;
  const kind = (c.flags & CAPS_FLAG.softwareModel) !== 0 ? "software model" : (c.flags & CAPS_FLAG.virtualBoard) !== 0 ? "virtual board" : "board";
  io.out(`port       ${info.port} (${kind})\n`);
  io.out(`protocol   v${c.protocolVersion}, core spec v${c.coreSpecVersion}, build 0x${c.buildId.toString(16)}\n`);
  io.out(`capacity   ${describeCapacity(c.capacity)}\n`);
  io.out(`widths     weight ${c.weightBits} b, synapse word ${c.synapseWordBits} b, ring ${c.ringBits} b, ${c.delaySlots} delay slots\n`);
  io.out(`link       ${c.baud.toLocaleString("en-US")} baud, payload ≤ ${c.maxPayload} B, window ${c.window} frames\n`);
  io.out(`streams    input buffer ${c.inputBufferWords} words (≤ ${c.maxInputsPerStep} events/step), output buffer ${c.outputBufferWords} words\n`);
  io.out(`clock      ${(c.clockHz / 1e6).toLocaleString("en-US")} MHz\n`);
  io.out(`state      ${["idle", "running", "aborting"][info.status.state] ?? info.status.state}, ${info.status.frames} frames, ${info.status.garbageBytes} garbage bytes (mod 2^16)\n`);
}

/** `loci board virtual`: start a virtual board and keep it until the signal fires. */
export async function boardVirtual(options: { baud?: number; clockHz?: number; realtime: boolean }, io: CliIO, signal: AbortSignal): Promise<{ path: string; baud: number; clockHz: number }> {
  const executable = await virtualBoardExecutable(io);
  const vb = await VirtualBoard.start({ executable, baud: options.baud, clockHz: options.clockHz, realtime: options.realtime, onLog: (l) => io.err(`${l}\n`) });
  io.out(`${vb.path}\n`);
  io.err(`virtual board on ${vb.path} (${vb.baud} baud, ${vb.clockHz / 1e6} MHz simulated); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
    vb.child.once("exit", () => resolve());
  });
  await vb.stop();
  return { path: vb.path, baud: vb.baud, clockHz: vb.clockHz };
}

/** Register `loci board`. */
export const registerBoard: CommandRegistrar = (program: Command, io: CliIO) => {
  const board = program.command("board").description("find boards, show their capabilities, start a virtual board");
  board
    .command("list")
    .description("list serial ports; iCEBreaker (FTDI 0403:6010, interface 1) is recognised")
    .option("--json", "print one JSON document", false)
    .action(async (opts: { json: boolean }) => {
      const ports = await boardList();
      if (opts.json) printJson(io, { ports });
      else printPorts(io, ports);
    });
  withPortOptions(board.command("info").description("connect and print the board's capabilities (HELLO) and status")).action(async (opts: PortOptions) => {
    const info = await boardInfo(opts, io);
    if (opts.json) printJson(io, info);
    else printInfo(io, info);
  });
  board
    .command("virtual")
    .description("start the virtual board (Verilated RTL behind a pty), print its port path, run until Ctrl-C")
    .option("--baud <baud>", "simulated line rate", intOption("--baud", 9600, 12_000_000))
    .option("--clock <hz>", "simulated core clock", intOption("--clock", 1_000_000, 200_000_000))
    .option("--realtime", "pace the simulated clock to wall-clock time", false)
    .action(async (opts: { baud?: number; clock?: number; realtime: boolean }) => {
      const ac = new AbortController();
      const stop = (): void => ac.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        await boardVirtual({ baud: opts.baud, clockHz: opts.clock, realtime: opts.realtime }, io, ac.signal);
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
};
