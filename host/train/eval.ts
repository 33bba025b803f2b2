// SPDX-License-Identifier: Apache-2.0
// Accuracy of a trained network: the float model (TensorFlow.js forward pass of a model file) and
// the bit-exact core (a compiled core image run sample by sample in the simulator), with the same
// encoding and readout as training.

import * as tf from "@tensorflow/tfjs";
import { decodeCoreImage, inputChannelAxons, outputNeurons, type DecodedCoreImage, type InputEncoding, type Readout } from "../../sim/core-image.ts";
import { LociError } from "../../sim/errors.ts";
import { readFileBytes } from "../../sim/json-file.ts";
import { Simulator } from "../../sim/simulator.ts";
import type { InputSpikes } from "../../compiler/encoding.ts";
import type { Dataset } from "./dataset.ts";
import { encodeBatch, sampleSpikes } from "./encoders.ts";
import type { SpatialSnn } from "./spatial-snn.ts";

/** The result of an evaluation. */
export interface EvalResult {
  /** Fraction of samples classified correctly, 0..1. */
  readonly accuracy: number;
  readonly samples: number;
  readonly correct: number;
  /** Predicted class of each sample, in dataset order. */
  readonly predictions: Int32Array;
  readonly seconds: number;
}

/** Options of an evaluation. */
export interface EvalOptions {
  /** Evaluate the first `limit` samples only. */
  readonly limit?: number;
  /** Called with (samples done, samples total). */
  readonly onProgress?: (done: number, total: number) => void;
}

function summary(predictions: Int32Array, labels: ArrayLike<number>, t0: number): EvalResult {
  let correct = 0;
  for (let k = 0; k < predictions.length; k++) if (predictions[k] === labels[k]) correct++;
  return { accuracy: predictions.length === 0 ? 0 : correct / predictions.length, samples: predictions.length, correct, predictions, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Accuracy of the TensorFlow.js model: the float dynamics of the model file (`quantize` false,
 * default) or the core's integer arithmetic emulated in tensors (`quantize` true).
 */
export async function evaluateModel(model: SpatialSnn, data: Dataset, options: EvalOptions & { quantize?: boolean; batchSize?: number } = {}): Promise<EvalResult> {
  const t0 = performance.now();
  const total = Math.min(data.count, options.limit ?? data.count);
  const batchSize = options.batchSize ?? 250;
  const predictions = new Int32Array(total);
  const layers = model.exactLayers();
  for (let start = 0; start < total; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, total - start) }, (_, k) => start + k);
    const enc = encodeBatch(data, idx, model.config.encoding);
    const pred = tf.tidy(() => {
      const x = tf.tensor3d(enc.data, [enc.steps, enc.batch, enc.channels]);
      // Ties go to the lowest index, as in the core readout (argMax returns the first maximum).
      return tf.argMax(model.forward(x, { quantize: options.quantize ?? false }, layers).membrane, 1).dataSync();
    });
    predictions.set(pred, start);
    options.onProgress?.(start + idx.length, total);
    await new Promise((r) => setImmediate(r));
  }
  return summary(predictions, data.labels.subarray(0, total), t0);
}

/** A core image ready to classify samples in the bit-exact simulator. */
export interface CoreClassifier {
  readonly image: DecodedCoreImage;
  readonly simulator: Simulator;
  /** Axon of each input channel. */
  readonly axons: Int32Array;
  /** Output neurons `[first, first + size)`; size = classes. */
  readonly output: { readonly first: number; readonly size: number };
  readonly encoding: InputEncoding;
  readonly readout: Readout;
}

/** One sample's run on the core. */
export interface CoreRun {
  /** Class read out (ties → lowest index). */
  readonly predicted: number;
  /** Spikes of each output neuron over the sample. */
  readonly outputSpikes: Int32Array;
  /** Membrane of each output neuron after the last step (LSBs). */
  readonly outputMembrane: Int32Array;
  /** Every spike of the sample: `[step, neuron]` pairs, when recorded. */
  readonly raster?: readonly (readonly [number, number])[];
  /** Clock cycles of the sample (the core's cycle model). */
  readonly cycles: number;
}

