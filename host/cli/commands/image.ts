// SPDX-License-Identifier: Apache-2.0
// `loci image show <image>`: a readable summary of a core image — header, requirements, sections,
// population map, encoding, learning settings, neuron parameters and weight/delay histograms.

import { BOARDS } from "../../../compiler/compile.ts";
import { formatCount } from "../../../compiler/map.ts";
import { delayHistogram, histogramRows, weightHistogram, type Histogram } from "../../../compiler/report.ts";
import { checkImageFits, decodeCoreImage, outputNeurons, type ImageMeta, type ImageRequirements } from "../../../sim/core-image.ts";
import { LociError } from "../../../sim/errors.ts";
import { readFileBytes } from "../../../sim/json-file.ts";
import type { LearningSettings, NeuronParams, RecordWindow } from "../../../sim/network.ts";
import type { Command, CommandRegistrar } from "../command.ts";
import { printJson, type CliIO } from "../io.ts";

/** Consecutive neurons with identical parameters. */
export interface NeuronGroup {
  readonly first: number;
  readonly count: number;
  readonly params: NeuronParams;
}

/** What `loci image show` prints (its `--json` document). */
export interface ImageSummary {
  readonly path: string;
  readonly bytes: number;
  readonly version: number;
  /** CRC-32 as stored (checked), hex. */
  readonly crc: string;
  readonly requirements: ImageRequirements;
  /** Boards whose default core can run the image as laid out. */
  readonly fits: readonly string[];
  /** Section sizes in bytes, by tag. */
  readonly sections: Readonly<Record<string, number>>;
  readonly meta: ImageMeta;
  readonly record: RecordWindow;
  readonly learning: LearningSettings;
  readonly neuronGroups: readonly NeuronGroup[];
  readonly synapses: {
    readonly count: number;
    readonly plastic: number;
    readonly weightMin: number;
    readonly weightMax: number;
    readonly weights: Histogram;
    readonly delays: Histogram;
  };
}

const sameParams = (a: NeuronParams, b: NeuronParams): boolean =>
  a.threshold === b.threshold && a.tauMemShift === b.tauMemShift && a.tauSynShift === b.tauSynShift && a.refractoryPeriod === b.refractoryPeriod && a.weightShift === b.weightShift && a.resetMode === b.resetMode;

/** Decode an image file and summarise it. */
export function summarizeImage(path: string): ImageSummary {
  const decoded = decodeCoreImage(readFileBytes(path), { file: path });
  const net = decoded.network;
  const groups: NeuronGroup[] = [];
  net.neurons.forEach((params, j) => {
    const last = groups[groups.length - 1];
    if (last !== undefined && sameParams(last.params, params)) groups[groups.length - 1] = { ...last, count: last.count + 1 };
    else groups.push({ first: j, count: 1, params });
  });
  const fits = Object.entries(BOARDS).flatMap(([name, capacity]) => {
    try {
      checkImageFits(decoded.requirements, capacity);
      return [name];
    } catch (error) {
      if (error instanceof LociError) return [];
      throw error;
    }
  });
  const s = net.synapses;
  return {
    path,
    bytes: decoded.bytes,
    version: decoded.version,
    crc: `0x${decoded.crc.toString(16).padStart(8, "0")}`,
    requirements: decoded.requirements,
    fits,
    sections: decoded.sections,
    meta: decoded.meta,
    record: net.record,
    learning: net.learning,
    neuronGroups: groups,
    synapses: {
      count: s.source.length,
      plastic: s.plastic.reduce((a, b) => a + b, 0),
      weightMin: s.weight.length === 0 ? 0 : Math.min(...s.weight),
      weightMax: s.weight.length === 0 ? 0 : Math.max(...s.weight),
      weights: weightHistogram(s.weight),
      delays: delayHistogram(s.delay),
    },
  };
}

