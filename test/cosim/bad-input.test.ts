// SPDX-License-Identifier: Apache-2.0
// Bad input to the co-simulation flow: a malformed vector file, a bad harness argument, a core
// that does not finish within its clock budget. Each ends in a clear error (the file and line,
// or the argument) and a non-zero exit, never a hang and never a pass.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LociError } from "../../sim/errors.ts";
import { NetworkBuilder } from "../../sim/network.ts";
import { writeVectors } from "../../sim/vectors.ts";
import { buildHarness, runHarness } from "../../host/hdl/verilator.ts";
import { REPO_ROOT } from "../../host/hdl/file-list.ts";
import { runCli } from "../../host/cli/main.ts";
import { bufferIO } from "../../host/cli/io.ts";
import { runTool } from "../../host/hdl/run-tool.ts";

const DIR = join(REPO_ROOT, "build", "cosim-tests", "bad-input");
let binary: string;

function goodVectors(name = "good"): string {
  const b = new NetworkBuilder(2);
  b.addNeurons(3, { threshold: 4, tauSynShift: 0 });
  b.addSynapse({ from: { axon: 0 }, to: 1, weight: 9 });
  b.addSynapse({ from: { neuron: 1 }, to: 2, weight: 9, delay: 3 });
  return writeVectors({ name, network: b.build(), actions: [{ kind: "run", inputs: [[0], [1], []] }, { kind: "dump" }, { kind: "counters" }] });
}

function file(name: string, text: string): string {
  const path = join(DIR, name);
  writeFileSync(path, text);
  return path;
}

async function harnessError(files: string[], options: { maxCycles?: number } = {}): Promise<LociError> {
  try {
    await runHarness(binary, files, DIR, { ...options, timeoutMs: 60_000 });
  } catch (error) {
    expect(error).toBeInstanceOf(LociError);
    return error as LociError;
  }
  throw new Error("the harness accepted bad input");
}

beforeAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  binary = (await buildHarness()).binary;
}, 900_000);

describe("malformed vector files", () => {
  const good = goodVectors();
  const cases: [string, string, RegExp][] = [
    ["empty", "", /empty file/],
    ["truncated", good.slice(0, good.indexOf("\nrun")), /ends without `end`/],
    ["unknown-line", good.replace("\ndump\n", "\ndmup\n"), /:\d+: unknown line `dmup`/],
    ["wrong-capacity", good.replace("capacity 256 1024", "capacity 512 1024"), /:3: capacity 512 1024 16384 4096 does not match this RTL build/],
    ["short-run", good.replace(/\nin 0\ndump/, "\ndump"), /expected `in COUNT AXON\.\.\.`/],
    ["lying-count", good.replace("\nin 1 0\n", "\nin 2 0\n"), /`in 2` lists 1 axons/],
    ["not-hex", good.replace(/\nparam 0 [0-9a-f]+\n/, "\nparam 0 xyz\n"), /`xyz` is not a hex number/],
    ["axon-range", good.replace("\nin 1 0\n", "\nin 1 1024\n"), /`1024` is out of range/],
    ["version", good.replace("loci-vectors 1", "loci-vectors 9"), /version 9 is not supported/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: E_FORMAT naming the file and line, no trace written`, async () => {
      const path = file(`${name}.vec`, text);
      const e = await harnessError([path]);
      expect(e.code).toBe("E_FORMAT");
      expect(e.message).toContain(path);
      expect(e.message).toMatch(message);
      expect(existsSync(join(DIR, `${name}.trace`))).toBe(false);
    });
  }

  it("a bad file among good ones stops the run before any simulation", async () => {
    const ok = file("first.vec", goodVectors("first"));
    const bad = file("second.vec", goodVectors("second").replace(/end\n$/, ""));
    const e = await harnessError([ok, bad]);
    expect(e.message).toContain("second.vec");
    expect(existsSync(join(DIR, "first.trace"))).toBe(false);
  });

  it("a missing file is named", async () => {
    const e = await harnessError([join(DIR, "nope.vec")]);
    expect(e.code).toBe("E_FORMAT");
    expect(e.message).toMatch(/nope\.vec: cannot open/);
  });
});

describe("bad harness arguments and a stuck core", () => {
  it("rejects unknown options, bad numbers and an empty file list with usage (exit 2)", async () => {
    for (const args of [["--frobnicate"], ["--max-cycles", "abc", "x.vec"], ["--seed"], []]) {
      const r = await runTool(binary, args, { allowFailure: true, timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^loci_core_cosim: .*\nusage: loci_core_cosim/s);
    }
  });

  it("ends a run that exceeds its clock budget with E_MISMATCH instead of hanging", async () => {
    const e = await harnessError([file("budget.vec", goodVectors("budget"))], { maxCycles: 20 });
    expect(e.code).toBe("E_MISMATCH");
    expect(e.message).toMatch(/did not finish within 20 clocks/);
  });

  it("runs the same file fine with a normal budget (the errors above are the input's, not the harness's)", async () => {
    const r = await runHarness(binary, [file("fine.vec", goodVectors("fine"))], DIR);
    expect(r.cases).toBe(1);
    expect(existsSync(join(DIR, "fine.trace"))).toBe(true);
  });
});

describe("loci cosim with bad input", () => {
  it("names the file and line of a malformed vector file and exits 1", async () => {
    const path = file("cli-bad.vec", goodVectors("cli").replace("\ndump\n", "\ndmup\n"));
    const io = bufferIO();
    const code = await runCli(["node", "loci", "cosim", path], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/E_FORMAT: .*cli-bad\.vec: line \d+: "dmup" is not a script line/);
  });

  it("refuses a bad --random with a usage error", async () => {
    const io = bufferIO();
    expect(await runCli(["node", "loci", "cosim", "--random", "0", "--json"], io)).toBe(2);
    expect(JSON.parse(io.stdout()).error.code).toBe("E_USAGE");
  });
});
