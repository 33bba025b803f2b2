// SPDX-License-Identifier: Apache-2.0
// `npm run bench:link`: flash a full 16,384-synapse image (256 neurons, 1,024 axons) and read it
// back, and report the link's efficiency: bytes on the wire per synapse, and throughput as a
// fraction of the line rate (baud / 10 bytes per second), for the windowed protocol and, as the
// peer in the same run, the same protocol with a window of 1 (stop-and-wait, one round trip per
// frame, as NeuroCoreX-style links without windowing pay). Beside them: the bytes NeuroCoreX's
// UART format needs for the same network.
//
// Where time comes from (docs/protocol.md §8.1):
//  - `sim`: the in-process board model behind a paced line: bytes leave at baud / 10 per second
//    of wall-clock time, the board -> host direction arrives 1 ms later (an FTDI latency timer
//    with low_latency). Elapsed wall-clock time.
//  - `virtual` (built first when missing, as `npm run build:virtual-board` does): the Verilated RTL, UART at bit level, in
//    simulated time. Elapsed time = the harness's simulated clock count (VirtualBoard.cycles)
//    difference / clockHz, which includes the host's turnaround (the board's clock keeps running
//    while it waits for the host).
//
// lineRateFraction = wire bytes host -> board during the writes ÷ (write time × baud / 10).
// payloadFraction  = memory bytes ÷ wire bytes (headers, access headers and CRCs are the rest).
// NeuroCoreX model (ORNL/NeuroCoreX, vhdl_src/uart_rx_sorter_input.vhd): a command byte, then one
// byte per entry of the dense feed-forward weight matrix (inputs × neurons), a command byte, then
// one byte per entry of the dense recurrent matrix (neurons × neurons); no framing, CRC or
// acknowledgement, so there is nothing to retransmit from and no readback in the count.
//
// Options: --port sim|virtual|both (default both; the JSON reports the virtual board), --baud B.
// The last line printed is JSON.

import { performance } from "node:perf_hooks";
import { layoutMemories, type CoreMemories } from "../sim/memory-layout.ts";
import { Board, type FlashReport } from "../host/driver/board.ts";
import { imageRegions } from "../host/driver/memory-map.ts";
import { DEFAULT_BAUD } from "../host/driver/protocol.ts";
import { SimTransport } from "../host/driver/sim-transport.ts";
import type { Transport } from "../host/driver/transport.ts";
import { VirtualBoard } from "../host/driver/virtual-board.ts";
import { buildVirtualBoard } from "../host/hdl/virtual-board-build.ts";
import { randomNetwork } from "../test/hil/random-network.ts";

