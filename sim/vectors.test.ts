// SPDX-License-Identifier: Apache-2.0
// Vector and trace files: the writer matches the documented example, vectors round-trip through
// the parser, the expected trace is the simulator's, and the diff tool finds every kind of
// difference and names step, neuron and field. Malformed files are refused with their line.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LociError } from "./errors.ts";
import { NetworkBuilder, type Network } from "./network.ts";
import { Random } from "./random.ts";
import { Simulator } from "./simulator.ts";
import { diffTraces, expectedTrace, formatMismatch, parseTrace, parseVectors, writeVectors, type CosimAction, type CosimCase } from "./vectors.ts";

function workedExample(): Network {
  const b = new NetworkBuilder(1);
  b.addNeuron({ threshold: 10, tauMemShift: 15, tauSynShift: 0, refractoryPeriod: 1, weightShift: 0, resetMode: "zero" });
  b.addNeuron({ threshold: 15, tauMemShift: 1, tauSynShift: 0, refractoryPeriod: 0, weightShift: 0, resetMode: "zero" });
  b.addSynapse({ from: { axon: 0 }, to: 0, weight: 6, delay: 1 });
  b.addSynapse({ from: { neuron: 0 }, to: 1, weight: 20, delay: 2 });
  return b.build();
}

const WORKED: CosimCase = {
  name: "worked",
  network: workedExample(),
  actions: [{ kind: "run", inputs: [[0]] }, { kind: "dump" }, { kind: "run", inputs: [[0], [], []] }, { kind: "counters" }],
};

/** A small random plastic network with a script touching every action kind. */
function randomCase(seed: number): CosimCase {
  const rng = new Random(seed);
  const axons = rng.intBetween(1, 12);
  const neurons = rng.intBetween(1, 12);
  const b = new NetworkBuilder(axons);
  for (let j = 0; j < neurons; j++) b.addNeuron({ threshold: rng.intBetween(1, 60), tauMemShift: rng.intBetween(0, 15), tauSynShift: rng.intBetween(0, 15), refractoryPeriod: rng.intBetween(0, 3), resetMode: rng.nextInt(2) === 0 ? "zero" : "subtract" });
  for (let k = rng.intBetween(0, 40); k > 0; k--) {
    const s = rng.nextInt(axons + neurons);
    b.addSynapse({ from: s < axons ? { axon: s } : { neuron: s - axons }, to: rng.nextInt(neurons), weight: rng.intBetween(-128, 127), delay: rng.intBetween(1, 16), plastic: rng.nextInt(2) === 0 });
  }
  b.setLearning({ enabled: true, tauTraceShift: 2, traceIncrement: 90, aPlus: 40, aMinus: 30, learnShift: 3, wMin: -100, wMax: 100 });
  const inputs = (n: number): number[][] => Array.from({ length: n }, () => [...new Set(Array.from({ length: rng.nextInt(axons + 1) }, () => rng.nextInt(axons)))]);
  const actions: CosimAction[] = [
    { kind: "run", inputs: inputs(3), jitter: seed },
    { kind: "dump" },
    { kind: "learning", settings: { enabled: false, tauTraceShift: 15, traceIncrement: 3, aPlus: 0, aMinus: 255, learnShift: 0, wMin: -128, wMax: 127 } },
    { kind: "run", inputs: inputs(2) },
    { kind: "reset" },
    { kind: "run", inputs: inputs(4) },
    { kind: "dump" },
    { kind: "weights" },
    { kind: "ring" },
    { kind: "counters" },
  ];
  return { name: `r${seed}`, network: b.build(), actions };
}

describe("writeVectors", () => {
  it("writes the example of docs/formats/vectors.md", () => {
    const doc = readFileSync(new URL("../docs/formats/vectors.md", import.meta.url), "utf8");
    const block = /Example \(the worked example[^\n]*\n\n```\n([\s\S]*?)```/.exec(doc);
    expect(block).not.toBeNull();
    expect(writeVectors(WORKED)).toBe(block![1]);
  });

  it("refuses a case name that cannot name a file", () => {
    expect(() => writeVectors({ ...WORKED, name: "a b" })).toThrow(/case name "a b"/);
  });
});

describe("parseVectors", () => {
  it("reads back what writeVectors wrote: the same vectors and the same expected trace", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const c = randomCase(seed);
      const back = parseVectors(writeVectors(c), { file: `r${seed}.vec` });
      expect(back.name).toBe(c.name);
      expect(writeVectors(back)).toBe(writeVectors(c));
      expect(expectedTrace(back)).toBe(expectedTrace(c));
    }
  });

  const text = writeVectors(randomCase(7));
  const broken: [string, (t: string) => string, RegExp][] = [
    ["no header", (t) => t.replace("loci-vectors 1\n", ""), /line 1: the first line must be "loci-vectors 1"/],
    ["another version", (t) => t.replace("loci-vectors 1", "loci-vectors 2"), /line 1: the first line/],
    ["truncated (no end)", (t) => t.replace(/end\n$/, ""), /ends without `end`/],
    ["a run short of in lines", (t) => t.replace(/\nrun 3 7\nin [^\n]*\n/, "\nrun 4 7\nin 0\n"), /expected "in COUNT AXON\.\.\."|needs 4 "in" lines/],
    ["an unknown line", (t) => t.replace("\ndump\n", "\ndumpp\n"), /"dumpp" is not a script line/],
    ["a bad number", (t) => t.replace(/\nparam 0 ([0-9a-f]+)\n/, "\nparam 0 zz\n"), /parameter word must be lower-case hex/],
    ["an axon out of range", (t) => t.replace(/\nin \d+[^\n]*\n/, "\nin 1 5000\n"), /axon = 5000 is out of range/],
    ["a count that lies", (t) => t.replace(/\nin (\d+)([^\n]*)\n/, "\nin 9$2\n"), /"in 9" lists/],
    ["a missing reset", (t) => t.replace(/\nreset\nrun/, "\nrun"), /is not an image line/],
  ];
  for (const [what, edit, message] of broken) {
    it(`refuses ${what} with the line`, () => {
      const bad = edit(text);
      expect(bad).not.toBe(text);
      let error: unknown;
      try {
        parseVectors(bad, { file: "bad.vec" });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LociError);
      expect((error as LociError).code).toBe("E_FORMAT");
      expect((error as LociError).message).toMatch(/^bad\.vec: line \d+: /);
      expect((error as LociError).message).toMatch(message);
    });
  }
});

