// SPDX-License-Identifier: Apache-2.0
// Tests of the core image codec: hand-checked bytes, round trips through the simulator,
// determinism, and a specific error for each kind of corruption (magic, CRC, truncation...).

import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CORE_IMAGE_MAGIC,
  checkImageFits,
  decodeCoreImage,
  encodeCoreImage,
  inputChannelAxons,
  isCoreImage,
  outputNeurons,
  synapseWordBytes,
  type ImageMeta,
} from "./core-image.ts";
import { LociError } from "./errors.ts";
import { loadNetwork } from "./load.ts";
import { layoutMemories } from "./memory-layout.ts";
import { NetworkBuilder, type Network } from "./network.ts";
import { Random } from "./random.ts";
import { Simulator } from "./simulator.ts";
import { UP5K_CAPACITY, type Capacity } from "./spec.ts";
import { errorOf } from "../compiler/test-support.ts";

/** The worked example of docs/core-spec.md §8. */
function workedExample(): Network {
  const b = new NetworkBuilder(1);
  b.addNeuron({ threshold: 10, tauMemShift: 15, tauSynShift: 0, refractoryPeriod: 1, weightShift: 0, resetMode: "zero" });
  b.addNeuron({ threshold: 15, tauMemShift: 1, tauSynShift: 0, refractoryPeriod: 0, weightShift: 0, resetMode: "zero" });
  b.addSynapse({ from: { axon: 0 }, to: 0, weight: 6, delay: 1 });
  b.addSynapse({ from: { neuron: 0 }, to: 1, weight: 20, delay: 2 });
  return b.build();
}

/** A random valid network (seeded). */
function randomNetwork(seed: number, capacity: Capacity = UP5K_CAPACITY): Network {
  const rng = new Random(seed);
  const axons = rng.intBetween(0, 20);
  const b = new NetworkBuilder(axons, capacity);
  const n = rng.intBetween(1, 30);
  for (let j = 0; j < n; j++) {
    b.addNeuron({
      threshold: rng.intBetween(1, 32767),
      tauMemShift: rng.intBetween(0, 15),
      tauSynShift: rng.intBetween(0, 15),
      refractoryPeriod: rng.intBetween(0, 15),
      weightShift: rng.intBetween(0, 7),
      resetMode: rng.nextInt(2) === 0 ? "zero" : "subtract",
    });
  }
  const synapses = rng.intBetween(0, 200);
  for (let k = 0; k < synapses; k++) {
    const fromAxon = axons > 0 && rng.nextInt(2) === 0;
    b.addSynapse({
      from: fromAxon ? { axon: rng.nextInt(axons) } : { neuron: rng.nextInt(n) },
      to: rng.nextInt(n),
      weight: rng.intBetween(-128, 127),
      delay: rng.intBetween(1, 16),
      plastic: rng.nextInt(3) === 0,
    });
  }
  b.setLearning({ enabled: rng.nextInt(2) === 0, aPlus: rng.intBetween(0, 255), aMinus: rng.intBetween(0, 255), wMin: -100, wMax: 100 });
  const base = rng.nextInt(n);
  b.setRecord({ base, count: rng.intBetween(0, n - base) });
  return b.build();
}

/** Patch bytes of an image and fix its CRC, so a later check is what fails. */
function patched(image: Uint8Array, at: number, values: number[]): Uint8Array {
  const copy = image.slice();
  copy.set(values, at);
  new DataView(copy.buffer).setUint32(copy.length - 4, crc32(copy.subarray(0, copy.length - 4)), true);
  return copy;
}

const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const le16 = (v: number): number[] => [v & 0xff, v >>> 8];
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe("core image: hand-checked bytes", () => {
  it("encodes the worked example of core-spec.md exactly", () => {
    const image = encodeCoreImage(workedExample());
    const expected = [
      ...CORE_IMAGE_MAGIC,
      ...le16(1), // image version
      ...le16(1), // core spec version
      ...le32(172), // total bytes
      ...le32(256), ...le32(1024), ...le32(16384), ...le32(4096), // layout capacity
      ...le32(2), ...le32(1), ...le32(2), ...le32(1), ...le32(0), // neurons, axons, synapses, max fan-in, plastic
      ...le16(5), ...le16(4), // sections, bytes per synapse word
      0, 0, 0, 0, 0, 0, 0, 0, // reserved
      ...ascii("PARM"), ...le32(124), ...le32(8),
      ...ascii("SYNW"), ...le32(132), ...le32(8),
      ...ascii("LERN"), ...le32(140), ...le32(8),
      ...ascii("CONF"), ...le32(148), ...le32(16),
      ...ascii("META"), ...le32(164), ...le32(2),
      // PARM: threshold 10 | tauMem 15 << 16 | refractory 1 << 24; threshold 15 | tauMem 1 << 16
      ...le32(0x010f000a), ...le32(0x0001000f),
      // SYNW: a0 -> n0 weight 6 delay 1; n0 (source 1024) -> n1 weight 20 delay 2 (field 1)
      ...le32(0x00000006), ...le32((20 | (1 << 8) | (1 << 16) | (1024 << 21)) >>> 0),
      // LERN: LEARNING_OFF = enabled 0, tauTrace 4, inc 64, aPlus 0, aMinus 0, learnShift 8, wMin -128, wMax 127
      ...le32((4 << 1) | (64 << 5) | ((8 & 7) << 29)), ...le32(((8 >> 3) | (0x80 << 1) | (0x7f << 9)) >>> 0),
      // CONF: numNeurons, numAxons, recordBase, recordCount
      ...le32(2), ...le32(1), ...le32(0), ...le32(2),
      ...ascii("{}"), 0, 0,
    ];
    expect([...image.subarray(0, image.length - 4)]).toEqual(expected);
    // CRC-32 (IEEE 802.3) of the bytes above; checked independently with Python's zlib.crc32.
    expect(new DataView(image.buffer).getUint32(168, true)).toBe(0xa8d843fe);
  });

  it("is deterministic: the same network and metadata give the same bytes", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const meta: ImageMeta = { model: { name: `n${seed}` }, encoding: { kind: "latency", steps: 5 } };
      expect(encodeCoreImage(randomNetwork(seed), meta)).toEqual(encodeCoreImage(randomNetwork(seed), meta));
    }
  });
});

