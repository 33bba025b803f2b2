// SPDX-License-Identifier: Apache-2.0
// Spiking Heidelberg Digits (Cramer et al. 2020) from its HDF5 files: `spikes/times` (one
// variable-length array of spike times in seconds per sample), `spikes/units` (the matching
// channel of each spike, 0..699) and `labels` (class 0..19). Times are binned into steps of `dt`
// seconds; channels may be pooled by `channelGroup` so the input fits the core's 1024 axons.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { LociError } from "../../sim/errors.ts";
import type { DatasetSplits, SpikeDataset } from "./dataset.ts";

/** How to convert SHD events to steps. */
export interface ShdOptions {
  /** Folder with shd_train.h5 and shd_test.h5 (required: the dataset is not shipped). */
  readonly dir: string;
  /** Seconds per step (default 0.01 = 10 ms). */
  readonly dt?: number;
  /** Steps per sample; later spikes are dropped (default 100 = 1 s at 10 ms). */
  readonly steps?: number;
  /** Channels pooled into one input (default 1: 700 inputs). */
  readonly channelGroup?: number;
}

/** Channels of the SHD cochlea model. */
export const SHD_CHANNELS = 700;
/** Classes: English and German digits zero to nine. */
export const SHD_CLASSES = 20;

/** How to get SHD when it is missing. */
export const SHD_HOW_TO_GET =
  "SHD is not shipped with Loci: download shd_train.h5.gz and shd_test.h5.gz (Spiking Heidelberg Digits, Cramer et al. 2020, " +
  "https://zenkelab.org/resources/spiking-heidelberg-datasets-shd/), gunzip them into one folder and pass it with --data-dir.";

/** The h5wasm module surface this loader uses (the package has no types for its runtime module). */
interface H5Module {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  readonly HEAPU8: Uint8Array;
  get_dataset_data(fileId: bigint, path: string, count: null, offset: null, strides: null, ptr: bigint): number;
  reclaim_vlen_memory(fileId: bigint, path: string, attr: string, ptr: bigint): number;
  readonly H5T_class_t: Record<"H5T_INTEGER" | "H5T_FLOAT" | "H5T_VLEN", { value: number }>;
}

interface H5Metadata {
  type: number;
  size: number;
  signed?: boolean;
  total_size: number;
  shape: number[] | null;
  vlen_type?: H5Metadata;
}

interface H5Dataset {
  readonly metadata: H5Metadata;
  readonly value: unknown;
}

interface H5File {
  readonly file_id: bigint;
  get(name: string): unknown;
  close(): unknown;
}

interface H5Api {
  readonly ready: Promise<unknown>;
  readonly File: new (filename: string, mode: string) => H5File;
  readonly Dataset: new (...args: never[]) => H5Dataset;
}

async function h5(): Promise<{ api: H5Api; module: H5Module }> {
  const lib = (await import("h5wasm/node")) as unknown as { default: H5Api };
  await lib.default.ready;
  // `Module` is a live binding, set once `ready` resolves.
  const { Module } = (await import("h5wasm/node")) as unknown as { Module: H5Module };
  return { api: lib.default, module: Module };
}

function dataError(file: string, what: string, cause?: unknown): LociError {
  return new LociError("E_DATA", `${file}: not a valid SHD file: ${what}`, {
    context: { file },
    cause,
    suggestion: `Expected the SHD layout (spikes/times, spikes/units, labels). ${SHD_HOW_TO_GET}`,
  });
}

