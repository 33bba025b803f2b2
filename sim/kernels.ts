// SPDX-License-Identifier: Apache-2.0
// The simulator's two hot loops as a WebAssembly SIMD module, assembled per simulator (addresses
// and sizes are constants in the code): dense phase A without learning, four neurons per i32x4
// operation, and phase C delivery of a list of sources. The arithmetic is the one of
// docs/core-spec.md section 5 written with lane-wise operations; the property tests compare it
// with the naive reference on every step. The state lives in the module's memory; the simulator
// reads and writes it through typed-array views, so every other phase stays in TypeScript.
//
// Per-lane shift decay without per-lane shifts: for 0 <= k <= 14,
//   (x + round) >> k  ==  ((x + round) * 2^(15-k)) >> 15
// exactly, because |x + round| < 2^16 keeps the product inside 32 bits; k = 15 (no decay) uses
// the multiplier 0. `round` is 2^k - 1 for x >= 0 and 0 otherwise (section 3.1).

import { FunctionBuilder, assembleModule } from "./wasm-assembler.ts";

/** The parts of the WebAssembly API used here (the TypeScript lib in use declares no DOM types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Byte offsets of every array in the kernel memory. */
interface Layout {
  readonly n4: number;
  readonly busy: number;
  readonly membrane: number;
  readonly current: number;
  readonly refractory: number;
  readonly threshold: number;
  readonly refractoryPeriod: number;
  readonly subtractMask: number;
  readonly memMul: number;
  readonly memRound: number;
  readonly synMul: number;
  readonly synRound: number;
  readonly weightMul: number;
  readonly spikes: number;
  readonly ring: number;
  readonly packed: number;
  readonly fwdBase: number;
  readonly fwdCount: number;
  readonly list: number;
  readonly bytes: number;
}

function layout(numNeurons: number, numSynapses: number, numSources: number, listLength: number): Layout {
  const n4 = Math.ceil(numNeurons / 4) * 4;
  let at = 16;
  const take = (words: number): number => {
    const start = at;
    at += Math.ceil(words / 4) * 16;
    return start;
  };
  const perNeuron = ["membrane", "current", "refractory", "threshold", "refractoryPeriod", "subtractMask", "memMul", "memRound", "synMul", "synRound", "weightMul", "spikes"] as const;
  const out: Record<string, number> = { n4, busy: 0 };
  for (const key of perNeuron) out[key] = take(n4);
  out.ring = take(n4 * 16);
  out.packed = take(numSynapses);
  out.fwdBase = take(numSources);
  out.fwdCount = take(numSources);
  out.list = take(Math.max(1, listLength));
  out.bytes = at;
  return out as unknown as Layout;
}

