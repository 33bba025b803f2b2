// SPDX-License-Identifier: Apache-2.0
// The CLI framework (help, version, usage errors, the single error handler, --json errors) and
// the `loci sim` and `loci demo --quick` commands, all run through runCli with buffered output.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNetworkFile } from "../../sim/network-file.ts";
import { Simulator } from "../../sim/simulator.ts";
import { readStimulusFile } from "../../sim/stimulus.ts";
import { parseVcd, vcdValueAt } from "../../sim/vcd.ts";
import { bufferIO } from "./io.ts";
import { runCli } from "./main.ts";

const NET = new URL("../../examples/two-layer.net.json", import.meta.url).pathname;
const STIM = new URL("../../examples/two-layer.stim.json", import.meta.url).pathname;
const tmp = (): string => mkdtempSync(join(tmpdir(), "loci-cli-"));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await runCli(["node", "loci", ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("CLI framework", () => {
  it("--help lists the commands and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\s+sim \[options\] <network-file>/m);
    expect(r.out).toMatch(/^\s+demo \[options\]/m);
  });

  it("--version prints the package version", async () => {
    const r = await run("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe((JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version);
  });

  it("an unknown command or a bad option value is a usage error (exit 2), without a stack trace", async () => {
    const r = await run("simulate");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'simulate'/);
    const bad = await run("sim", NET, "--steps", "ten");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--steps must be an integer 0\.\./);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  it("under --json a usage error is one JSON document", async () => {
    const r = await run("sim", NET, "--rate", "2", "--steps", "3", "--json");
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe("E_USAGE");
    expect(doc.error.message).toMatch(/--rate must be a number 0\.\.1/);
  });
});

describe("loci sim", () => {
  it("prints the step table and the summary for the shipped example", async () => {
    const r = await run("sim", NET, "--input", STIM);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^network {3}.*two-layer\.net\.json \(network-file\): 20 neurons, 8 axons, \d+ synapses$/m);
    expect(r.out).toMatch(/^\s+step\s+cycles\s+in\s+spikes$/m);
    expect(r.out).toMatch(/^\s+\d+\s+\d+\s+\d+\s+n\d+( n\d+)*/m); // at least one step with spikes
    expect(r.out).toMatch(/^ {2}steps {12}60$/m);
    expect(r.out).toMatch(/predicted speed +[\d,]+ steps\/s at a 24 MHz core clock/);
    expect(r.err).toBe(""); // no progress bar when not interactive
  });

  it("--json holds every spike and every step's cycles, equal to running the simulator directly", async () => {
    const r = await run("sim", NET, "--input", STIM, "--steps", "80", "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { steps: number; spikes: [number, number][]; cyclesPerStep: number[]; summary: { spikes: number; totalCycles: number } };
    const sim = new Simulator(readNetworkFile(NET));
    const direct = sim.run(readStimulusFile(STIM, { numAxons: 8 }), 80);
    const spikes: [number, number][] = [];
    for (let k = 0; k < 80; k++) for (const j of direct.spikesAt(k)) spikes.push([k, j]);
    expect(doc.steps).toBe(80);
    expect(doc.spikes).toEqual(spikes);
    expect(doc.cyclesPerStep).toEqual([...direct.cycles]);
    expect(doc.summary.spikes).toBe(spikes.length);
    expect(doc.summary.totalCycles).toBe(direct.totals.cycles);
    expect(spikes.length).toBeGreaterThan(50); // the example shows visible activity
  });

  it("--rate with --seed is deterministic, and another seed differs", async () => {
    const a = await run("sim", NET, "--steps", "50", "--rate", "0.3", "--seed", "5", "--json");
    const b = await run("sim", NET, "--steps", "50", "--rate", "0.3", "--seed", "5", "--json");
    const c = await run("sim", NET, "--steps", "50", "--rate", "0.3", "--seed", "6", "--json");
    const spikes = (x: { out: string }): unknown => (JSON.parse(x.out) as { spikes: unknown }).spikes;
    expect(spikes(a)).toEqual(spikes(b));
    expect(spikes(a)).not.toEqual(spikes(c));
  });

  it("--vcd writes a VCD of the probed neurons that parses back", async () => {
    const out = join(tmp(), "run.vcd");
    const r = await run("sim", NET, "--input", STIM, "--vcd", out, "--probe", "0,16,19");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${out}`);
    const vcd = parseVcd(readFileSync(out, "utf8"));
    expect(vcd.variables.filter((v) => v.name.endsWith("_spike")).map((v) => v.name)).toEqual(["loci.n0.n0_spike", "loci.n16.n16_spike", "loci.n19.n19_spike"]);
    const sim = new Simulator(readNetworkFile(NET));
    const result = sim.run(readStimulusFile(STIM, { numAxons: 8 }), 60);
    expect(vcd.endTime).toBe(60);
    let spikesSeen = 0;
    for (let k = 0; k < 60; k++) {
      const fired = result.spikesAt(k).includes(16) ? 1 : 0;
      expect(vcdValueAt(vcd, "loci.n16.n16_spike", k)).toBe(fired);
      spikesSeen += fired;
      expect(vcdValueAt(vcd, "loci.cycles", k)).toBe(result.cycles[k]);
    }
    expect(spikesSeen).toBeGreaterThan(0);
  });

  it("runs a network with no input when neither --input nor --rate is given", async () => {
    const r = await run("sim", NET, "--steps", "5", "--json");
    expect((JSON.parse(r.out) as { spikes: unknown[] }).spikes).toEqual([]);
  });
});

describe("loci sim: bad input changes nothing and writes nothing", () => {
  function badNetwork(): string {
    const path = join(tmp(), "bad.net.json");
    const doc = JSON.parse(readFileSync(NET, "utf8")) as { synapses: unknown[][] };
    doc.synapses[12][2] = 300;
    writeFileSync(path, JSON.stringify(doc));
    return path;
  }

  it("an out-of-range weight: exit 1, the message names file, field, value and range; no VCD", async () => {
    const net = badNetwork();
    const vcd = join(tmp(), "x.vcd");
    const r = await run("sim", net, "--steps", "5", "--vcd", vcd);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`loci: error E_RANGE: ${net}: synapses[12].weight = 300 is out of range (allowed: integer -128..127)`);
    expect(r.out).toBe("");
    expect(existsSync(vcd)).toBe(false);
  });

  it("--json: the error is one JSON document with code, message and context", async () => {
    const r = await run("sim", badNetwork(), "--steps", "5", "--json");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { error: { code: string; context: { field: string; value: number; allowed: string } } };
    expect(doc.error.code).toBe("E_RANGE");
    expect(doc.error.context).toMatchObject({ field: "synapses[12].weight", value: 300, allowed: "integer -128..127" });
  });

  it("a stimulus with a duplicate event or an axon past numAxons: no run, no VCD", async () => {
    const dir = tmp();
    const vcd = join(dir, "x.vcd");
    for (const events of [[[0, 1], [0, 1]], [[0, 8]]]) {
      const stim = join(dir, "bad.stim.json");
      writeFileSync(stim, JSON.stringify({ format: "loci-stimulus", version: 1, steps: 3, events }));
      const r = await run("sim", NET, "--input", stim, "--vcd", vcd);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/events\[\d\]/);
      expect(existsSync(vcd)).toBe(false);
    }
  });

  it("a probe past the neurons is rejected before the run; no VCD", async () => {
    const vcd = join(tmp(), "x.vcd");
    const r = await run("sim", NET, "--steps", "5", "--vcd", vcd, "--probe", "20");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/probes\[0\] = 20 is out of range \(allowed: neuron 0\.\.19\)/);
    expect(existsSync(vcd)).toBe(false);
  });

  it("usage errors: --input with --rate, --probe without --vcd, no --steps without --input, bad --probe list", async () => {
    expect((await run("sim", NET, "--input", STIM, "--rate", "0.1")).err).toMatch(/--input and --rate cannot be used together/);
    expect((await run("sim", NET, "--steps", "3", "--probe", "1")).err).toMatch(/--probe needs --vcd/);
    const noSteps = await run("sim", NET);
    expect(noSteps.code).toBe(2);
    expect(noSteps.err).toMatch(/--steps is required without --input/);
    expect((await run("sim", NET, "--steps", "3", "--vcd", "x.vcd", "--probe", "1,x")).code).toBe(2);
  });

  it("a missing network file: E_IO naming the path", async () => {
    const r = await run("sim", join(tmp(), "none.net.json"), "--steps", "1");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/E_IO: cannot read .*none\.net\.json: ENOENT/);
  });
});

describe("loci demo --quick", () => {
  it("builds, simulates and summarises, with a raster that shows spikes in both layers", async () => {
    const r = await run("demo", "--quick");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[1\/3\] build a spatial network/);
    expect(r.out).toMatch(/\[2\/3\] simulate/);
    expect(r.out).toMatch(/\[3\/3\] cycle counts and summary/);
    expect(r.out).toMatch(/^ {2}n3 +[.|]*\|/m); // a hidden neuron spikes
    expect(r.out).toMatch(/^ {2}n17 +[.|]*\|/m); // an output neuron spikes
    expect(r.out).toMatch(/total cycles +[\d,]+ \(mean/);
  });

  it("--json gives spikes, cycles and the summary", async () => {
    const r = await run("demo", "--quick", "--json", "--steps", "30");
    const doc = JSON.parse(r.out) as { spikes: [number, number][]; cyclesPerStep: number[]; summary: { steps: number; spikes: number } };
    expect(doc.cyclesPerStep.length).toBe(30);
    expect(doc.summary.steps).toBe(30);
    expect(doc.summary.spikes).toBe(doc.spikes.length);
  });
});
