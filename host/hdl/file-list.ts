// SPDX-License-Identifier: Apache-2.0
// Reads a Verilog `.f` file list (one per top): source paths relative to the repository root,
// `+incdir+DIR` include directories, `-f OTHER.f` nested lists, `#` and `//` comments.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LociError } from "../../sim/errors.ts";

/** The repository root (paths in `.f` files are relative to it). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The sources and include directories of one top, as absolute paths. */
export interface FileList {
  readonly sources: readonly string[];
  readonly includeDirs: readonly string[];
}

/** Read `path` (relative to the repository root or absolute), following nested `-f` lists. */
export function readFileList(path: string, root: string = REPO_ROOT): FileList {
  const sources: string[] = [];
  const includeDirs: string[] = [];
  const visit = (file: string, chain: readonly string[]): void => {
    const abs = resolve(root, file);
    if (chain.includes(abs)) {
      throw new LociError("E_FORMAT", `file list ${file} includes itself`, { context: { file: abs } });
    }
    let text: string;
    try {
      text = readFileSync(abs, "utf8");
    } catch (error) {
      throw new LociError("E_IO", `cannot read file list ${file}`, { context: { file: abs }, cause: error });
    }
    for (const raw of text.split("\n")) {
      const line = raw.replace(/(#|\/\/).*$/, "").trim();
      if (line === "") continue;
      if (line.startsWith("+incdir+")) {
        for (const dir of line.slice("+incdir+".length).split("+").filter((d) => d !== "")) {
          const d = join(root, dir);
          if (!includeDirs.includes(d)) includeDirs.push(d);
        }
      } else if (line.startsWith("-f ")) {
        visit(line.slice(3).trim(), [...chain, abs]);
      } else if (line.startsWith("-") || line.startsWith("+")) {
        throw new LociError("E_FORMAT", `file list ${file}: unsupported option "${line}"`, {
          context: { file: abs },
          suggestion: "A Loci .f file holds source paths, +incdir+DIR and -f OTHER.f only.",
        });
      } else {
        const s = join(root, line);
        if (!sources.includes(s)) sources.push(s);
      }
    }
  };
  visit(path, []);
  return { sources, includeDirs };
}