describe("expectedTrace", () => {
  it("records the simulator's spikes, cycles and state", () => {
    const t = parseTrace(expectedTrace(WORKED));
    const sim = new Simulator(WORKED.network);
    const steps = [[0], [0], [], []].map((inp) => sim.stepOnce(inp));
    const s = t.records.filter((r) => r.key === "S");
    expect(s.map((r) => r.values)).toEqual(steps.map((r) => [r.step, r.cycles, r.spikes.length, ...r.spikes]));
    const v = t.records.find((r) => r.key === "V")!;
    expect(v.step).toBe(1);
    expect(t.records.at(-1)!.key).toBe("C");
    expect(t.records.at(-1)!.values).toEqual([4, sim.counters().cycles, steps[3].cycles, 1, 2, 3, 1]);
  });

  it("reports only spikes inside the record window", () => {
    const b = new NetworkBuilder(1);
    b.addNeurons(3, { threshold: 1, tauSynShift: 0 });
    for (let j = 0; j < 3; j++) b.addSynapse({ from: { axon: 0 }, to: j, weight: 5 });
    b.setRecord({ base: 1, count: 1 });
    const t = parseTrace(expectedTrace({ name: "w", network: b.build(), actions: [{ kind: "run", inputs: [[0], []] }] }));
    expect(t.records.map((r) => r.values)).toEqual([[0, expect.any(Number), 0], [1, expect.any(Number), 1, 1]]);
  });
});

describe("diffTraces", () => {
  const text = expectedTrace(randomCase(3));
  const want = parseTrace(text);

  it("finds nothing in equal traces", () => {
    expect(diffTraces(want, parseTrace(text))).toEqual({ total: 0, mismatches: [] });
  });

  it("names step, neuron and field of a changed value", () => {
    const lines = text.split("\n");
    const k = lines.findIndex((l) => l.startsWith("V "));
    const values = lines[k].split(" ");
    values[2] = String(Number(values[2]) + 1);
    lines[k] = values.join(" ");
    const d = diffTraces(want, parseTrace(lines.join("\n")));
    expect(d.total).toBe(1);
    expect(d.mismatches[0]).toMatchObject({ field: "membrane", index: 1, step: 3, line: k + 1 });
    expect(formatMismatch(d.mismatches[0])).toMatch(/^r3: step 3 neuron 1 membrane: expected -?\d+, got -?\d+$/);
  });

  it("finds changed cycles, spikes, weights, ring entries and counters", () => {
    const edits: [RegExp, (m: string) => string, string][] = [
      [/^S (\d+) (\d+)/m, (m) => m.replace(/ (\d+)$/, (x) => ` ${Number(x) + 1}`), "cycles"],
      [/^W -?\d+/m, (m) => `W ${Number(m.slice(2)) === 5 ? 6 : 5}`, "weight"],
      [/^G -?\d+/m, () => "G 12345", "ring"],
      [/^C \d+ \d+/m, (m) => `${m}9`, "cycles"],
    ];
    for (const [re, edit, field] of edits) {
      const changed = text.replace(re, edit);
      expect(changed).not.toBe(text);
      const d = diffTraces(want, parseTrace(changed));
      expect(d.total).toBeGreaterThan(0);
      expect(d.mismatches[0].field).toBe(field);
    }
  });

  it("reports a trace that stops early, and limits the list", () => {
    const lines = text.split("\n");
    const cut = [...lines.slice(0, 6), "end", ""].join("\n");
    const d = diffTraces(want, parseTrace(cut));
    expect(d.mismatches.at(-1)).toMatchObject({ field: "record", actual: "nothing (trace ends)" });
    const everything = text.replace(/^(V|I) (.*)$/gm, (_m, k: string, rest: string) => `${k} ${rest.split(" ").map((x) => String(Number(x) + 1)).join(" ")}`);
    const many = diffTraces(want, parseTrace(everything), 3);
    expect(many.mismatches).toHaveLength(3);
    expect(many.total).toBeGreaterThan(3);
  });

  it("refuses malformed traces with the line", () => {
    expect(() => parseTrace("loci-trace 2\ncase x\nend\n", { file: "t.trace" })).toThrow(/t\.trace: line 1: the first line/);
    expect(() => parseTrace("loci-trace 1\ncase x\nV 1 two\nend\n")).toThrow(/line 3: "two" is not an integer/);
    expect(() => parseTrace("loci-trace 1\ncase x\nS 0 1 0\n")).toThrow(/ends without `end`/);
    expect(() => parseTrace("loci-trace 1\ncase x\nQ 1\nend\n")).toThrow(/line 3: unknown record "Q"/);
  });
});