function phaseA(L: Layout): FunctionBuilder {
  const f = new FunctionBuilder("phaseA", ["i32"], ["i32"]);
  const slot = 0;
  const [j, off, ringp, cnt, busy, bm] = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
  const [inp, c, m0, m1, r, nr, s] = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const splat = (k: number): void => void f.i32(k).simd("i32x4.splat");
  const param = (base: number): void => void f.get(off).v128load(base);
  // amount = ((x + (round & (x >= 0))) * mul) >> 15, for x in local `x`.
  const decayAmount = (x: number, round: number, mul: number): void => {
    f.get(x);
    param(round);
    f.get(x);
    splat(0);
    f.simd("i32x4.ge_s").simd("v128.and").simd("i32x4.add");
    param(mul);
    f.simd("i32x4.mul").i32(15).simd("i32x4.shr_s");
  };
  const saturate16 = (): void => {
    splat(-32768);
    f.simd("i32x4.max_s");
    splat(32767);
    f.simd("i32x4.min_s");
  };

  f.loop();
  f.get(j).i32(2).op("shl").set(off);
  f.get(j).i32(4).op("shl").get(slot).op("add").i32(2).op("shl").set(ringp);
  // Gather the four neurons' ring entries for this slot (rows are 64 bytes apart), then clear them.
  f.get(ringp).load(L.ring).simd("i32x4.splat");
  for (let lane = 1; lane < 4; lane++) f.get(ringp).load(L.ring + 64 * lane).replaceLane(lane);
  f.set(inp);
  for (let lane = 0; lane < 4; lane++) f.get(ringp).i32(0).store(L.ring + 64 * lane);
  // i = sat16(i - decayAmount(i, tauSyn) + in * 2^weightShift)
  f.get(off).v128load(L.current).set(c);
  f.get(off); // address of the store below
  f.get(c);
  decayAmount(c, L.synRound, L.synMul);
  f.simd("i32x4.sub");
  f.get(inp);
  param(L.weightMul);
  f.simd("i32x4.mul").simd("i32x4.add");
  saturate16();
  f.tee(c).v128store(L.current);
  // Refractory lanes hold v; the others integrate: v1 = sat16(v - decayAmount(v, tauMem) + i).
  f.get(off).v128load(L.refractory).set(r);
  f.get(r);
  splat(0);
  f.simd("i32x4.eq").set(nr);
  f.get(off).v128load(L.membrane).set(m0);
  f.get(m0);
  decayAmount(m0, L.memRound, L.memMul);
  f.simd("i32x4.sub").get(c).simd("i32x4.add");
  saturate16();
  f.get(m0).get(nr).simd("v128.bitselect").set(m1);
  // spike = not refractory and v1 >= threshold; v = spike ? (subtract ? v1 - threshold : 0) : v1
  f.get(m1);
  param(L.threshold);
  f.simd("i32x4.ge_s").get(nr).simd("v128.and").set(s);
  f.get(off);
  f.get(m1);
  param(L.threshold);
  f.simd("i32x4.sub");
  param(L.subtractMask);
  f.simd("v128.and").get(m1).get(s).simd("v128.bitselect").tee(m1).v128store(L.membrane);
  // ref = spike ? refractoryPeriod : ref - (ref > 0)
  f.get(off);
  param(L.refractoryPeriod);
  f.get(r).get(r);
  splat(0);
  f.simd("i32x4.gt_s").simd("i32x4.add").get(s).simd("v128.bitselect").tee(r).v128store(L.refractory);
  // Append spiking lanes to the spike list in ascending order.
  f.get(s).simd("i32x4.bitmask").tee(bm).if();
  f.loop();
  f.get(cnt).i32(2).op("shl").get(j).get(bm).op("ctz").op("add").store(L.spikes);
  f.get(cnt).i32(1).op("add").set(cnt);
  f.get(bm).get(bm).i32(1).op("sub").op("and").tee(bm).brIf(0);
  f.end();
  f.end();
  // busy += neurons with a non-zero register
  f.get(busy).get(c).get(m1).simd("v128.or").get(r).simd("v128.or");
  splat(0);
  f.simd("i32x4.ne").simd("i32x4.bitmask").op("popcnt").op("add").set(busy);
  f.get(j).i32(4).op("add").tee(j).i32(L.n4).op("lt_s").brIf(0);
  f.end();
  f.i32(0).get(busy).store(L.busy);
  f.get(cnt);
  return f;
}

