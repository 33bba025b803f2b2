// SPDX-License-Identifier: Apache-2.0
// Dataset by name, as the CLI names them: mnist, fashion, temporal, shd.

import { LociError } from "../../sim/errors.ts";
import type { DatasetSplits } from "./dataset.ts";
import { loadFashionMnist } from "./fashion-mnist.ts";
import { loadMnist } from "./mnist.ts";
import { loadShd, SHD_HOW_TO_GET, type ShdOptions } from "./shd.ts";
import { loadTemporal, type TemporalOptions } from "./temporal.ts";

/** Dataset names the CLI accepts. */
export const DATASET_NAMES = ["mnist", "fashion", "temporal", "shd"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Where to find data and how to shape generated or converted data. */
export interface DatasetOptions {
  /** Folder with the dataset's files (MNIST/Fashion IDX files, SHD .h5 files). */
  readonly dataDir?: string;
  readonly temporal?: TemporalOptions;
  readonly shd?: Omit<ShdOptions, "dir">;
}

/** Is `name` a dataset name? */
export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** Load a dataset's train and test splits by name. */
export async function loadDataset(name: DatasetName, options: DatasetOptions = {}): Promise<DatasetSplits> {
  switch (name) {
    case "mnist":
      return loadMnist(options.dataDir === undefined ? {} : { dir: options.dataDir });
    case "fashion":
      return loadFashionMnist(options.dataDir === undefined ? {} : { dir: options.dataDir });
    case "temporal":
      return loadTemporal(options.temporal);
    case "shd":
      if (options.dataDir === undefined) {
        throw new LociError("E_DATA", "SHD needs --data-dir <folder with shd_train.h5 and shd_test.h5>", { suggestion: SHD_HOW_TO_GET });
      }
      return loadShd({ dir: options.dataDir, ...options.shd });
  }
}
