// SPDX-License-Identifier: Apache-2.0
// Backend selection: auto picks a working backend and reports skipped ones; named backends work.
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { describeBackend, initBackend } from "./backend.ts";

describe("initBackend", () => {
  it("auto falls back from tfjs-node to a working backend and says so", async () => {
    const info = await initBackend("auto");
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    if (info.name !== "tensorflow") expect(info.skipped[0].name).toBe("tensorflow");
    expect(describeBackend(info)).toMatch(/^backend: /);
  });

  it("wasm and cpu compute the same product", async () => {
    const a = [[1, 2, 3], [4, 5, 6]];
    const b = [[1, 0], [0, 1], [1, 1]];
    const results: number[][][] = [];
    for (const name of ["wasm", "cpu"] as const) {
      await initBackend(name);
      results.push((await tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).array()) as number[][]);
    }
    expect(results[0]).toEqual([[4, 5], [10, 11]]);
    expect(results[1]).toEqual(results[0]);
  });
});