describe("core image: round trip", () => {
  it("decodes to the same network and memories, and the simulator runs it identically", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const net = randomNetwork(seed);
      const decoded = decodeCoreImage(encodeCoreImage(net));
      expect(decoded.network.neurons).toEqual(net.neurons);
      expect(decoded.network.synapses).toEqual(net.synapses);
      expect(decoded.network.learning).toEqual(net.learning);
      expect(decoded.network.record).toEqual(net.record);
      expect(decoded.memories).toEqual(layoutMemories(net));
      const a = new Simulator(net);
      const b = new Simulator(decoded.memories);
      const rng = new Random(seed);
      for (let t = 0; t < 40; t++) {
        const inputs = net.numAxons === 0 ? [] : [...new Set(Array.from({ length: 3 }, () => rng.nextInt(net.numAxons)))];
        expect(b.stepOnce(inputs)).toEqual(a.stepOnce(inputs));
      }
      expect(b.snapshot()).toEqual(a.snapshot());
    }
  });

  it("carries the population map, encoding and readout", () => {
    const meta: ImageMeta = {
      model: { name: "tiny", digest: "ab".repeat(32) },
      populations: [
        { name: "in", kind: "input", first: 0, size: 1 },
        { name: "out", kind: "lif", first: 0, size: 1, weightScale: 141.99, weightShift: 5 },
        { name: "hid", kind: "lif", first: 1, size: 1 },
      ],
      output: "out",
      encoding: { kind: "rate", steps: 20, maxRate: 0.5 },
      readout: "spike-count",
    };
    const decoded = decodeCoreImage(encodeCoreImage(workedExample(), meta));
    expect(decoded.meta).toEqual(meta);
    expect([...inputChannelAxons(decoded.meta)]).toEqual([0]);
    expect(outputNeurons(decoded.meta)).toEqual({ first: 0, size: 1 });
    expect(decoded.requirements).toMatchObject({ numNeurons: 2, numAxons: 1, numSynapses: 2, maxFanIn: 1, numPlastic: 0, coreSpecVersion: 1 });
    expect(decoded.sections).toEqual({ PARM: 8, SYNW: 8, LERN: 8, CONF: 16, META: new TextEncoder().encode(JSON.stringify(meta)).length });
  });

  it("uses 8-byte synapse words when the capacity needs more than 32 bits", () => {
    const big: Capacity = { neurons: 1024, axons: 4096, synapses: 1 << 16, maxFanIn: 4096 };
    expect(synapseWordBytes(big)).toBe(8);
    const net = randomNetwork(7, big);
    const decoded = decodeCoreImage(encodeCoreImage(net));
    expect(decoded.network.synapses).toEqual(net.synapses);
    expect(decoded.requirements.layoutCapacity).toEqual(big);
  });

  it("rejects metadata that does not match the network", () => {
    expect(errorOf(() => encodeCoreImage(workedExample(), { populations: [{ name: "in", kind: "input", first: 0, size: 2 }] })).message).toMatch(
      /META\.populations\[0\]\.size = 2 .*integer 1\.\.1/,
    );
    expect(errorOf(() => encodeCoreImage(workedExample(), { output: "x" })).message).toMatch(/META\.output = "x" .*no LIF population/);
  });
});

