// SPDX-License-Identifier: Apache-2.0
// The tiny WebAssembly assembler: valid modules, exact integer semantics of the emitted code
// (including LEB128 immediates at their edges), and the SIMD operations the kernels use.
import { describe, expect, it } from "vitest";
import { FunctionBuilder, assembleModule } from "./wasm-assembler.ts";

interface Wasm {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, i: object) => { exports: Record<string, (...args: number[]) => number> };
  validate(bytes: Uint8Array): boolean;
}
const WASM = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

function instantiate(fns: FunctionBuilder[]): { exports: Record<string, (...args: number[]) => number>; words: Int32Array } {
  const bytes = assembleModule(fns);
  expect(WASM.validate(bytes)).toBe(true);
  const memory = new WASM.Memory({ initial: 1 });
  const inst = new WASM.Instance(new WASM.Module(bytes), { env: { memory } });
  return { exports: inst.exports, words: new Int32Array(memory.buffer) };
}

describe("wasm assembler", () => {
  it("encodes i32 constants of every size exactly (signed LEB128)", () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8193, 2 ** 31 - 1, -(2 ** 31), 0xfffff0, 0x7fffffff];
    const fns = values.map((v, k) => new FunctionBuilder(`c${k}`, [], ["i32"]).i32(v));
    const { exports } = instantiate(fns);
    values.forEach((v, k) => expect(exports[`c${k}`]()).toBe(v | 0));
  });

  it("integer operations, loops and memory (sum of 0..n-1 written to memory)", () => {
    const f = new FunctionBuilder("sum", ["i32"], ["i32"]);
    const [k, acc] = [f.local("i32"), f.local("i32")];
    f.block().get(0).op("eqz").brIf(0).loop();
    f.get(acc).get(k).op("add").set(acc);
    f.get(k).i32(1).op("add").tee(k).get(0).op("lt_s").brIf(0);
    f.end().end();
    f.i32(0).get(acc).store(100);
    f.get(acc);
    const { exports, words } = instantiate([f]);
    expect(exports.sum(10)).toBe(45);
    expect(words[25]).toBe(45);
    expect(exports.sum(0)).toBe(0);
  });

  it("i32x4 lane operations: mul, shr_s, min/max, compare, bitselect, bitmask, replace_lane", () => {
    const f = new FunctionBuilder("simd", [], ["i32"]);
    // lanes of memory[0..3] -> memory[4..7] = clamp((x * 3) >> 1, -5, 5); returns bitmask(x < 0)
    f.i32(16).i32(0).v128load(0).i32(3).simd("i32x4.splat").simd("i32x4.mul").i32(1).simd("i32x4.shr_s");
    f.i32(-5).simd("i32x4.splat").simd("i32x4.max_s").i32(5).simd("i32x4.splat").simd("i32x4.min_s").v128store(0);
    f.i32(0).v128load(0).i32(0).simd("i32x4.splat").simd("i32x4.lt_s").simd("i32x4.bitmask");
    const g = new FunctionBuilder("select", [], []);
    // memory[8..11] = bitselect(a=memory[0..3], b=lane k = 7 via replace_lane, mask = a > 0)
    g.i32(32).i32(0).v128load(0).i32(7).simd("i32x4.splat").i32(9).replaceLane(2).i32(0).v128load(0).i32(0).simd("i32x4.splat").simd("i32x4.gt_s").simd("v128.bitselect").v128store(0);
    const { exports, words } = instantiate([f, g]);
    words.set([-7, 1, 2, -1], 0);
    expect(exports.simd()).toBe(0b1001);
    expect([...words.subarray(4, 8)]).toEqual([-5, 1, 3, -2]); // -21>>1=-11 -> -5; 3>>1=1; 6>>1=3; -3>>1=-2
    exports.select();
    expect([...words.subarray(8, 12)]).toEqual([7, 1, 2, 7]); // lane 2 of b is 9, but a > 0 there
  });
});
