// SPDX-License-Identifier: Apache-2.0
// The loci-network format: round trips, memory order, and one test per kind of bad input, each
// checking that the error names the file, the field, the value and the allowed range.
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LociError } from "./errors.ts";
import { formatNetwork, parseNetwork, readNetworkFile, writeNetworkFile } from "./network-file.ts";
import { simCase } from "./test-arbitraries.ts";

const EXAMPLE = new URL("../examples/two-layer.net.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "loci-netfile-"));

/** A small valid document to break one field at a time. */
function doc(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: "loci-network",
    version: 1,
    numAxons: 2,
    neurons: { count: 3, defaults: { threshold: 20 }, overrides: [{ index: 2, threshold: 5 }] },
    synapses: [["a0", 0, 10], ["n0", 1, -5, 3, 1], ["a1", 2, 7, 16, true]],
    ...patch,
  };
}

/** Write `value` as a file and read it; return the error thrown. */
function errorOf(value: unknown): LociError {
  const path = join(dir, "bad.net.json");
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  try {
    readNetworkFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(LociError);
    expect((e as LociError).message).toContain(path);
    return e as LociError;
  }
  throw new Error("no error");
}

describe("reading", () => {
  it("applies defaults, overrides and row defaults (delay 1, not plastic) and sorts rows into memory order", () => {
    const net = parseNetwork(doc());
    expect(net.neurons.map((p) => p.threshold)).toEqual([20, 20, 5]);
    expect(net.neurons[0].tauMemShift).toBe(4); // built-in default
    const s = net.synapses;
    // Sources: a0 (0), a1 (1), n0 (1024 + 0): memory order is ascending source id.
    expect([...s.source]).toEqual([0, 1, 1024]);
    expect([...s.target]).toEqual([0, 2, 1]);
    expect([...s.weight]).toEqual([10, 7, -5]);
    expect([...s.delay]).toEqual([1, 16, 3]);
    expect([...s.plastic]).toEqual([0, 1, 1]);
    expect(net.record).toEqual({ base: 0, count: 3 });
    expect(net.learning.enabled).toBe(false);
  });

  it("keeps file order within a source (stable)", () => {
    const net = parseNetwork(doc({ synapses: [["a1", 0, 1], ["a0", 2, 2], ["a1", 1, 3], ["a0", 0, 4]] }));
    expect([...net.synapses.weight]).toEqual([2, 4, 1, 3]);
  });

  it("reads the shipped example", () => {
    const net = readNetworkFile(EXAMPLE);
    expect(net.neurons.length).toBe(20);
    expect(net.numAxons).toBe(8);
    expect(net.synapses.source.length).toBeGreaterThan(100);
  });

  it("accepts a partial capacity (missing fields from the UP5K build)", () => {
    const net = parseNetwork(doc({ capacity: { neurons: 1000, synapses: 70000 } }));
    expect(net.capacity).toEqual({ neurons: 1000, axons: 1024, synapses: 70000, maxFanIn: 4096 });
  });
});

describe("writing", () => {
  it("round trip: format -> parse gives an equal network (random networks, custom capacity)", () => {
    fc.assert(
      fc.property(simCase({ capacity: { neurons: 40, axons: 9, synapses: 100, maxFanIn: 100 } }), (c) => {
        const back = parseNetwork(JSON.parse(formatNetwork(c.net)));
        expect(back).toEqual({ ...c.net, neurons: c.net.neurons.map((p) => ({ ...p })) });
        expect(formatNetwork(back)).toBe(formatNetwork(c.net));
      }),
      { numRuns: 100 },
    );
  });

  it("the example file is in canonical form (reading and writing it changes nothing)", () => {
    const text = readFileSync(EXAMPLE, "utf8");
    const description = (JSON.parse(text) as { description: string }).description;
    expect(formatNetwork(readNetworkFile(EXAMPLE), description)).toBe(text);
  });

  it("writes atomically to disk and reads back", () => {
    const path = join(dir, "out.net.json");
    const net = parseNetwork(doc());
    writeNetworkFile(path, net);
    expect(readNetworkFile(path)).toEqual(parseNetwork(doc()));
  });
});