describe("core image: corruption gives a specific error", () => {
  const image = encodeCoreImage(workedExample(), { encoding: { kind: "rate", steps: 4, maxRate: 1 } });
  const where = { file: "x.loci" };

  it("bad magic", () => {
    const json = new TextEncoder().encode('{"format":"loci-network"}');
    const e = errorOf(() => decodeCoreImage(json, where));
    expect(e.code).toBe("E_FORMAT");
    expect(e.message).toBe('x.loci: not a Loci core image: the first bytes are "7b 22 66 6f 72 6d 61 74"; a core image starts with 89 4c 4f 43 49 0d 0a 1a');
    expect(isCoreImage(json)).toBe(false);
    expect(isCoreImage(image)).toBe(true);
  });

  it("bad CRC", () => {
    const copy = image.slice();
    copy[130] ^= 0x01; // a bit of a neuron parameter word
    const e = errorOf(() => decodeCoreImage(copy, where));
    expect(e.message).toMatch(/^x\.loci: CRC mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} \(the image is corrupted\)$/);
    expect(e.suggestion).toMatch(/Compile the model again/);
  });

  it("truncated, at any length", () => {
    expect(errorOf(() => decodeCoreImage(image.subarray(0, 100), where)).message).toBe(`x.loci: truncated core image: 100 bytes, the header says ${image.length}`);
    expect(errorOf(() => decodeCoreImage(image.subarray(0, 20), where)).message).toMatch(/truncated core image: 20 bytes, shorter than the 64-byte header/);
    for (let n = 0; n < image.length; n++) expect(() => decodeCoreImage(image.subarray(0, n))).toThrow(LociError);
    const longer = new Uint8Array(image.length + 3);
    longer.set(image);
    expect(errorOf(() => decodeCoreImage(longer, where)).message).toMatch(/3 unexpected bytes after its end/);
  });

  it("another image version or core spec version", () => {
    expect(errorOf(() => decodeCoreImage(patched(image, 8, le16(2)), where)).message).toBe(
      "x.loci: core image version 2 is not supported (this Loci reads version 1)",
    );
    expect(errorOf(() => decodeCoreImage(patched(image, 10, le16(9)), where)).message).toMatch(/needs core spec version 9; this Loci implements version 1/);
  });

  it("inconsistent or damaged sections (with a valid CRC)", () => {
    expect(errorOf(() => decodeCoreImage(patched(image, 64 + 4, le32(3)), where)).message).toMatch(/section PARM \(offset 3, 8 bytes\) lies outside the image/);
    expect(errorOf(() => decodeCoreImage(patched(image, 64, ascii("PARX")), where)).message).toMatch(/unknown required section PARX/);
    expect(errorOf(() => decodeCoreImage(patched(image, 48, le32(1)), where)).message).toMatch(/header\.numPlastic = 1, but the synapses give 0/);
    expect(errorOf(() => decodeCoreImage(patched(image, 148, le32(3)), where)).message).toMatch(/CONF says 3 neurons and 1 axons; the header says 2 and 1/);
    // a synapse whose target is neuron 5 of 2
    expect(errorOf(() => decodeCoreImage(patched(image, 132 + 1, [5]), where)).message).toMatch(/synapses\[0\]\.target = 5 .*integer 0\.\.1/);
    // neuron 0's threshold set to 0
    expect(errorOf(() => decodeCoreImage(patched(image, 124, [0, 0]), where)).message).toMatch(/neurons\[0\]\.threshold = 0 .*1\.\.32767/);
    // META: '{"encoding":...' with the first byte replaced
    expect(errorOf(() => decodeCoreImage(patched(image, 164, ascii("[")), where)).message).toMatch(/section META is not valid UTF-8 JSON/);
  });

  it("skips unknown ancillary (lower-case) sections", () => {
    const renamed = patched(image, 64 + 4 * 12, ascii("meta"));
    expect(errorOf(() => decodeCoreImage(renamed, where)).message).toMatch(/section META is missing/);
  });

  it("never fails with anything but a LociError on random damage", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: image.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, fixCrc) => {
        const copy = image.slice();
        copy[at] ^= xor;
        const damaged = fixCrc && at < copy.length - 4 ? patched(copy, 0, []) : copy;
        try {
          decodeCoreImage(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(LociError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("checkImageFits", () => {
  it("accepts the core it was laid out for and lists every shortfall otherwise", () => {
    const req = decodeCoreImage(encodeCoreImage(workedExample())).requirements;
    expect(() => checkImageFits(req, UP5K_CAPACITY)).not.toThrow();
    const e = errorOf(() => checkImageFits(req, { neurons: 1, axons: 512, synapses: 1, maxFanIn: 1 }));
    expect(e.code).toBe("E_CAPACITY");
    expect(e.message).toBe(
      "the image does not fit this core: it needs 2 neurons (the core has 1); 2 synapses (the core holds 1); a layout for 1024 axons and 256 neurons (the core has 512 and 1)",
    );
  });
});

describe("loadNetwork", () => {
  it("recognises a core image by its magic bytes and loads its network", () => {
    const dir = mkdtempSync(join(tmpdir(), "loci-image-"));
    const path = join(dir, "worked.loci");
    writeFileSync(path, encodeCoreImage(workedExample()));
    const loaded = loadNetwork(path);
    expect(loaded.format).toBe("core-image");
    expect(loaded).toMatchObject({ numNeurons: 2, numAxons: 1 });
    expect((loaded.source as Network).synapses).toEqual(workedExample().synapses);
    writeFileSync(path, encodeCoreImage(workedExample()).subarray(0, 50));
    expect(() => loadNetwork(path)).toThrow(/worked\.loci: truncated core image/);
  });
});
