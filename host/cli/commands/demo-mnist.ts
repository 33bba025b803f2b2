// SPDX-License-Identifier: Apache-2.0
// The main job (`loci demo`, what `npm start` runs): the shipped MNIST spatial SNN through the
// whole toolchain — compile it for the iCEBreaker, evaluate it in the bit-exact simulator, start
// the virtual board (or open a real one), flash and verify, run a hardware-in-the-loop check on
// test images, draw the pictures and write a summary. Each stage is one entry of MNIST_STAGES.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { readModelFile, type LociModel } from "../../../compiler/model-file.ts";
import { DEFAULT_ACTIVITY, type CompileReport } from "../../../compiler/report.ts";
import { LociError } from "../../../sim/errors.ts";
import { writeFileAtomic } from "../../../sim/json-file.ts";
import { DEFAULT_CORE_CLOCK_HZ } from "../../../sim/spec.ts";
import { InputSchedule } from "../../../sim/stimulus.ts";
import type { Board, FlashReport } from "../../driver/board.ts";
import { hilOnBoard, type HilMismatch } from "../../driver/hil.ts";
import {
  SHIPPED_MNIST_MODEL,
  evaluateCoreImage,
  limitDataset,
  loadMnist,
  openCoreImage,
  readOutClass,
  sampleSpikes,
  writePositionPictures,
  writeRasterPicture,
  type CoreClassifier,
  type Dataset,
} from "../../train/index.ts";
import { printJson, type CliIO } from "../io.ts";
import { progressBar } from "../progress.ts";
import { openPort } from "./board.ts";
import { runCompile } from "./compile.ts";

/** Options of the main job. */
export interface MnistDemoOptions {
  /** Model file (default: the shipped MNIST model). */
  readonly model: string;
  /** Test images evaluated in the simulator (default all 10,000). */
  readonly evalImages: number;
  /** Test images run on the board and compared with the simulator. */
  readonly boardImages: number;
  /** `virtual` (default: build and start the virtual board), `sim`, or a serial port. */
  readonly port: string;
  readonly baud?: number;
  /** Folder for the image, the pictures and summary.json. */
  readonly outDir: string;
  /** Also write PNGs beside the SVGs. */
  readonly png: boolean;
  readonly json: boolean;
}

/** One test image on the board. */
export interface BoardImageResult {
  readonly image: number;
  readonly label: number;
  readonly simulator: number;
  readonly board: number;
  readonly cycles: number;
}

/** What the main job measured (its --json document and build/demo/summary.json). */
export interface MnistDemoSummary {
  readonly model: string;
  readonly image: string;
  readonly compile: {
    readonly neurons: number;
    readonly axons: number;
    readonly synapses: number;
    readonly pruned: number;
    readonly synapseMemory: number;
    readonly weightRelativeRmsError: number;
    readonly imageBytes: number;
  };
  readonly simulator: { readonly images: number; readonly accuracy: number; readonly seconds: number; readonly cyclesPerImage: number; readonly imagesPerSecondOnBoard: number };
  /** Accuracies recorded by training on the full test set (float model, core integers). */
  readonly recorded: Readonly<Record<string, number>>;
  readonly board?: {
    readonly port: string;
    readonly flash: { readonly wireBytes: number; readonly verifiedWords: number; readonly seconds: number };
    readonly hil: { readonly images: number; readonly mismatches: number; readonly cycles: number; readonly seconds: number; readonly predictionsAgree: number; readonly first: readonly HilMismatch[] };
    readonly images: readonly BoardImageResult[];
  };
  readonly pictures: readonly string[];
  readonly seconds: number;
}

interface Ctx {
  readonly io: CliIO;
  readonly o: MnistDemoOptions;
  readonly t0: number;
  model?: LociModel;
  imagePath?: string;
  report?: CompileReport;
  core?: CoreClassifier;
  test?: Dataset;
  simPredictions?: Int32Array;
  simulator?: MnistDemoSummary["simulator"];
  board?: Board;
  boardSummary?: Partial<NonNullable<MnistDemoSummary["board"]>> & { port?: string };
  pictures: string[];
}

