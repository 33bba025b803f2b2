// SPDX-License-Identifier: Apache-2.0
// `loci cosim` through runCli: random cases print {cases, mismatches, firstMismatch}; a vector
// file compared with a trace that differs exits 1 and names the first mismatch; bad options are
// usage errors.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NetworkBuilder } from "../../../sim/network.ts";
import { expectedTrace, writeVectors, type CosimCase } from "../../../sim/vectors.ts";
import { REPO_ROOT } from "../../hdl/file-list.ts";
import { bufferIO } from "../io.ts";
import { runCli } from "../main.ts";

const DIR = join(REPO_ROOT, "build", "cosim-tests", "cli");

function smallCase(): CosimCase {
  const b = new NetworkBuilder(1);
  b.addNeurons(2, { threshold: 5, tauSynShift: 0 });
  b.addSynapse({ from: { axon: 0 }, to: 0, weight: 6 });
  b.addSynapse({ from: { neuron: 0 }, to: 1, weight: 6, delay: 2 });
  return { name: "cli-small", network: b.build(), actions: [{ kind: "run", inputs: [[0], [], [0], []] }, { kind: "dump" }, { kind: "counters" }] };
}

describe("loci cosim", () => {
  it("--random N --seed S --json prints cases, mismatches and firstMismatch", async () => {
    const io = bufferIO();
    const code = await runCli(["node", "loci", "cosim", "--random", "4", "--seed", "77", "--json"], io);
    const out = JSON.parse(io.stdout()) as Record<string, unknown>;
    expect(code).toBe(0);
    expect(out).toMatchObject({ cases: 4, mismatches: 0, firstMismatch: null });
    expect(out.steps).toBeGreaterThan(0);
  }, 600_000);

  it("runs a vector file, keeps its traces, and fails with the first mismatch against a wrong trace", async () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    const c = smallCase();
    const vec = join(DIR, "cli-small.vec");
    writeFileSync(vec, writeVectors(c));
    const good = await runCli(["node", "loci", "cosim", vec, "--keep", join(DIR, "keep")], bufferIO());
    expect(good).toBe(0);
    // The RTL trace is the expected one plus the harness's comment lines (stall cycles).
    const rtl = readFileSync(join(DIR, "keep", "rtl", "cli-small.trace"), "utf8").replace(/^#.*\n/gm, "");
    expect(rtl).toBe(readFileSync(join(DIR, "keep", "cli-small.expected.trace"), "utf8"));

    const wrong = expectedTrace(c).replace(/^V (-?\d+)/m, (_m, v: string) => `V ${Number(v) + 3}`);
    writeFileSync(join(DIR, "wrong.trace"), wrong);
    const io = bufferIO();
    const code = await runCli(["node", "loci", "cosim", vec, "--trace", join(DIR, "wrong.trace"), "--json"], io);
    expect(code).toBe(1);
    const err = (JSON.parse(io.stdout()) as { error: { code: string; context: Record<string, unknown> } }).error;
    expect(err.code).toBe("E_MISMATCH");
    expect(err.context).toMatchObject({ cases: 1, mismatches: 1 });
    expect(err.context.firstMismatch).toMatch(/^cli-small: step 4 neuron 0 membrane: expected -?\d+, got -?\d+$/);
  }, 600_000);

  it("refuses --trace with more than one case, and no cases at all", async () => {
    const io = bufferIO();
    expect(await runCli(["node", "loci", "cosim", "--random", "2", "--trace", "x.trace"], io)).toBe(2);
    expect(io.stderr()).toMatch(/--trace compares one vector file with one trace/);
    const none = bufferIO();
    expect(await runCli(["node", "loci", "cosim", "--json"], none)).toBe(2);
    expect(JSON.parse(none.stdout()).error.message).toMatch(/nothing to co-simulate/);
    expect(existsSync(join(DIR, "x.trace"))).toBe(false);
  });
});
