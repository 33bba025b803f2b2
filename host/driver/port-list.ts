// SPDX-License-Identifier: Apache-2.0
// Serial ports on this machine, with boards recognised by USB id. serialport's own list needs
// udevadm; where it fails we read /sys/class/tty and /dev/serial/by-id directly.

import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SerialPort } from "serialport";

/** One serial port. */
export interface PortInfo {
  /** Device path (/dev/ttyUSB1). */
  readonly path: string;
  /** USB vendor and product id, 4 hex digits each, when known. */
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  /** USB interface number (the FT2232H has two: 0 = SPI flash/JTAG, 1 = UART). */
  readonly interface?: number;
  /** Stable /dev/serial/by-id name, when present. */
  readonly byId?: string;
  /** What we recognise it as ("iCEBreaker UART", ...). */
  readonly board?: string;
  /** Where the information came from. */
  readonly source: "serialport" | "sysfs";
}

/** USB ids of known boards. */
export const KNOWN_BOARDS: readonly { vendorId: string; productId: string; name: string; uartInterface?: number }[] = [
  { vendorId: "0403", productId: "6010", name: "iCEBreaker (FTDI FT2232H)", uartInterface: 1 },
  { vendorId: "0403", productId: "6014", name: "FTDI FT232H" },
  { vendorId: "0403", productId: "6001", name: "FTDI FT232R" },
  { vendorId: "1d50", productId: "6146", name: "iCEBreaker-bitsy" },
];

/** Name a port by its USB ids ("iCEBreaker UART" for interface 1 of an FT2232H). */
export function recognise(vendorId?: string, productId?: string, iface?: number): string | undefined {
  const hit = KNOWN_BOARDS.find((b) => b.vendorId === vendorId?.toLowerCase() && b.productId === productId?.toLowerCase());
  if (hit === undefined) return undefined;
  if (hit.uartInterface !== undefined && iface !== undefined) {
    return iface === hit.uartInterface ? `${hit.name} UART` : `${hit.name} interface ${iface} (flash/JTAG, not the UART)`;
  }
  return hit.name;
}

function readAttr(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Ports from sysfs (`root` is / in use; tests pass a fake tree). */
export function listPortsSysfs(root = "/"): PortInfo[] {
  const ttyDir = join(root, "sys/class/tty");
  if (!existsSync(ttyDir)) return [];
  const byIdDir = join(root, "dev/serial/by-id");
  const byId = new Map<string, string>();
  if (existsSync(byIdDir)) {
    for (const link of readdirSync(byIdDir)) {
      try {
        byId.set(basename(resolve(byIdDir, readlinkSync(join(byIdDir, link)))), join("/dev/serial/by-id", link));
      } catch {
        // A dangling link names no port.
      }
    }
  }
  const out: PortInfo[] = [];
  for (const name of readdirSync(ttyDir).sort()) {
    if (!/^tty(USB|ACM)\d+$/.test(name)) continue;
    let dir: string;
    try {
      dir = realpathSync(join(ttyDir, name, "device"));
    } catch {
      continue;
    }
    const iface = readAttr(dir, "bInterfaceNumber");
    // Walk up to the USB device (it has idVendor).
    let dev = dir;
    for (let i = 0; i < 6 && readAttr(dev, "idVendor") === undefined; i++) dev = resolve(dev, "..");
    const vendorId = readAttr(dev, "idVendor");
    const productId = readAttr(dev, "idProduct");
    const ifaceNum = iface === undefined ? undefined : parseInt(iface, 16);
    out.push({
      path: `/dev/${name}`,
      vendorId,
      productId,
      manufacturer: readAttr(dev, "manufacturer"),
      serialNumber: readAttr(dev, "serial"),
      interface: ifaceNum,
      byId: byId.get(name),
      board: recognise(vendorId, productId, ifaceNum),
      source: "sysfs",
    });
  }
  return out;
}

/** Every serial port: serialport's list, else sysfs. */
export async function listPorts(): Promise<PortInfo[]> {
  try {
    const ports = await SerialPort.list();
    return ports.map((p) => {
      const m = /if(\d\d)/i.exec(p.pnpId ?? "");
      const iface = m === null ? undefined : Number(m[1]);
      return {
      path: p.path,
      vendorId: p.vendorId,
      productId: p.productId,
      manufacturer: p.manufacturer,
      serialNumber: p.serialNumber,
      interface: iface,
      board: recognise(p.vendorId, p.productId, iface),
      source: "serialport" as const,
      };
    });
  } catch {
    return listPortsSysfs();
  }
}
