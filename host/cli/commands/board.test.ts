// SPDX-License-Identifier: Apache-2.0
// `loci board list|info|virtual` through the CLI entry point.

import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listPortsSysfs, recognise } from "../../driver/port-list.ts";
import { findVirtualBoard } from "../../driver/virtual-board.ts";
import { bufferIO } from "../io.ts";
import { boardVirtual } from "./board.ts";
import { runCli } from "../main.ts";

const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
};

describe("loci board", () => {
  it("list --json works without udevadm (sysfs fallback) and prints one document", async () => {
    const r = await cli("board", "list", "--json");
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.out).ports)).toBe(true);
  });

  it("recognises the iCEBreaker's FT2232H and its UART interface from a sysfs tree", () => {
    const root = mkdtempSync(join(tmpdir(), "loci-sysfs-"));
    const usb = join(root, "sys/devices/pci0/usb1/1-1");
    for (const [iface, tty] of [
      ["1-1:1.0", "ttyUSB0"],
      ["1-1:1.1", "ttyUSB1"],
    ]) {
      mkdirSync(join(usb, iface, tty), { recursive: true });
      writeFileSync(join(usb, iface, "bInterfaceNumber"), iface.endsWith("0") ? "00\n" : "01\n");
      mkdirSync(join(root, "sys/class/tty", tty), { recursive: true });
      symlinkSync(join(usb, iface), join(root, "sys/class/tty", tty, "device"));
    }
    writeFileSync(join(usb, "idVendor"), "0403\n");
    writeFileSync(join(usb, "idProduct"), "6010\n");
    writeFileSync(join(usb, "manufacturer"), "FTDI\n");
    const ports = listPortsSysfs(root);
    expect(ports.map((p) => [p.path, p.vendorId, p.productId, p.interface])).toEqual([
      ["/dev/ttyUSB0", "0403", "6010", 0],
      ["/dev/ttyUSB1", "0403", "6010", 1],
    ]);
    expect(ports[1].board).toBe("iCEBreaker (FTDI FT2232H) UART");
    expect(ports[0].board).toMatch(/not the UART/);
    expect(recognise("1234", "5678")).toBeUndefined();
  });

  it("info --port sim --json reports capabilities and status", async () => {
    const r = await cli("board", "info", "--port", "sim", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.capabilities).toMatchObject({ protocolVersion: 1, maxPayload: 256, window: 32, capacity: { neurons: 256, axons: 1024, synapses: 16384 } });
    expect(doc.status.state).toBe(0);
  });

  it("info prints text and needs a port", async () => {
    const r = await cli("board", "info", "--port", "sim");
    expect(r.out).toMatch(/capacity\s+256 neurons, 1024 axons, 16384 synapses/);
    const saved = process.env.LOCI_PORT;
    delete process.env.LOCI_PORT;
    const missing = await cli("board", "info", "--json");
    if (saved !== undefined) process.env.LOCI_PORT = saved;
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out).error.code).toBe("E_USAGE");
  });

  it("info on a port that does not exist fails with E_TRANSPORT and a hint", async () => {
    const r = await cli("board", "info", "--port", "/dev/does-not-exist-loci");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E_TRANSPORT/);
    expect(r.err).toMatch(/hint: /);
  });

  it("refuses an invalid --baud", async () => {
    const r = await cli("board", "info", "--port", "sim", "--baud", "fast");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--baud must be an integer/);
  });

  it("virtual without a built executable fails with E_TOOL", async () => {
    const saved = process.env.LOCI_VIRTUAL_BOARD;
    process.env.LOCI_VIRTUAL_BOARD = "/nonexistent/loci-virtual-board";
    const r = await cli("board", "virtual");
    if (saved === undefined) delete process.env.LOCI_VIRTUAL_BOARD;
    else process.env.LOCI_VIRTUAL_BOARD = saved;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E_TOOL/);
  });

  it.runIf(findVirtualBoard() !== undefined)("virtual prints the pty path and stops on the signal, leaving no process", async () => {
    const io = bufferIO();
    const ac = new AbortController();
    const running = boardVirtual({ realtime: false }, io, ac.signal);
    for (let i = 0; i < 600 && !io.stdout().includes("/dev/"); i++) await new Promise((r) => setTimeout(r, 50));
    expect(io.stdout()).toMatch(/^\/dev\/pts\/\d+\n$/);
    ac.abort();
    const info = await running;
    expect(info.path).toBe(io.stdout().trim());
  });
});
