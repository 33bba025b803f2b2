// SPDX-License-Identifier: Apache-2.0
// The virtual board's transport chain on a UART echo top: the serialport package opens the
// harness's pty, bytes go through the bit-level UART model into the Verilated RTL UART and
// back. Checks the bytes, the line rate in simulated time, the process contract (ready line,
// exit 0 on SIGTERM and on stdin EOF) and reopening the port.

import { randomBytes } from "node:crypto";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVirtualBoard } from "../../host/hdl/virtual-board-build.ts";
import { parseStats, startVirtualBoard, type VirtualBoardProcess } from "./virtual-board-process.ts";

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((e) => (e ? reject(e) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => port.close(() => resolve()));
}

/** Write `data` and collect `data.length` bytes back (rejects after `timeoutMs`). */
function echo(port: SerialPort, data: Buffer, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const timer = setTimeout(() => {
      port.off("data", onData);
      reject(new Error(`echo timed out after ${n} of ${data.length} bytes`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      n += chunk.length;
      if (n >= data.length) {
        clearTimeout(timer);
        port.off("data", onData);
        resolve(Buffer.concat(chunks));
      }
    };
    port.on("data", onData);
    port.write(data);
  });
}

describe("virtual board transport (echo top)", () => {
  let exe: string;
  let board: VirtualBoardProcess;

  beforeAll(async () => {
    exe = await buildVirtualBoard({ top: "echo" });
    board = await startVirtualBoard(exe, ["--baud", "3000000", "--clock-hz", "24000000"]);
  });
  afterAll(async () => {
    await board?.stop();
  });

  it("prints the ready line with the build's rates", () => {
    expect(board.path).toMatch(/^\/dev\/pts\/\d+$/);
    expect(board.baud).toBe(3_000_000);
    expect(board.clockHz).toBe(24_000_000);
  });

  it("echoes 30,000 random bytes through serialport, at the line rate in simulated time", async () => {
    const port = await openPort(board.path, board.baud);
    try {
      const before = await board.stats();
      const data = randomBytes(30_000);
      const got = await echo(port, data);
      expect(got.equals(data)).toBe(true);
      const after = await board.stats();
      // Every byte occupies exactly 10 bit times on the RTL's transmitter: 80 clocks at 3 Mbaud.
      expect(Number(after.tx_bytes) - Number(before.tx_bytes)).toBe(data.length);
      expect(Number(after.tx_framing_errors)).toBe(0);
      const busy = Number(after.rx_busy_cycles) - Number(before.rx_busy_cycles);
      expect(busy).toBe(data.length * 80);
    } finally {
      await closePort(port);
    }
  });

  it("serves a client that closes and reopens the port", async () => {
    for (let round = 0; round < 3; round++) {
      const port = await openPort(board.path, board.baud);
      const data = randomBytes(500);
      expect((await echo(port, data)).equals(data)).toBe(true);
      await closePort(port);
    }
  });

  it("exits 0 on SIGTERM with a statistics line, and when its stdin closes", async () => {
    const other = await startVirtualBoard(exe, []);
    expect(await other.stop()).toBe(0);
    expect(parseStats(other.stderr())?.cycles).toBeDefined();
    const third = await startVirtualBoard(exe, ["--pace", "realtime"]);
    const code = new Promise((resolve) => third.child.on("exit", (c) => resolve(c)));
    third.child.stdin!.end();
    expect(await code).toBe(0);
  });

  it("refuses rates the RTL was not built for", async () => {
    await expect(startVirtualBoard(exe, ["--baud", "1000000"])).rejects.toThrow(/rebuild the virtual board/);
  });
});
