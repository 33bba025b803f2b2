// SPDX-License-Identifier: Apache-2.0
// A tiny WebAssembly assembler: just the opcodes the simulator's kernels use (i32 arithmetic,
// loads and stores, structured control flow, and the i32x4 / v128 SIMD operations), and a module
// writer for functions that share one imported memory. No external toolchain is needed: the
// kernels are written in TypeScript (sim/kernels.ts) and assembled when the simulator starts.

/** A value type. */
export type ValType = "i32" | "v128";

const VALTYPE: Record<ValType, number> = { i32: 0x7f, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  let x = n >>> 0;
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let x = n | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const I32_OPS = {
  eqz: 0x45, eq: 0x46, ne: 0x47, lt_s: 0x48, lt_u: 0x49, gt_s: 0x4a, gt_u: 0x4b, le_s: 0x4c, le_u: 0x4d, ge_s: 0x4e, ge_u: 0x4f,
  clz: 0x67, ctz: 0x68, popcnt: 0x69, add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74, shr_s: 0x75, shr_u: 0x76,
} as const;

const SIMD_OPS = {
  "i32x4.splat": 0x11,
  "i32x4.eq": 0x37, "i32x4.ne": 0x38, "i32x4.lt_s": 0x39, "i32x4.gt_s": 0x3b, "i32x4.le_s": 0x3d, "i32x4.ge_s": 0x3f,
  "v128.not": 0x4d, "v128.and": 0x4e, "v128.andnot": 0x4f, "v128.or": 0x50, "v128.xor": 0x51, "v128.bitselect": 0x52, "v128.any_true": 0x53,
  "i32x4.bitmask": 0xa4, "i32x4.shl": 0xab, "i32x4.shr_s": 0xac, "i32x4.shr_u": 0xad,
  "i32x4.add": 0xae, "i32x4.sub": 0xb1, "i32x4.mul": 0xb5, "i32x4.min_s": 0xb6, "i32x4.max_s": 0xb8,
} as const;

/** Instruction emitter for one function body. Locals are numbered: parameters first, then `local()`. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    readonly name: string,
    readonly params: readonly ValType[],
    readonly results: readonly ValType[],
  ) {}

  /** Declare a local; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(index: number): this {
    return this.emit(0x20, ...uleb(index));
  }
  set(index: number): this {
    return this.emit(0x21, ...uleb(index));
  }
  tee(index: number): this {
    return this.emit(0x22, ...uleb(index));
  }
  i32(value: number): this {
    return this.emit(0x41, ...sleb(value));
  }
  op(name: keyof typeof I32_OPS): this {
    return this.emit(I32_OPS[name]);
  }
  /** i32.load with a constant byte offset (alignment 4). */
  load(offset = 0): this {
    return this.emit(0x28, 2, ...uleb(offset));
  }
  /** i32.store with a constant byte offset (alignment 4). */
  store(offset = 0): this {
    return this.emit(0x36, 2, ...uleb(offset));
  }
  v128load(offset = 0): this {
    return this.emit(0xfd, ...uleb(0x00), 4, ...uleb(offset));
  }
  v128store(offset = 0): this {
    return this.emit(0xfd, ...uleb(0x0b), 4, ...uleb(offset));
  }
  simd(name: keyof typeof SIMD_OPS): this {
    return this.emit(0xfd, ...uleb(SIMD_OPS[name]));
  }
  replaceLane(lane: number): this {
    return this.emit(0xfd, ...uleb(0x1c), lane);
  }
  block(): this {
    return this.emit(0x02, 0x40);
  }
  loop(): this {
    return this.emit(0x03, 0x40);
  }
  if(): this {
    return this.emit(0x04, 0x40);
  }
  end(): this {
    return this.emit(0x0b);
  }
  br(depth: number): this {
    return this.emit(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.emit(0x0d, ...uleb(depth));
  }

  private emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  /** The function body as the code section stores it (locals, instructions, end). */
  body(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const inner = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), VALTYPE[t]]), ...this.code, 0x0b];
    return [...uleb(inner.length), ...inner];
  }
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...uleb(bytes.length), ...bytes];
}

/** Assemble a module whose functions import `env.memory` and are all exported by name. */
export function assembleModule(functions: readonly FunctionBuilder[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params.map((t) => VALTYPE[t]), ...uleb(f.results.length), ...f.results.map((t) => VALTYPE[t])]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(types.length), ...types.flat()]),
    ...section(2, [...uleb(1), ...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]),
    ...section(3, [...uleb(functions.length), ...functions.map((_, k) => uleb(k)).flat()]),
    ...section(7, [...uleb(functions.length), ...functions.flatMap((f, k) => [...name(f.name), 0x00, ...uleb(k)])]),
    ...section(10, [...uleb(functions.length), ...functions.flatMap((f) => f.body())]),
  ];
  return Uint8Array.from(bytes);
}
