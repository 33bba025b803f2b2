// SPDX-License-Identifier: Apache-2.0
// `loci flash <image> --port P`: write every memory of an image to the board in windowed
// blocks, reset it, and verify by reading everything back (with a progress bar).

import { performance } from "node:perf_hooks";
import { loadImage } from "../../driver/load-image.ts";
import type { FlashReport } from "../../driver/board.ts";
import type { Command, CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";
import { openPort, withPortOptions, type PortOptions } from "./board.ts";

/** Options of `loci flash`. */
export interface FlashOptions extends PortOptions {
  /** Verify by readback (default true; --no-verify skips it). */
  readonly verify: boolean;
}

/** What `loci flash` reports. */
export interface FlashResult extends FlashReport {
  readonly image: string;
  readonly port: string;
  readonly numSynapses: number;
  readonly baud: number;
  /** Wire bytes written per synapse. */
  readonly bytesPerSynapse: number;
  /** Write wire bytes ÷ (write time × baud / 10). */
  readonly writeLineRateFraction: number;
  readonly totalMs: number;
}

/** Flash an image file to the board on `--port`. */
export async function flashImage(imagePath: string, options: FlashOptions, io: CliIO): Promise<FlashResult> {
  const image = loadImage(imagePath);
  const t0 = performance.now();
  const board = await openPort(options, io);
  try {
    const bar = progressBar(io, "flash", 1, !options.json);
    const report = await board.flash(image.memories, {
      verify: options.verify,
      onProgress: (done, total, phase) => bar.update(done / total, phase),
    });
    bar.done(options.verify ? "verified" : "written");
    const bytesPerSecond = board.transport.baud / 10;
    return {
      image: imagePath,
      port: board.transport.description,
      numSynapses: image.numSynapses,
      baud: board.transport.baud,
      ...report,
      bytesPerSynapse: image.numSynapses > 0 ? report.writeWireBytes / image.numSynapses : 0,
      writeLineRateFraction: Number.isFinite(bytesPerSecond) ? report.writeWireBytes / ((report.writeMs / 1000) * bytesPerSecond) : 0,
      totalMs: performance.now() - t0,
    };
  } finally {
    await board.close();
  }
}

function printFlash(io: CliIO, r: FlashResult): void {
  io.out(`flashed ${r.image} to ${r.port}: ${r.dataBytes.toLocaleString("en-US")} memory bytes in ${r.writeWireBytes.toLocaleString("en-US")} wire bytes (${r.bytesPerSynapse.toFixed(2)} B/synapse) in ${r.writeMs.toFixed(0)} ms\n`);
  if (r.verifiedWords > 0) io.out(`verified ${r.verifiedWords.toLocaleString("en-US")} words by readback in ${r.verifyMs.toFixed(0)} ms\n`);
  else io.out("not verified (--no-verify)\n");
}

/** Register `loci flash`. */
export const registerFlash: CommandRegistrar = (program: Command, io: CliIO) => {
  withPortOptions(
    program
      .command("flash")
      .description("write an image (core image or network file) to the board, then verify it by readback")
      .argument("<image>", "core image (*.loci) or network file (*.net.json)")
      .option("--no-verify", "skip the readback verification"),
  ).action(async (imagePath: string, opts: FlashOptions) => {
    const result = await flashImage(imagePath, opts, io);
    if (opts.json) printJson(io, result);
    else printFlash(io, result);
  });
};