/** IEEE 754 half precision to number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Read one element of a numeric type from little-endian bytes. */
function elementReader(meta: H5Metadata, module: H5Module, file: string, name: string): (view: DataView, at: number) => number {
  const { H5T_INTEGER, H5T_FLOAT } = module.H5T_class_t;
  if (meta.type === H5T_FLOAT.value) {
    if (meta.size === 2) return (v, at) => halfToNumber(v.getUint16(at, true));
    if (meta.size === 4) return (v, at) => v.getFloat32(at, true);
    if (meta.size === 8) return (v, at) => v.getFloat64(at, true);
  } else if (meta.type === H5T_INTEGER.value) {
    const signed = meta.signed === true;
    if (meta.size === 1) return signed ? (v, at) => v.getInt8(at) : (v, at) => v.getUint8(at);
    if (meta.size === 2) return signed ? (v, at) => v.getInt16(at, true) : (v, at) => v.getUint16(at, true);
    if (meta.size === 4) return signed ? (v, at) => v.getInt32(at, true) : (v, at) => v.getUint32(at, true);
    if (meta.size === 8) return signed ? (v, at) => Number(v.getBigInt64(at, true)) : (v, at) => Number(v.getBigUint64(at, true));
  }
  throw dataError(file, `${name} has element type class ${meta.type}, size ${meta.size} (expected numbers)`);
}

/**
 * Read a 1-D dataset of variable-length numeric arrays as one flat Float64Array plus offsets.
 * Reads the HDF5 `hvl_t` records directly, so every numeric element type works (h5wasm's own
 * decoder has no half floats).
 */
function readVlen(fileHandle: H5File, module: H5Module, name: string, file: string): { values: Float64Array; offsets: Int32Array } {
  const ds = fileHandle.get(name) as H5Dataset | null;
  if (ds === null || typeof ds !== "object" || !("metadata" in ds)) throw dataError(file, `missing dataset ${name}`);
  const meta = ds.metadata;
  if (meta.type !== module.H5T_class_t.H5T_VLEN.value || meta.vlen_type === undefined || meta.shape?.length !== 1) {
    throw dataError(file, `${name} is not a 1-D dataset of variable-length arrays`);
  }
  const read = elementReader(meta.vlen_type, module, file, name);
  const elem = meta.vlen_type.size;
  const count = meta.total_size;
  const ptr = module._malloc(Math.max(8, meta.size * count));
  try {
    module.get_dataset_data(fileHandle.file_id, name, null, null, null, BigInt(ptr));
    try {
      let heap = new DataView(module.HEAPU8.buffer);
      const lengths = new Int32Array(count);
      const pointers = new Uint32Array(count);
      let total = 0;
      for (let k = 0; k < count; k++) {
        lengths[k] = heap.getUint32(ptr + 8 * k, true);
        pointers[k] = heap.getUint32(ptr + 8 * k + 4, true);
        total += lengths[k];
      }
      const values = new Float64Array(total);
      const offsets = new Int32Array(count + 1);
      heap = new DataView(module.HEAPU8.buffer);
      let at = 0;
      for (let k = 0; k < count; k++) {
        for (let i = 0; i < lengths[k]; i++) values[at++] = read(heap, pointers[k] + i * elem);
        offsets[k + 1] = at;
      }
      return { values, offsets };
    } finally {
      module.reclaim_vlen_memory(fileHandle.file_id, name, "", BigInt(ptr));
    }
  } finally {
    module._free(ptr);
  }
}

/** Bytes every HDF5 file starts with (at offset 0 for files written by h5py and h5wasm). */
const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