/** One stage of the main job. */
interface Stage {
  readonly title: (o: MnistDemoOptions) => string;
  run(ctx: Ctx): Promise<void>;
}

const say = (ctx: Ctx, text: string): void => {
  if (!ctx.o.json) ctx.io.out(text);
};
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const num = (x: number): string => x.toLocaleString("en-US");

const COMPILE: Stage = {
  title: () => "compile the trained model for the iCEBreaker (--fit icebreaker)",
  async run(ctx) {
    ctx.model = readModelFile(ctx.o.model);
    ctx.imagePath = path.join(ctx.o.outDir, "mnist-snn.loci");
    const { report } = runCompile(ctx.o.model, {
      output: ctx.imagePath,
      fit: "icebreaker",
      scale: "population",
      headroom: 4,
      inputRate: DEFAULT_ACTIVITY.inputRate,
      neuronRate: DEFAULT_ACTIVITY.neuronRate,
      clockHz: DEFAULT_CORE_CLOCK_HZ,
      json: false,
    });
    ctx.report = report;
    ctx.core = openCoreImage(ctx.imagePath);
    const m = report.memory;
    const dims = report.model.dimensions;
    say(ctx, `  ${path.relative(process.cwd(), ctx.o.model) || ctx.o.model}\n`);
    say(ctx, `  ${dims}-D neuron positions -> ${num(report.synapses.kept)} synapses (weights from inverse distance, delays from distance), ${num(report.synapses.removedToFit + report.synapses.removedBySparsity)} pruned\n`);
    say(ctx, `  core use: ${m.neurons.used}/${m.neurons.capacity} neurons, ${m.axons.used}/${m.axons.capacity} axons, ${num(m.synapses.used)}/${num(m.synapses.capacity)} synapses; weights quantized to 8 bits with ${(report.quantization.weights.relativeRms * 100).toFixed(1)} % relative RMS error\n`);
    say(ctx, `  wrote ${ctx.imagePath} (${num(m.imageBytes)} bytes)\n`);
  },
};

const EVALUATE: Stage = {
  title: (o) => `evaluate ${num(o.evalImages)} MNIST test images in the bit-exact simulator`,
  async run(ctx) {
    const { test } = loadMnist();
    ctx.test = test;
    const data = limitDataset(test, ctx.o.evalImages);
    const bar = progressBar(ctx.io, "  simulating", data.count, !ctx.o.json);
    const r = await evaluateCoreImage(ctx.core!, data, { onProgress: (done) => bar.update(done) });
    bar.done();
    ctx.simPredictions = r.predictions;
    const cyclesPerImage = r.samples === 0 ? 0 : r.cycles / r.samples;
    ctx.simulator = { images: r.samples, accuracy: r.accuracy, seconds: r.seconds, cyclesPerImage, imagesPerSecondOnBoard: cyclesPerImage === 0 ? 0 : DEFAULT_CORE_CLOCK_HZ / cyclesPerImage };
    const recorded = ctx.model!.metadata?.accuracy ?? {};
    say(ctx, `  accuracy ${pct(r.accuracy)} (${num(r.correct)}/${num(r.samples)}) in ${r.seconds.toFixed(1)} s on the host\n`);
    if (recorded["test-float"] !== undefined) say(ctx, `  training recorded: float model ${pct(recorded["test-float"])}, core integers ${pct(recorded["test-quantized"] ?? Number.NaN)} (10,000 images)\n`);
    say(ctx, `  ${num(Math.round(cyclesPerImage))} core cycles per image: ${num(Math.round(ctx.simulator.imagesPerSecondOnBoard))} images/s at ${DEFAULT_CORE_CLOCK_HZ / 1e6} MHz on the board\n`);
  },
};

const OPEN_BOARD: Stage = {
  title: (o) => (o.port === "virtual" ? "start the virtual board (the Verilated RTL of the iCEBreaker top behind a pseudo-terminal)" : `open the board on ${o.port}`),
  async run(ctx) {
    ctx.board = await openPort(ctx.o, ctx.io);
    const c = ctx.board.caps;
    ctx.boardSummary = { port: ctx.board.transport.description };
    say(ctx, `  ${ctx.board.transport.description}: protocol ${c.protocolVersion}, core spec ${c.coreSpecVersion}, ${c.capacity.neurons} neurons, ${c.capacity.axons} axons, ${num(c.capacity.synapses)} synapses\n`);
  },
};

