// SPDX-License-Identifier: Apache-2.0
// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0), the link's frame
// check (docs/protocol.md §2). Table-driven, one byte per step like the RTL's loci_crc.

/** CRC parameters, in the catalogue model (docs/protocol.md §2). */
export const CRC16 = Object.freeze({ width: 16, poly: 0x1021, init: 0xffff, reflected: false, xorOut: 0x0000, check: 0x29b1 });

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b << 8;
    for (let i = 0; i < 8; i++) c = c & 0x8000 ? ((c << 1) ^ CRC16.poly) & 0xffff : (c << 1) & 0xffff;
    t[b] = c;
  }
  return t;
})();

/** Continue a CRC-16 over `bytes[start, end)` from register value `crc` (default: the init value). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length, crc: number = CRC16.init): number {
  let c = crc;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ TABLE[((c >> 8) ^ bytes[i]) & 0xff];
  return c ^ CRC16.xorOut;
}
