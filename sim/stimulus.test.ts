// SPDX-License-Identifier: Apache-2.0
// The loci-stimulus format, bucketing, validation and the deterministic generators.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LociError } from "./errors.ts";
import {
  bernoulliStimulus,
  fixedCountStimulus,
  formatStimulus,
  parseStimulus,
  readStimulusFile,
  scheduleStimulus,
  writeStimulusFile,
  type Stimulus,
} from "./stimulus.ts";

const dir = mkdtempSync(join(tmpdir(), "loci-stim-"));
const EXAMPLE = new URL("../examples/two-layer.stim.json", import.meta.url).pathname;

describe("bucketing", () => {
  it("groups events by step, keeping listed order within a step", () => {
    const s = scheduleStimulus({ steps: 4, events: [[2, 5], [0, 1], [2, 3], [0, 0], [3, 7]] }, 8);
    expect([...s.offsets]).toEqual([0, 2, 2, 4, 5]);
    expect([...s.at(0)]).toEqual([1, 0]);
    expect([...s.at(1)]).toEqual([]);
    expect([...s.at(2)]).toEqual([5, 3]);
    expect([...s.at(3)]).toEqual([7]);
    expect([...s.at(9)]).toEqual([]);
    expect(s.eventCount).toBe(5);
    expect(s.toStimulus().events).toEqual([[0, 1], [0, 0], [2, 5], [2, 3], [3, 7]]);
  });

  it("rejects a repeated (step, axon) pair, naming the later event", () => {
    const e = (() => {
      try {
        scheduleStimulus({ steps: 3, events: [[1, 2], [0, 2], [1, 2]] }, 4, { file: "x.stim.json" });
      } catch (err) {
        return err as LociError;
      }
      throw new Error("no error");
    })();
    expect(e.message).toBe("x.stim.json: events[2] = [1, 2] repeats an earlier event (axon 2 already spikes at step 1)");
    expect(e.context).toMatchObject({ field: "events[2]", value: [1, 2] });
  });

  it("rejects axons past numAxons and steps past the length", () => {
    expect(() => scheduleStimulus({ steps: 3, events: [[0, 4]] }, 4)).toThrow(/events\[0\]\.axon = 4 is out of range \(allowed: integer 0\.\.3\)/);
    expect(() => scheduleStimulus({ steps: 3, events: [[3, 0]] }, 4)).toThrow(/events\[0\]\.step = 3 .*0\.\.2/);
    expect(() => scheduleStimulus({ steps: 3, events: [[0, 0]] }, 0)).toThrow(/no input axons/);
  });
});

describe("file format", () => {
  it("round trip through text and through a file", () => {
    const stim: Stimulus = { steps: 40, events: bernoulliStimulus({ steps: 40, numAxons: 20, rate: 0.3, seed: 4 }).events, description: "test" };
    const back = parseStimulus(JSON.parse(formatStimulus(stim)), { numAxons: 20 });
    expect(back).toEqual(stim);
    const path = join(dir, "s.stim.json");
    writeStimulusFile(path, stim);
    expect(readStimulusFile(path, { numAxons: 20 })).toEqual(stim);
  });

  it("reads the shipped example", () => {
    const stim = readStimulusFile(EXAMPLE, { numAxons: 8 });
    expect(stim.steps).toBe(60);
    expect(stim.events.length).toBeGreaterThan(50);
  });

  const bad: [string, string, RegExp][] = [
    ["wrong format", `{"format":"loci-network","version":1,"steps":1,"events":[]}`, /is not a loci-stimulus file/],
    ["unknown field", `{"format":"loci-stimulus","version":1,"steps":1,"events":[],"rate":3}`, /unknown field rate/],
    ["steps negative", `{"format":"loci-stimulus","version":1,"steps":-1,"events":[]}`, /steps = -1/],
    ["event not a pair", `{"format":"loci-stimulus","version":1,"steps":2,"events":[[0,1,2]]}`, /events\[0\] = \[0,1,2\] .*a pair \[step, axon\]/],
    ["step out of range", `{"format":"loci-stimulus","version":1,"steps":2,"events":[[0,1],[2,1]]}`, /events\[1\]\.step = 2 .*0\.\.1/],
    ["axon out of range", `{"format":"loci-stimulus","version":1,"steps":2,"events":[[0,8]]}`, /events\[0\]\.axon = 8 .*0\.\.7/],
    ["axon not an integer", `{"format":"loci-stimulus","version":1,"steps":2,"events":[[0,"3"]]}`, /events\[0\]\.axon = "3"/],
    ["duplicate", `{"format":"loci-stimulus","version":1,"steps":2,"events":[[0,1],[1,1],[0,1]]}`, /events\[2\] = \[0, 1\] repeats/],
    ["bad JSON", `{"format":`, /not valid JSON/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects: ${name} (naming the file)`, () => {
      const path = join(dir, "bad.stim.json");
      writeFileSync(path, text);
      expect(() => readStimulusFile(path, { numAxons: 8 })).toThrow(message);
      expect(() => readStimulusFile(path, { numAxons: 8 })).toThrow(path);
    });
  }
});

describe("generators", () => {
  it("Bernoulli: deterministic per seed, rate respected, only the chosen axons", () => {
    const a = bernoulliStimulus({ steps: 200, numAxons: 50, rate: 0.1, seed: 11 });
    expect(bernoulliStimulus({ steps: 200, numAxons: 50, rate: 0.1, seed: 11 })).toEqual(a);
    expect(bernoulliStimulus({ steps: 200, numAxons: 50, rate: 0.1, seed: 12 })).not.toEqual(a);
    // 10,000 draws at p = 0.1: mean 1000, sd 30; this seed's count is pinned by the PRNG.
    expect(a.events.length).toBeGreaterThan(880);
    expect(a.events.length).toBeLessThan(1120);
    expect(bernoulliStimulus({ steps: 10, numAxons: 5, rate: 0, seed: 1 }).events).toEqual([]);
    expect(bernoulliStimulus({ steps: 10, numAxons: 5, rate: 1, seed: 1 }).events.length).toBe(50);
    const some = bernoulliStimulus({ steps: 20, numAxons: 9, rate: 0.5, axons: [2, 7] });
    expect(new Set(some.events.map((e) => e[1]))).toEqual(new Set([2, 7]));
    scheduleStimulus(a, 50); // valid: no duplicates
  });

  it("fixed count: exactly perStep distinct axons every step", () => {
    const s = fixedCountStimulus({ steps: 100, numAxons: 30, perStep: 7, seed: 5 });
    const sched = scheduleStimulus(s, 30);
    for (let t = 0; t < 100; t++) expect(new Set(sched.at(t)).size).toBe(7);
  });

  it("rejects bad generator options", () => {
    expect(() => bernoulliStimulus({ steps: 10, numAxons: 5, rate: 1.5 })).toThrow(/rate = 1\.5/);
    expect(() => fixedCountStimulus({ steps: 10, numAxons: 5, perStep: 6 })).toThrow(/perStep = 6 .*0\.\.5/);
    expect(() => bernoulliStimulus({ steps: 10, numAxons: 5, rate: 0.5, axons: [5] })).toThrow(/axons\[0\] = 5/);
  });
});