/** Load one SHD file (`split` names it in messages and dataset names). */
export async function loadShdFile(file: string, options: Omit<ShdOptions, "dir"> = {}): Promise<SpikeDataset> {
  const dt = options.dt ?? 0.01;
  const steps = options.steps ?? 100;
  const group = options.channelGroup ?? 1;
  if (!(dt > 0) || !Number.isInteger(steps) || steps < 1 || !Number.isInteger(group) || group < 1) {
    throw new LociError("E_USAGE", `SHD options: dt = ${dt} (> 0), steps = ${steps} (integer >= 1), channelGroup = ${group} (integer >= 1)`);
  }
  if (!existsSync(file)) {
    throw new LociError("E_DATA", `SHD file not found: ${file}`, { context: { file }, suggestion: SHD_HOW_TO_GET });
  }
  const head = readFileSync(file).subarray(0, 8);
  if (head.length < 8 || !head.every((b, k) => b === HDF5_SIGNATURE[k])) {
    throw dataError(file, "no HDF5 signature at the start (truncated or not an HDF5 file)");
  }
  const { api, module } = await h5();
  let handle: H5File;
  try {
    handle = new api.File(file, "r");
  } catch (error) {
    throw dataError(file, "HDF5 could not open it (corrupt or truncated)", error);
  }
  try {
    const times = readVlen(handle, module, "spikes/times", file);
    const units = readVlen(handle, module, "spikes/units", file);
    const labelsDs = handle.get("labels") as H5Dataset | null;
    if (labelsDs === null || typeof labelsDs !== "object" || !("metadata" in labelsDs)) throw dataError(file, "missing dataset labels");
    const rawLabels = labelsDs.value as ArrayLike<number | bigint> | null;
    const count = times.offsets.length - 1;
    if (rawLabels === null || rawLabels.length !== count || units.offsets.length !== count + 1) {
      throw dataError(file, `spikes/times has ${count} samples, spikes/units ${units.offsets.length - 1}, labels ${rawLabels?.length ?? 0}`);
    }
    const labels = new Uint8Array(count);
    let classes = 0;
    for (let k = 0; k < count; k++) {
      const y = Number(rawLabels[k]);
      if (!Number.isInteger(y) || y < 0 || y > 255) throw dataError(file, `labels[${k}] = ${y} is not a class index`);
      labels[k] = y;
      classes = Math.max(classes, y + 1);
    }
    const channels = Math.ceil(SHD_CHANNELS / group);
    const offsets = new Int32Array(count + 1);
    const keys: number[] = [];
    const stepOut: number[] = [];
    const chanOut: number[] = [];
    for (let k = 0; k < count; k++) {
      const lo = times.offsets[k];
      const hi = times.offsets[k + 1];
      if (units.offsets[k + 1] - units.offsets[k] !== hi - lo) {
        throw dataError(file, `sample ${k}: ${hi - lo} spike times but ${units.offsets[k + 1] - units.offsets[k]} units`);
      }
      const seen = new Set<number>();
      keys.length = 0;
      for (let i = lo; i < hi; i++) {
        const t = times.values[i];
        const u = units.values[units.offsets[k] + i - lo];
        if (!Number.isFinite(t) || t < 0 || !Number.isInteger(u) || u < 0 || u >= SHD_CHANNELS) {
          throw dataError(file, `sample ${k}: spike (time ${t}, unit ${u}) is outside time >= 0, unit 0..${SHD_CHANNELS - 1}`);
        }
        const s = Math.floor(t / dt);
        if (s >= steps) continue;
        const key = s * channels + Math.floor(u / group);
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
      keys.sort((a, b) => a - b);
      for (const key of keys) {
        stepOut.push(Math.floor(key / channels));
        chanOut.push(key % channels);
      }
      offsets[k + 1] = stepOut.length;
    }
    return {
      kind: "spikes",
      name: "shd",
      count,
      channels,
      steps,
      offsets,
      step: Int32Array.from(stepOut),
      channel: Int32Array.from(chanOut),
      labels,
      classes: Math.max(classes, SHD_CLASSES),
    };
  } catch (error) {
    if (error instanceof LociError) throw error;
    throw dataError(file, "reading it failed (corrupt file?)", error);
  } finally {
    handle.close();
  }
}

/** Load shd_train.h5 and shd_test.h5 from `options.dir`. */
export async function loadShd(options: ShdOptions): Promise<DatasetSplits<SpikeDataset>> {
  const files = ["shd_train.h5", "shd_test.h5"].map((f) => path.join(options.dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new LociError("E_DATA", `SHD is missing: looked for ${missing.join(" and ")}`, {
      context: { file: options.dir, value: missing },
      suggestion: SHD_HOW_TO_GET,
    });
  }
  return { train: await loadShdFile(files[0], options), test: await loadShdFile(files[1], options) };
}
