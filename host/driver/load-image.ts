// SPDX-License-Identifier: Apache-2.0
// The image a command flashes: any file `sim/load.ts` reads (binary core image or network file),
// laid out as the core's memories.

import { loadNetwork } from "../../sim/load.ts";
import { layoutMemories, type CoreMemories } from "../../sim/memory-layout.ts";

/** A loaded image: its memories and where it came from. */
export interface LoadedImage {
  readonly path: string;
  readonly format: string;
  readonly memories: CoreMemories;
  readonly numSynapses: number;
}

/** Load an image file and lay it out as memories. */
export function loadImage(path: string): LoadedImage {
  const loaded = loadNetwork(path);
  const memories = "synapseLow" in loaded.source ? loaded.source : layoutMemories(loaded.source);
  return { path, format: loaded.format, memories, numSynapses: memories.synapseLow.length };
}
