// SPDX-License-Identifier: Apache-2.0
// Loading whatever a user points `loci sim` at. Each file kind has a loader that recognises its
// first bytes; today that is the JSON network file. The binary core image adds one entry to
// LOADERS (detected by its magic bytes) and nothing else changes.

import { CORE_IMAGE_LOADER } from "./core-image.ts";
import { FormatError } from "./errors.ts";
import { parseJsonText, readFileBytes } from "./json-file.ts";
import type { CoreMemories } from "./memory-layout.ts";
import { parseNetwork } from "./network-file.ts";
import type { Network } from "./network.ts";

/** A loaded network, ready for `new Simulator(source)`. */
export interface LoadedNetwork {
  /** Which loader read it (`"network-file"`, later `"core-image"`). */
  readonly format: string;
  /** The path it was read from. */
  readonly path: string;
  /** A validated network, or a memory image (checked when the simulator indexes it). */
  readonly source: Network | CoreMemories;
  /** Neurons in use. */
  readonly numNeurons: number;
  /** Input axons in use. */
  readonly numAxons: number;
}

/** One kind of file `loadNetwork` understands. */
export interface NetworkLoader {
  /** Short name, reported as `LoadedNetwork.format`. */
  readonly format: string;
  /** True when the file's bytes look like this format (checks only the first bytes). */
  detect(bytes: Uint8Array): boolean;
  /** Decode and validate; throws a LociError naming the file. */
  load(bytes: Uint8Array, path: string): Network | CoreMemories;
}

/** JSON network file: the first non-blank byte is `{`. */
export const NETWORK_FILE_LOADER: NetworkLoader = {
  format: "network-file",
  detect(bytes) {
    for (const b of bytes) {
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf) continue; // blanks, UTF-8 BOM
      return b === 0x7b; // "{"
    }
    return false;
  },
  load(bytes, path) {
    return parseNetwork(parseJsonText(Buffer.from(bytes).toString("utf8").replace(/^\uFEFF/, ""), { file: path }), { file: path });
  },
};

/** Every loader, tried in order. A new file kind appends itself here. */
export const LOADERS: NetworkLoader[] = [NETWORK_FILE_LOADER, CORE_IMAGE_LOADER];

/** Read a network from a file of any known kind, recognised by its first bytes. */
export function loadNetwork(path: string): LoadedNetwork {
  const bytes = readFileBytes(path);
  const loader = LOADERS.find((l) => l.detect(bytes));
  if (loader === undefined) {
    throw new FormatError(`not a network file Loci knows (known: ${LOADERS.map((l) => l.format).join(", ")})`, {
      context: { file: path, field: "(first bytes)", value: Buffer.from(bytes.subarray(0, 8)).toString("hex") },
      suggestion: "Pass a *.net.json network file (docs/formats/network-file.md).",
    });
  }
  const source = loader.load(bytes, path);
  const sizes = "synapseLow" in source
    ? { numNeurons: source.config.numNeurons, numAxons: source.config.numAxons }
    : { numNeurons: source.neurons.length, numAxons: source.numAxons };
  return { format: loader.format, path, source, ...sizes };
}
