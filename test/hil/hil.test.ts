// SPDX-License-Identifier: Apache-2.0
// Hardware in the loop: `loci hil` on the virtual board (the Verilated RTL behind a pty, built
// here when it is missing or stale, like the other virtual-board suites: without Verilator this
// suite fails rather than testing nothing), and on a real board when LOCI_PORT names its serial
// port. Spikes, read-back state (including weights learned on chip) and cycle counts must equal
// the simulator's.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeNetworkFile } from "../../sim/network-file.ts";
import { findVirtualBoard } from "../../host/driver/virtual-board.ts";
import { bufferIO } from "../../host/cli/io.ts";
import { runCli } from "../../host/cli/main.ts";
import { buildVirtualBoard } from "../../host/hdl/virtual-board-build.ts";
import { randomNetwork } from "./random-network.ts";

const ports: string[] = ["virtual"];
if (process.env.LOCI_PORT !== undefined && process.env.LOCI_PORT !== "") ports.push(process.env.LOCI_PORT);

beforeAll(async () => {
  // `--port virtual` starts $LOCI_VIRTUAL_BOARD or the default build: build (or reuse) that.
  const exe = await buildVirtualBoard();
  expect(findVirtualBoard()).toBe(process.env.LOCI_VIRTUAL_BOARD || exe);
});

const dir = mkdtempSync(join(tmpdir(), "loci-hil-"));
const networks = {
  plain: randomNetwork({ neurons: 48, axons: 32, synapses: 900, seed: 31 }),
  stdp: randomNetwork({ neurons: 32, axons: 24, synapses: 600, plastic: 0.6, learning: true, seed: 32 }),
};

describe.each(ports)("loci hil --port %s", (port) => {
  it.each(Object.keys(networks) as (keyof typeof networks)[])("%s network: no mismatch in spikes, state, weights or cycles", async (name) => {
    const path = join(dir, `${name}.net.json`);
    writeNetworkFile(path, networks[name]);
    const io = bufferIO();
    const code = await runCli(["node", "loci", "hil", path, "--port", port, "--cases", "2", "--steps", "40", "--rate", "0.15", "--json"], io);
    const doc = JSON.parse(io.stdout());
    expect(doc.error, JSON.stringify(doc.error?.context)).toBeUndefined();
    expect(code).toBe(0);
    expect(doc).toMatchObject({ cases: 2, mismatches: 0 });
    expect(doc.spikes).toBeGreaterThan(0);
  });
});