/** Open a core image (bytes or a path) for classification. Needs the image's population map, encoding and output. */
export function openCoreImage(source: Uint8Array | string): CoreClassifier {
  const file = typeof source === "string" ? source : undefined;
  const bytes = typeof source === "string" ? readFileBytes(source) : source;
  const image = decodeCoreImage(bytes, file === undefined ? {} : { file });
  const output = outputNeurons(image.meta);
  const encoding = image.meta.encoding;
  if (output === undefined || encoding === undefined) {
    throw new LociError("E_USAGE", `${file ?? "the core image"} has no ${output === undefined ? "output population" : "input encoding"} in its metadata, so samples cannot be classified`, {
      context: { file },
      suggestion: "Compile the image from a model file (loci compile model.json), which records both.",
    });
  }
  return {
    image,
    simulator: new Simulator(image.memories, file === undefined ? {} : { file }),
    axons: inputChannelAxons(image.meta),
    output,
    encoding,
    readout: image.meta.readout ?? "spike-count",
  };
}

/** The class a readout picks from the output neurons' spike counts and final membranes (ties → lowest index). */
export function readOutClass(readout: Readout, outputSpikes: ArrayLike<number>, outputMembrane: ArrayLike<number>): number {
  const scores = readout === "spike-count" ? outputSpikes : outputMembrane;
  let predicted = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k] > scores[predicted]) predicted = k;
  return predicted;
}

/** Run one sample (its input spikes) from rest and read out the class. */
export function classifyOnCore(core: CoreClassifier, input: InputSpikes, record = false): CoreRun {
  const sim = core.simulator;
  sim.reset();
  const { first, size } = core.output;
  const outputSpikes = new Int32Array(size);
  const raster: [number, number][] = [];
  let cycles = 0;
  const buf = new Int32Array(core.axons.length);
  for (let t = 0; t < input.steps; t++) {
    const list = input.spikes[t];
    for (let k = 0; k < list.length; k++) buf[k] = core.axons[list[k]];
    const r = sim.stepOnce(buf.subarray(0, list.length));
    cycles += r.cycles;
    for (const j of r.spikes) {
      if (j >= first && j < first + size) outputSpikes[j - first]++;
      if (record) raster.push([t, j]);
    }
  }
  const outputMembrane = Int32Array.from({ length: size }, (_, k) => sim.membrane(first + k));
  const predicted = readOutClass(core.readout, outputSpikes, outputMembrane);
  return { predicted, outputSpikes, outputMembrane, cycles, ...(record ? { raster } : {}) };
}

/** Accuracy of a core image on a dataset in the bit-exact simulator. */
export async function evaluateCoreImage(source: Uint8Array | string | CoreClassifier, data: Dataset, options: EvalOptions = {}): Promise<EvalResult & { cycles: number }> {
  const t0 = performance.now();
  const core = typeof source === "object" && "simulator" in source ? source : openCoreImage(source);
  if (data.channels > core.axons.length) {
    throw new LociError("E_USAGE", `the dataset has ${data.channels} input channels but the image has ${core.axons.length} input axons`, {
      suggestion: "Evaluate the image on the dataset it was trained for.",
    });
  }
  const total = Math.min(data.count, options.limit ?? data.count);
  const predictions = new Int32Array(total);
  let cycles = 0;
  for (let s = 0; s < total; s++) {
    const run = classifyOnCore(core, sampleSpikes(data, s, core.encoding));
    predictions[s] = run.predicted;
    cycles += run.cycles;
    if (s % 200 === 199 || s === total - 1) {
      options.onProgress?.(s + 1, total);
      await new Promise((r) => setImmediate(r));
    }
  }
  return { ...summary(predictions, data.labels.subarray(0, total), t0), cycles };
}