interface Measure {
  readonly label: string;
  readonly window: number;
  readonly writeWireBytes: number;
  readonly readWireBytes: number;
  readonly dataBytes: number;
  readonly writeSeconds: number;
  readonly verifySeconds: number;
  readonly lineRateFraction: number;
  readonly readLineRateFraction: number;
  readonly payloadFraction: number;
  readonly clock: "wall" | "simulated";
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Flash + verify once; time from the board's clock (`cycles`) when `simulated`. */
async function measure(label: string, transport: Transport, mem: CoreMemories, window: number, clock: "wall" | "simulated", cycles?: () => Promise<bigint>): Promise<Measure> {
  const board = await Board.open(transport, { window });
  try {
    const baud = board.caps.baud;
    const lineRate = baud / 10;
    let report: FlashReport;
    let writeSeconds: number;
    let verifySeconds: number;
    if (clock === "simulated" && cycles !== undefined) {
      // Separate the phases with readings of the board's own clock.
      const s0 = await cycles();
      const t0 = performance.now();
      report = await board.flash(mem, { verify: false });
      const s1 = await cycles();
      const regions = imageRegions(mem);
      for (const r of regions) await board.readMemory(r.memory, r.addr, r.words.length);
      const s2 = await cycles();
      const clockHz = board.caps.clockHz;
      writeSeconds = Number(s1 - s0) / clockHz;
      verifySeconds = Number(s2 - s1) / clockHz;
      const wall = (performance.now() - t0) / 1000;
      process.stderr.write(`  ${label}: ${wall.toFixed(2)} s of wall-clock time for ${(writeSeconds + verifySeconds).toFixed(3)} s simulated\n`);
      report = { ...report, readWireBytes: regions.reduce((n, r) => n + r.words.length * r.wordBytes + Math.ceil(r.words.length / Math.floor(254 / r.wordBytes)) * 10, 0) };
    } else {
      report = await board.flash(mem);
      writeSeconds = report.writeMs / 1000;
      verifySeconds = report.verifyMs / 1000;
    }
    return {
      label,
      window,
      writeWireBytes: report.writeWireBytes,
      readWireBytes: report.readWireBytes,
      dataBytes: report.dataBytes,
      writeSeconds,
      verifySeconds,
      lineRateFraction: report.writeWireBytes / (writeSeconds * lineRate),
      readLineRateFraction: report.readWireBytes / (verifySeconds * lineRate),
      payloadFraction: report.dataBytes / report.writeWireBytes,
      clock,
    };
  } finally {
    await board.close();
  }
}

const fmt = (x: number, d = 3): string => x.toFixed(d);

async function main(): Promise<void> {
  const baud = Number(arg("--baud") ?? DEFAULT_BAUD);
  const which = arg("--port") ?? "both";
  if (which !== "sim" && which !== "virtual" && which !== "both") throw new Error(`--port must be sim, virtual or both, got "${which}"`);
  const executable = which === "sim" ? undefined : await buildVirtualBoard({ onLog: (line) => process.stderr.write(`${line}\n`) });
  const net = randomNetwork({ neurons: 256, axons: 1024, synapses: 16384, seed: 2024 });
  const mem = layoutMemories(net);
  const synapses = mem.synapseLow.length;
  const numNeurons = mem.config.numNeurons;
  const numAxons = mem.config.numAxons;
  const ncxBytes = 1 + numAxons * numNeurons + 1 + numNeurons * numNeurons;
  process.stderr.write(`network: ${numNeurons} neurons, ${numAxons} axons, ${synapses} synapses; line ${baud} baud = ${baud / 10} B/s\n`);

  const results: Measure[] = [];
  if (which === "sim" || which === "both") {
    const sim = new SimTransport({ baud });
    await measure("warm-up", sim, mem, 32, "wall");
    results.push(await measure("sim, window 32", sim, mem, 32, "wall"));
    results.push(await measure("sim, stop-and-wait (window 1)", sim, mem, 1, "wall"));
  }
  if (executable !== undefined) {
    const vb = await VirtualBoard.start({ baud, executable });
    try {
      const make = (): Transport => vb.transport();
      const cycles = (): Promise<bigint> => vb.cycles();
      results.push(await measure("virtual board (RTL), window 32", make(), mem, 32, "simulated", cycles));
      results.push(await measure("virtual board (RTL), stop-and-wait (window 1)", make(), mem, 1, "simulated", cycles));
    } finally {
      await vb.stop();
    }
  }

  for (const r of results) {
    process.stdout.write(
      `${r.label.padEnd(46)} write ${fmt(r.writeSeconds)} s, ${fmt(r.lineRateFraction)} of line rate (${r.clock} time); ` +
        `readback ${fmt(r.verifySeconds)} s, ${fmt(r.readLineRateFraction)}; ${fmt(r.writeWireBytes / synapses, 2)} wire B/synapse, payload ${fmt(r.payloadFraction)}\n`,
    );
  }
  process.stdout.write(`NeuroCoreX dense format for the same network: ${ncxBytes} bytes = ${fmt(ncxBytes / synapses, 2)} B/synapse (no framing, no readback)\n`);
  const primary = results.find((r) => r.window > 1 && r.label.startsWith("virtual")) ?? results.find((r) => r.window > 1)!;
  const peer = results.find((r) => r.window === 1 && r.clock === primary.clock)!;
  const json = {
    bench: "link",
    baud,
    synapses,
    neurons: numNeurons,
    axons: numAxons,
    measuredOn: primary.label,
    clock: primary.clock,
    lineRateFraction: Number(fmt(primary.lineRateFraction, 4)),
    readLineRateFraction: Number(fmt(primary.readLineRateFraction, 4)),
    bytesPerSynapse: Number(fmt(primary.writeWireBytes / synapses, 4)),
    payloadFraction: Number(fmt(primary.payloadFraction, 4)),
    wireBytes: primary.writeWireBytes,
    stopAndWaitLineRateFraction: Number(fmt(peer.lineRateFraction, 4)),
    windowSpeedup: Number(fmt(peer.writeSeconds / primary.writeSeconds, 3)),
    neuroCoreXBytes: ncxBytes,
    neuroCoreXBytesPerSynapse: Number(fmt(ncxBytes / synapses, 4)),
    neuroCoreXModel: "1 + axons*neurons (dense feed-forward bytes) + 1 + neurons^2 (dense recurrent bytes), ORNL/NeuroCoreX uart_rx_sorter_input.vhd",
    results: results.map((r) => ({ ...r, lineRateFraction: Number(fmt(r.lineRateFraction, 4)), readLineRateFraction: Number(fmt(r.readLineRateFraction, 4)) })),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

await main();
