// SPDX-License-Identifier: Apache-2.0
// The shipped MNIST model end to end, for `loci demo` and scripts: compile it for the iCEBreaker,
// evaluate N test images in the bit-exact simulator, and draw the pictures. (Flashing the board and
// the hardware-in-the-loop check use host/driver with the image returned here.)

import { mkdirSync } from "node:fs";
import path from "node:path";
import { compileModel, type CompiledModel } from "../../compiler/compile.ts";
import { readModelFile } from "../../compiler/model-file.ts";
import { writeFileAtomic } from "../../sim/json-file.ts";
import { limitDataset } from "./dataset.ts";
import { evaluateCoreImage, openCoreImage, type CoreClassifier, type EvalResult } from "./eval.ts";
import { loadMnist } from "./mnist.ts";
import { writePositionPictures, writeRasterPicture } from "./pictures.ts";

/** The trained MNIST spatial SNN shipped with Loci. */
export const SHIPPED_MNIST_MODEL = path.resolve(import.meta.dirname, "../../examples/models/mnist-snn.model.json");

/** What the showcase produced. */
export interface Showcase {
  readonly compiled: CompiledModel;
  /** The core image file written. */
  readonly image: string;
  readonly core: CoreClassifier;
  /** Bit-exact simulator accuracy on the first `samples` test images. */
  readonly simulator: EvalResult & { readonly cycles: number };
  /** The accuracies recorded in the model file by training (full test set). */
  readonly recorded: Readonly<Record<string, number>>;
  readonly pictures: readonly string[];
}

/**
 * Compile `modelPath` (default: the shipped model) with `--fit icebreaker`, write the image into
 * `outDir`, evaluate the first `samples` MNIST test images in the simulator and draw the pictures
 * (positions before/after pruning, raster of test image 0).
 */
export async function runMnistShowcase(outDir: string, options: { modelPath?: string; samples?: number; png?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<Showcase> {
  const modelPath = options.modelPath ?? SHIPPED_MNIST_MODEL;
  const model = readModelFile(modelPath);
  const compiled = compileModel(model, { fit: true, boardName: "icebreaker", where: { file: modelPath } });
  mkdirSync(outDir, { recursive: true });
  const image = path.join(outDir, "mnist-snn.loci");
  writeFileAtomic(image, compiled.image);
  const core = openCoreImage(compiled.image);
  const { test } = loadMnist();
  const data = limitDataset(test, options.samples ?? 1000);
  const simulator = await evaluateCoreImage(core, data, options.onProgress === undefined ? {} : { onProgress: options.onProgress });
  const png = options.png ?? true;
  const pictures = [
    ...writePositionPictures(model, outDir, { png, prefix: "mnist-snn" }),
    ...writeRasterPicture(core, data, 0, path.join(outDir, "mnist-snn-raster.svg"), { png }).files,
  ];
  return { compiled, image, core, simulator, recorded: model.metadata?.accuracy ?? {}, pictures };
}