function deliver(L: Layout): FunctionBuilder {
  // deliver(listPtr, count, idOffset, t) -> events: for each source id list[i] + idOffset, add
  // the weights of its fan-out list into the rings (packed word: weight 31:24, row 23:4, slot 3:0).
  const f = new FunctionBuilder("deliver", ["i32", "i32", "i32", "i32"], ["i32"]);
  const [listPtr, count, idOffset, t] = [0, 1, 2, 3];
  const [q, qEnd, src, kb, kEnd, p, addr, events] = [f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32"), f.local("i32")];
  f.block();
  f.get(count).op("eqz").brIf(0);
  f.get(listPtr).set(q);
  f.get(listPtr).get(count).i32(2).op("shl").op("add").set(qEnd);
  f.loop();
  f.get(q).load(0).get(idOffset).op("add").i32(2).op("shl").set(src);
  f.get(src).load(L.fwdBase).i32(2).op("shl").set(kb);
  f.get(src).load(L.fwdCount).i32(2).op("shl").tee(p).get(kb).op("add").set(kEnd);
  f.get(events).get(p).i32(2).op("shr_u").op("add").set(events);
  f.block();
  f.get(kb).get(kEnd).op("ge_u").brIf(0);
  f.loop();
  f.get(kb).load(L.packed).set(p);
  f.get(p).i32(0xfffff0).op("and").get(p).get(t).op("add").i32(15).op("and").op("or").i32(2).op("shl").tee(addr);
  f.get(addr).load(L.ring).get(p).i32(24).op("shr_s").op("add").store(L.ring);
  f.get(kb).i32(4).op("add").tee(kb).get(kEnd).op("lt_u").brIf(0);
  f.end();
  f.end();
  f.get(q).i32(4).op("add").tee(q).get(qEnd).op("lt_u").brIf(0);
  f.end();
  f.end();
  f.get(events);
  return f;
}

/** The neuron parameters a kernel needs, decoded (see docs/core-spec.md section 4.1). */
export interface KernelNeuron {
  readonly threshold: number;
  readonly tauMemShift: number;
  readonly tauSynShift: number;
  readonly refractoryPeriod: number;
  readonly weightShift: number;
  readonly subtract: boolean;
}

/** The kernel module of one simulator and views of its memory. */
export class CoreKernels {
  readonly membrane: Int32Array;
  readonly current: Int32Array;
  readonly refractory: Int32Array;
  /** `ring[j * 16 + slot]`. */
  readonly ring: Int32Array;
  /** Delivery words (see Simulator): weight 31:24, target 23:4, delay mod 16 3:0. */
  readonly packed: Int32Array;
  readonly fwdBase: Int32Array;
  readonly fwdCount: Int32Array;
  /** Spikes written by `phaseA` (ascending). */
  readonly spikes: Int32Array;
  /** Source ids handed to `deliver` (input axons). */
  readonly list: Int32Array;
  private readonly L: Layout;
  private readonly words: Int32Array;
  private readonly exports: { phaseA(slot: number): number; deliver(listPtr: number, count: number, idOffset: number, t: number): number };

  constructor(neurons: readonly KernelNeuron[], numSynapses: number, numSources: number, listLength: number) {
    const n = neurons.length;
    const L = layout(n, numSynapses, numSources, listLength);
    this.L = L;
    const memory = new WASM.Memory({ initial: Math.ceil(L.bytes / 65536) });
    const module = new WASM.Module(assembleModule([phaseA(L), deliver(L)]));
    this.exports = new WASM.Instance(module, { env: { memory } }).exports as CoreKernels["exports"];
    const buf = memory.buffer;
    const view = (offset: number, length: number): Int32Array => new Int32Array(buf, offset, length);
    this.words = view(0, L.bytes / 4);
    this.membrane = view(L.membrane, n);
    this.current = view(L.current, n);
    this.refractory = view(L.refractory, n);
    this.ring = view(L.ring, n * 16);
    this.packed = view(L.packed, numSynapses);
    this.fwdBase = view(L.fwdBase, numSources);
    this.fwdCount = view(L.fwdCount, numSources);
    this.spikes = view(L.spikes, L.n4);
    this.list = view(L.list, Math.max(1, listLength));
    const set = (base: number, j: number, value: number): void => void (this.words[base / 4 + j] = value);
    for (let j = 0; j < L.n4; j++) set(L.threshold, j, 0x7fffffff); // padding lanes never fire
    neurons.forEach((p, j) => {
      set(L.threshold, j, p.threshold);
      set(L.refractoryPeriod, j, p.refractoryPeriod);
      set(L.subtractMask, j, p.subtract ? -1 : 0);
      set(L.memMul, j, p.tauMemShift === 15 ? 0 : 2 ** (15 - p.tauMemShift));
      set(L.memRound, j, p.tauMemShift === 15 ? 0 : 2 ** p.tauMemShift - 1);
      set(L.synMul, j, p.tauSynShift === 15 ? 0 : 2 ** (15 - p.tauSynShift));
      set(L.synRound, j, p.tauSynShift === 15 ? 0 : 2 ** p.tauSynShift - 1);
      set(L.weightMul, j, 2 ** p.weightShift);
    });
  }

  /** Dense phase A without learning for ring slot `slot`; returns the spike count (spikes in `spikes`). */
  phaseA(slot: number): number {
    return this.exports.phaseA(slot);
  }

  /** Neurons with a non-zero register after the last `phaseA`. */
  busy(): number {
    return this.words[this.L.busy / 4];
  }

  /** Deliver the fan-out lists of the first `count` spikes of `phaseA` (source id = axons + neuron). */
  deliverSpikes(count: number, axons: number, t: number): number {
    return this.exports.deliver(this.L.spikes, count, axons, t | 0);
  }

  /** Deliver the fan-out lists of the first `count` source ids in `list`. */
  deliverList(count: number, t: number): number {
    return this.exports.deliver(this.L.list, count, 0, t | 0);
  }
}