const FLASH: Stage = {
  title: () => "flash the image and verify it by readback",
  async run(ctx) {
    const bar = progressBar(ctx.io, "  flashing", 1, !ctx.o.json);
    const f: FlashReport = await ctx.board!.flash(ctx.core!.image.memories, { onProgress: (done, total, phase) => bar.update(total === 0 ? 1 : done / total, phase) });
    bar.done();
    const seconds = (f.writeMs + f.verifyMs) / 1000;
    ctx.boardSummary = { ...ctx.boardSummary, flash: { wireBytes: f.writeWireBytes + f.readWireBytes, verifiedWords: f.verifiedWords, seconds } };
    say(ctx, `  ${num(f.writeWireBytes)} bytes written, ${num(f.verifiedWords)} words read back and equal, ${seconds.toFixed(1)} s\n`);
  },
};

/** The input schedule (axons per step) of test image `s`. */
function imageSchedule(core: CoreClassifier, data: Dataset, s: number): InputSchedule {
  const input = sampleSpikes(data, s, core.encoding);
  const offsets = new Int32Array(input.steps + 1);
  const axons: number[] = [];
  for (let t = 0; t < input.steps; t++) {
    for (const ch of input.spikes[t]) axons.push(core.axons[ch]);
    offsets[t + 1] = axons.length;
  }
  return new InputSchedule(input.steps, offsets, Int32Array.from(axons));
}

/** The class the core reads out from the board's state and output spikes. */
function readOut(core: CoreClassifier, membrane: Int32Array, spikes: readonly (readonly number[])[]): number {
  const { first, size } = core.output;
  const counts = new Int32Array(size);
  for (const step of spikes) for (const j of step) if (j >= first && j < first + size) counts[j - first]++;
  return readOutClass(core.readout, counts, membrane.subarray(first, first + size));
}

const HIL: Stage = {
  title: (o) => `hardware in the loop: ${o.boardImages} test images on the board and in the simulator, compared exactly`,
  async run(ctx) {
    const core = ctx.core!;
    const n = Math.min(ctx.o.boardImages, ctx.test!.count);
    const schedules = Array.from({ length: n }, (_, s) => imageSchedule(core, ctx.test!, s));
    const images: BoardImageResult[] = [];
    const bar = progressBar(ctx.io, "  hil", n, !ctx.o.json);
    const t0 = performance.now();
    const r = await hilOnBoard(ctx.board!, core.image.memories, schedules, (c) => {
      const board = readOut(core, c.state.membrane, c.spikes);
      images.push({ image: c.index, label: ctx.test!.labels[c.index], simulator: ctx.simPredictions![c.index] ?? -1, board, cycles: c.cycles });
      bar.update(c.index + 1, `${c.mismatches} mismatches`);
    });
    bar.done();
    const seconds = (performance.now() - t0) / 1000;
    const agree = images.filter((x) => x.board === x.simulator).length;
    ctx.boardSummary = { ...ctx.boardSummary, hil: { images: n, mismatches: r.mismatches, cycles: r.cycles, seconds, predictionsAgree: agree, first: r.first.slice(0, 5) }, images };
    say(ctx, `  image  label  simulator  board  cycles\n`);
    for (const x of images.slice(0, 12)) say(ctx, `  ${String(x.image).padStart(5)}  ${String(x.label).padStart(5)}  ${String(x.simulator).padStart(9)}  ${String(x.board).padStart(5)}  ${num(x.cycles).padStart(6)}${x.board === x.label ? "" : "  (wrong class)"}\n`);
    if (images.length > 12) say(ctx, `  ... ${images.length - 12} more in summary.json\n`);
    say(ctx, `  spikes, membranes, currents, refractory counters, traces, delay ring, weights and cycle counters compared after every image: ${r.mismatches} mismatches\n`);
    say(ctx, `  ${agree}/${n} board predictions equal the simulator's; ${num(r.cycles)} core cycles in ${seconds.toFixed(1)} s\n`);
  },
};

