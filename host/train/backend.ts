// SPDX-License-Identifier: Apache-2.0
// Chooses the TensorFlow.js backend for training: tfjs-node when it is installed and loads, else
// WebAssembly (its .wasm files served from node_modules), else the plain CPU backend.

import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import path from "node:path";
import { LociError } from "../../sim/errors.ts";

/** A backend name training can run on, or "auto" (node → wasm → cpu). */
export type BackendChoice = "auto" | "tensorflow" | "wasm" | "cpu";

/** Every backend choice, for option validation. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ["auto", "tensorflow", "wasm", "cpu"];

/** The backend in use and why. */
export interface BackendInfo {
  /** tfjs backend name: "tensorflow" (tfjs-node), "wasm" or "cpu". */
  readonly name: string;
  /** Backends tried before this one, with the reason each was skipped. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

const require = createRequire(import.meta.url);
let wasmRegistered = false;

async function tryNode(): Promise<string | undefined> {
  try {
    // An optional dependency: absent on machines where its install script cannot download libtensorflow.
    const spec = "@tensorflow/tfjs-node";
    await import(spec);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

async function tryWasm(): Promise<string | undefined> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    if (!wasmRegistered) {
      // In Node the wasm backend cannot fetch its binaries by URL: point it at the package's files.
      const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
      wasm.setWasmPaths(`${dir}${path.sep}`);
      wasmRegistered = true;
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split("\n")[0] : String(error);
  }
}

async function activate(name: string): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Select and initialise a backend. `auto` tries tfjs-node, then wasm, then cpu; a named backend
 * that cannot load is an error (E_TOOL) that says why. Idempotent.
 */
export async function initBackend(choice: BackendChoice = "auto"): Promise<BackendInfo> {
  // Production mode: no debug checks, and no console banner from the cpu backend in Node.
  tf.enableProdMode();
  const skipped: { name: string; reason: string }[] = [];
  const order: Exclude<BackendChoice, "auto">[] = choice === "auto" ? ["tensorflow", "wasm", "cpu"] : [choice];
  for (const name of order) {
    let reason: string | undefined;
    if (name === "tensorflow") reason = await tryNode();
    else if (name === "wasm") reason = await tryWasm();
    if (reason === undefined && !(await activate(name))) reason = "the backend failed to initialise";
    if (reason === undefined) {
      await tf.ready();
      return { name: tf.getBackend(), skipped };
    }
    skipped.push({ name, reason });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join("; ");
  throw new LociError("E_TOOL", `no TensorFlow.js backend could be loaded (${why})`, {
    context: { value: choice },
    suggestion: choice === "auto" ? "Reinstall the npm packages (npm ci)." : "Use --backend auto to fall back to another backend.",
  });
}

/** One line for users: "backend: wasm (tensorflow unavailable: ...)". */
export function describeBackend(info: BackendInfo): string {
  const notes = info.skipped.map((s) => `${s.name} unavailable`).join(", ");
  return `backend: ${info.name}${notes === "" ? "" : ` (${notes})`}`;
}
