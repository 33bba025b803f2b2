// SPDX-License-Identifier: Apache-2.0
// Fashion-MNIST (60,000 + 10,000 clothing images, 28 × 28, ten classes) from Debian's
// `dataset-fashion-mnist` package: gzipped IDX files in /usr/share/datasets/fashion-mnist.

import type { DatasetSplits, ImageDataset } from "./dataset.ts";
import { locateIdxFiles, readIdxPair, type IdxDatasetOptions } from "./mnist.ts";

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** How to get Fashion-MNIST when it is missing. */
export const FASHION_HOW_TO_GET =
  "Install Debian's package: sudo apt-get install dataset-fashion-mnist (or scripts/setup.sh --data), or pass a folder with the four IDX files.";

/** The ten classes of Fashion-MNIST, by label. */
export const FASHION_CLASSES: readonly string[] = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
];

/** Load Fashion-MNIST (train and test). Throws E_DATA saying where it looked when files are missing or corrupt. */
export function loadFashionMnist(options: IdxDatasetOptions = {}): DatasetSplits<ImageDataset> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const files = locateIdxFiles("Fashion-MNIST", dir, FASHION_HOW_TO_GET);
  return {
    train: readIdxPair("fashion", files.trainImages, files.trainLabels, 10, FASHION_HOW_TO_GET, FASHION_CLASSES),
    test: readIdxPair("fashion", files.testImages, files.testLabels, 10, FASHION_HOW_TO_GET, FASHION_CLASSES),
  };
}