describe("bad input: every error names file, field, value and allowed range", () => {
  const cases: [string, unknown, RegExp, string][] = [
    ["not JSON", "{ nope", /not valid JSON/, "E_FORMAT"],
    ["wrong format", doc({ format: "loci-model" }), /format = "loci-model" is not a loci-network file/, "E_FORMAT"],
    ["wrong version", doc({ version: 2 }), /version = 2 is not supported/, "E_FORMAT"],
    ["unknown top-level field", doc({ neuronz: 1 }), /unknown field neuronz/, "E_UNKNOWN_FIELD"],
    ["unknown neuron field", doc({ neurons: { count: 1, defaults: { treshold: 3 } } }), /unknown field neurons\.defaults\.treshold/, "E_UNKNOWN_FIELD"],
    ["unknown learning field", doc({ learning: { enabled: true, rate: 3 } }), /unknown field learning\.rate/, "E_UNKNOWN_FIELD"],
    ["weight too large", doc({ synapses: [["a0", 0, 10], ["a0", 1, 200]] }), /synapses\[1\]\.weight = 200 is out of range \(allowed: integer -128\.\.127\)/, "E_RANGE"],
    ["weight not an integer", doc({ synapses: [["a0", 0, 1.5]] }), /synapses\[0\]\.weight = 1\.5 .*-128\.\.127/, "E_RANGE"],
    ["delay 0", doc({ synapses: [["a0", 0, 1, 0]] }), /synapses\[0\]\.delay = 0 .*1\.\.16/, "E_RANGE"],
    ["delay 17", doc({ synapses: [["a0", 0, 1, 17]] }), /synapses\[0\]\.delay = 17 .*1\.\.16/, "E_RANGE"],
    ["plastic 2", doc({ synapses: [["a0", 0, 1, 1, 2]] }), /synapses\[0\]\.plastic = 2 .*true, false, 0 or 1/, "E_RANGE"],
    ["target past the neurons", doc({ synapses: [["a0", 3, 1]] }), /synapses\[0\]\.target = 3 .*0\.\.2/, "E_RANGE"],
    ["axon past numAxons", doc({ synapses: [["a2", 0, 1]] }), /synapses\[0\]\.source = "a2" .*"a0"\.\."a1"/, "E_RANGE"],
    ["neuron source past the neurons", doc({ synapses: [["n3", 0, 1]] }), /synapses\[0\]\.source = "n3" .*"n0"\.\."n2"/, "E_RANGE"],
    ["malformed source", doc({ synapses: [["x1", 0, 1]] }), /synapses\[0\]\.source = "x1"/, "E_RANGE"],
    ["short row", doc({ synapses: [["a0", 0]] }), /synapses\[0\] = \["a0",0\] .*\[source, target, weight, delay\?, plastic\?\]/, "E_RANGE"],
    ["threshold 0", doc({ neurons: { count: 2, overrides: [{ index: 1, threshold: 0 }] } }), /neurons\.overrides\[0\]\.threshold = 0 .*1\.\.32767/, "E_RANGE"],
    ["tau shift 16", doc({ neurons: { count: 2, defaults: { tauMemShift: 16 } } }), /neurons\.defaults\.tauMemShift = 16 .*0\.\.15/, "E_RANGE"],
    ["bad reset mode", doc({ neurons: { count: 2, defaults: { resetMode: "hold" } } }), /resetMode = "hold" .*"zero", "subtract"/, "E_RANGE"],
    ["override index past count", doc({ neurons: { count: 2, overrides: [{ index: 2 }] } }), /neurons\.overrides\[0\]\.index = 2 .*0\.\.1/, "E_RANGE"],
    ["override twice", doc({ neurons: { count: 2, overrides: [{ index: 1 }, { index: 1 }] } }), /neurons\.overrides\[1\]\.index = 1/, "E_RANGE"],
    ["too many neurons", doc({ neurons: { count: 257 }, synapses: [] }), /neurons\.count = 257 exceeds the core's 256 neurons/, "E_CAPACITY"],
    ["numAxons past capacity", doc({ numAxons: 1025 }), /numAxons = 1025 .*0\.\.1024/, "E_RANGE"],
    ["too many synapses", doc({ capacity: { synapses: 2 } }), /needs 3 synapses; the core holds 2/, "E_CAPACITY"],
    ["fan-in past maxFanIn", doc({ capacity: { maxFanIn: 1 }, synapses: [["a0", 0, 1], ["a1", 0, 1]] }), /neuron 0 has 2 incoming synapses; the core allows at most 1/, "E_CAPACITY"],
    ["wMax below wMin", doc({ learning: { wMin: 10, wMax: 5 } }), /learning\.wMax = 5 .*10\.\.127/, "E_RANGE"],
    ["aPlus too large", doc({ learning: { aPlus: 256 } }), /learning\.aPlus = 256 .*0\.\.255/, "E_RANGE"],
    ["record window past the neurons", doc({ record: { base: 2, count: 2 } }), /record\.count = 2 .*0\.\.1/, "E_RANGE"],
    ["missing neurons", doc({ neurons: undefined }), /missing field neurons/, "E_FORMAT"],
    ["capacity as a wrong string", doc({ capacity: "up6k" }), /capacity = "up6k"/, "E_RANGE"],
  ];
  for (const [name, value, message, code] of cases) {
    it(name, () => {
      const e = errorOf(value);
      expect(e.message).toMatch(message);
      expect(e.code).toBe(code);
    });
  }

  it("a missing file is an E_IO error naming the path", () => {
    expect(() => readNetworkFile(join(dir, "nope.net.json"))).toThrow(/cannot read .*nope\.net\.json: ENOENT/);
  });
});
