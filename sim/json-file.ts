// SPDX-License-Identifier: Apache-2.0
// Reading and writing Loci's JSON files: I/O errors and bad JSON become LociErrors that name the
// file, every file starts with a format name and version, and writes are atomic (temp + rename),
// so a failed run never leaves a half-written file behind.

import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { FormatError, LociError, formatValue } from "./errors.ts";
import { checkObject, type Where } from "./validate.ts";

/** Read a whole file; a missing or unreadable file is an E_IO error naming the path. */
export function readFileBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new LociError("E_IO", `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      context: { file: path },
      cause: error,
      suggestion: "Check the path and the file's permissions.",
    });
  }
}

/** Parse JSON text; a syntax error is an E_FORMAT error naming the file. */
export function parseJsonText(text: string, where: Where = {}): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FormatError(`not valid JSON (${(error as Error).message})`, {
      context: { ...where },
      cause: error,
      suggestion: "Fix the JSON syntax; a validator or `node -e 'JSON.parse(...)'` shows the position.",
    });
  }
}

/**
 * Check the header every Loci JSON file starts with: `"format": <name>` and `"version": <v>`.
 * Returns the document as an object.
 */
export function checkFormatHeader(doc: unknown, format: string, version: number, where: Where = {}): Record<string, unknown> {
  const obj = checkObject("(document)", doc, where);
  if (obj.format !== format) {
    throw new FormatError(`format = ${formatValue(obj.format)} is not a ${format} file (expected "format": "${format}")`, {
      context: { ...where, field: "format", value: obj.format, allowed: JSON.stringify(format) },
    });
  }
  if (obj.version !== version) {
    throw new FormatError(`version = ${formatValue(obj.version)} is not supported (this Loci reads ${format} version ${version})`, {
      context: { ...where, field: "version", value: obj.version, allowed: String(version) },
      suggestion: "Re-export the file with this version of Loci.",
    });
  }
  return obj;
}

/**
 * Write a file atomically: the text goes to a temporary file beside it, which is renamed over
 * the target only when complete. A failure leaves the target untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new LociError("E_IO", `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      context: { file: path },
      cause: error,
      suggestion: "Check that the directory exists and is writable.",
    });
  }
}