/** The text form of an image summary. */
export function formatImageSummary(x: ImageSummary): string[] {
  const r = x.requirements;
  const cap = r.layoutCapacity;
  const lines = [
    `image        ${x.path}: ${formatCount(x.bytes)} bytes, core image v${x.version}, CRC-32 ${x.crc} (checked)`,
    `requires     core spec v${r.coreSpecVersion}; ${formatCount(r.numNeurons)} neurons, ${formatCount(r.numAxons)} axons, ${formatCount(r.numSynapses)} synapses (${formatCount(r.numPlastic)} plastic), max fan-in ${formatCount(r.maxFanIn)}`,
    `layout       for ${formatCount(cap.neurons)} neurons, ${formatCount(cap.axons)} axons, ${formatCount(cap.synapses)} synapses, fan-in ${formatCount(cap.maxFanIn)}; fits: ${x.fits.length === 0 ? "no known board" : x.fits.join(", ")}`,
    `sections     ${Object.entries(x.sections).map(([tag, n]) => `${tag} ${formatCount(n)} B`).join(", ")}`,
  ];
  const m = x.meta;
  if (m.model !== undefined) lines.push(`model        ${m.model.name ?? "(unnamed)"}${m.model.digest === undefined ? "" : `, sha256 ${m.model.digest.slice(0, 16)}…`}`);
  if (m.populations !== undefined && m.populations.length > 0) {
    lines.push("populations");
    for (const p of m.populations) {
      const range = `${p.kind === "input" ? "axons" : "neurons"} ${p.first}..${p.first + p.size - 1}`;
      const scale = p.weightScale === undefined ? "" : `  scale ${p.weightScale.toFixed(3)} LSB/unit, weightShift ${p.weightShift ?? "?"}`;
      lines.push(`  ${p.name.padEnd(12)} ${p.kind.padEnd(5)} ${range.padEnd(18)} ${formatCount(p.size).padStart(6)}${scale}${p.name === m.output ? "  (output)" : ""}`);
    }
  }
  const out = outputNeurons(m);
  lines.push(
    `record       neurons ${x.record.base}..${x.record.base + x.record.count - 1} (${x.record.count})${out === undefined ? "" : `; output population at ${out.first}..${out.first + out.size - 1}`}`,
  );
  if (m.encoding !== undefined) {
    const e = m.encoding;
    lines.push(`encoding     ${e.kind}, ${formatCount(e.steps)} steps/sample${e.kind === "rate" ? `, maxRate ${e.maxRate}` : ""}; readout ${m.readout ?? "spike-count"}`);
  }
  const l = x.learning;
  lines.push(
    l.enabled
      ? `learning     on: tauTraceShift ${l.tauTraceShift}, traceIncrement ${l.traceIncrement}, aPlus ${l.aPlus}, aMinus ${l.aMinus}, learnShift ${l.learnShift}, weights ${l.wMin}..${l.wMax}`
      : "learning     off",
    "neurons",
  );
  for (const g of x.neuronGroups) {
    const p = g.params;
    lines.push(
      `  ${`${g.first}..${g.first + g.count - 1}`.padEnd(10)} threshold ${p.threshold}, tauMemShift ${p.tauMemShift}, tauSynShift ${p.tauSynShift}, refractory ${p.refractoryPeriod}, weightShift ${p.weightShift}, reset ${p.resetMode}`,
    );
  }
  const sy = x.synapses;
  lines.push(
    `synapses     ${formatCount(sy.count)}, weights ${sy.weightMin}..${sy.weightMax} LSB`,
    "weights (LSB)",
    ...histogramRows(sy.weights, (k) => `${sy.weights.edges[k]}..${sy.weights.edges[k + 1] - 1}`),
    "delays (steps)",
    ...histogramRows(sy.delays, (k) => String(k + 1)),
  );
  return lines;
}

/** Register `loci image` and its subcommand `show`. */
export const registerImage: CommandRegistrar = (program: Command, io: CliIO) => {
  const image = program.command("image").description("inspect core images (*.loci, docs/formats/core-image.md)");
  image
    .command("show")
    .description("check a core image (magic, CRC, every field) and print a readable summary")
    .argument("<image>", "core image written by `loci compile`")
    .option("--json", "print one JSON document", false)
    .action((path: string, opts: { json: boolean }) => {
      const summary = summarizeImage(path);
      if (opts.json) printJson(io, summary);
      else io.out(`${formatImageSummary(summary).join("\n")}\n`);
    });
};