const PICTURES: Stage = {
  title: () => "draw the learned space and a spike raster",
  async run(ctx) {
    ctx.pictures.push(...writePositionPictures(ctx.model!, ctx.o.outDir, { png: ctx.o.png, prefix: "mnist-snn" }));
    ctx.pictures.push(...writeRasterPicture(ctx.core!, ctx.test!, 0, path.join(ctx.o.outDir, "mnist-snn-raster.svg"), { png: ctx.o.png }).files);
    for (const f of ctx.pictures) say(ctx, `  ${f}\n`);
  },
};

/** The stages of the main job, in order (the board stages are skipped with --board-images 0). */
export const MNIST_STAGES: readonly Stage[] = [COMPILE, EVALUATE, OPEN_BOARD, FLASH, HIL, PICTURES];

/** Run the main job; returns its summary (also written to <outDir>/summary.json). */
export async function runMnistDemo(io: CliIO, o: MnistDemoOptions): Promise<MnistDemoSummary> {
  const ctx: Ctx = { io, o, t0: performance.now(), pictures: [] };
  mkdirSync(o.outDir, { recursive: true });
  const stages = o.boardImages > 0 ? MNIST_STAGES : MNIST_STAGES.filter((s) => s !== OPEN_BOARD && s !== FLASH && s !== HIL);
  say(ctx, "Loci: a trained spatial spiking network from the host to the core\n");
  try {
    for (const [k, stage] of stages.entries()) {
      say(ctx, `\n[${k + 1}/${stages.length}] ${stage.title(o)}\n`);
      await stage.run(ctx);
    }
  } finally {
    await ctx.board?.close();
  }
  const report = ctx.report!;
  const b = ctx.boardSummary;
  const summary: MnistDemoSummary = {
    model: o.model,
    image: ctx.imagePath!,
    compile: {
      neurons: report.memory.neurons.used,
      axons: report.memory.axons.used,
      synapses: report.synapses.kept,
      pruned: report.synapses.removedToFit + report.synapses.removedBySparsity,
      synapseMemory: report.memory.synapses.fraction,
      weightRelativeRmsError: report.quantization.weights.relativeRms,
      imageBytes: report.memory.imageBytes,
    },
    simulator: ctx.simulator!,
    recorded: ctx.model!.metadata?.accuracy ?? {},
    ...(b?.hil === undefined ? {} : { board: { port: b.port!, flash: b.flash!, hil: b.hil, images: b.images! } }),
    pictures: ctx.pictures,
    seconds: (performance.now() - ctx.t0) / 1000,
  };
  const summaryFile = path.join(o.outDir, "summary.json");
  writeFileAtomic(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  const hil = summary.board?.hil;
  if (hil !== undefined && hil.mismatches > 0) {
    throw new LociError("E_MISMATCH", `the board and the simulator disagree: ${hil.mismatches} mismatches on ${hil.images} images (first: ${hil.first[0]?.what ?? "?"})`, {
      context: { summary: summaryFile, first: hil.first },
      suggestion: "Check that the board runs a bitstream built from this checkout (`loci board info`), then run `loci cosim` on the RTL.",
    });
  }
  if (o.json) printJson(io, summary);
  else {
    say(ctx, `\nSummary (${summaryFile})\n`);
    say(ctx, `  bit-exact simulator: ${pct(summary.simulator.accuracy)} on ${num(summary.simulator.images)} MNIST test images\n`);
    if (summary.board !== undefined) {
      const h = summary.board.hil;
      say(ctx, `  board (${summary.board.port}): flashed and verified; ${h.images} images, ${h.mismatches} mismatches against the simulator\n`);
    }
    say(ctx, `  done in ${summary.seconds.toFixed(0)} s\n`);
  }
  return summary;
}

/** The default options of `loci demo`. */
export const MNIST_DEMO_DEFAULTS = { model: SHIPPED_MNIST_MODEL, evalImages: 10_000, boardImages: 20, port: "virtual", outDir: "build/demo", png: true } as const;
