// SPDX-License-Identifier: Apache-2.0
// `npm run bench:train`: training throughput (samples/s) of the spatial SNN on MNIST in
// TensorFlow.js, and in the same run the same model and batch in PyTorch (bench/torch-train.py:
// /usr/bin/python3, torch, CPU). Model: 784-128-10, 16-D positions, 16 steps of the rate code,
// quantization-aware (the core's integers forward), first projection pruned to the iCEBreaker's
// 16,384-synapse budget (mask fixed during the measurement), Adam, batch 128.
//
// Timing: process CPU time over `--batches` batches after `--warmup` batches, so other processes
// sharing the machine do not distort the ratio; both sides single-threaded by default (the wasm
// backend runs one thread in Node; `--threads` sets PyTorch's). Wall-clock rates are printed too.
// Options: --batches N (default 20), --warmup N (default 3), --threads N (default 1),
//          --backend auto|wasm|cpu|tensorflow (default auto), --no-torch.
// The last line printed is JSON: {samplesPerSecond, backend, ratioVsPyTorch, ...}.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendChoice } from "../host/train/backend.ts";
import { limitDataset, selectSamples, permutation } from "../host/train/dataset.ts";
import { defaultMnistDir, loadMnist } from "../host/train/mnist.ts";
import { SNN_DEFAULTS, SpatialSnn, pruneBudget } from "../host/train/spatial-snn.ts";
import { trainSnn } from "../host/train/train-loop.ts";

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const batches = Number(arg("batches", "20"));
const warmup = Number(arg("warmup", "3"));
const threads = Number(arg("threads", "1"));
const backendChoice = arg("backend", "auto") as BackendChoice;
const withTorch = !process.argv.includes("--no-torch");
const config = { hidden: 128, dims: 16, steps: 16, batch: 128, maxRate: 1, learningRate: 0.01, budget: 16384, seed: 1 };

const backend = await initBackend(backendChoice);
console.log(`backend: ${backend.name}`);
const { train } = loadMnist();
const n = (warmup + batches) * config.batch;
const data = selectSamples(train, permutation(train.count, config.seed).subarray(0, n));

const model = new SpatialSnn(
  {
    ...SNN_DEFAULTS,
    inputs: 784,
    hidden: [config.hidden],
    outputs: 10,
    space: { ...SNN_DEFAULTS.space, dimensions: config.dims },
    encoding: { kind: "rate", steps: config.steps, maxRate: config.maxRate },
  },
  config.seed,
);
model.prune(pruneBudget([[784, config.hidden], [config.hidden, 10]], config.budget));
let cpuStart = 0;
let wallStart = 0;
await trainSnn(model, limitDataset(data, n), {
  epochs: 1,
  batchSize: config.batch,
  learningRate: config.learningRate,
  onBatch: (e) => {
    if (e.batch === warmup) {
      cpuStart = process.cpuUsage().user + process.cpuUsage().system;
      wallStart = performance.now();
    }
  },
});
const cpu = (process.cpuUsage().user + process.cpuUsage().system - cpuStart) / 1e6;
const wall = (performance.now() - wallStart) / 1000;
const samples = batches * config.batch;
const tfjsRate = samples / cpu;
console.log(`TensorFlow.js (${backend.name}): ${tfjsRate.toFixed(0)} samples/s (CPU time), ${(samples / wall).toFixed(0)} samples/s wall, ${tf.memory().numTensors} tensors alive`);
model.dispose();

let torch: { samplesPerSecond: number; wallSamplesPerSecond: number; threads: number; torch: string } | undefined;
if (withTorch) {
  const dir = mkdtempSync(path.join(tmpdir(), "loci-bench-train-"));
  try {
    const mnist = defaultMnistDir()!;
    const cfgPath = path.join(dir, "config.json");
    writeFileSync(cfgPath, JSON.stringify({ ...config, warmup, batches, threads, images: path.join(mnist, "train-images-idx3-ubyte"), labels: path.join(mnist, "train-labels-idx1-ubyte") }));
    const r = spawnSync("/usr/bin/python3", [path.join(import.meta.dirname, "torch-train.py"), cfgPath], { encoding: "utf8" });
    if (r.status !== 0) {
      console.log(`PyTorch peer failed (${r.error?.message ?? r.stderr.trim().split("\n").pop()}); install python3-torch (scripts/setup.sh --bench)`);
    } else {
      torch = JSON.parse(r.stdout.trim().split("\n").pop()!);
      console.log(`PyTorch ${torch!.torch} (${torch!.threads} thread): ${torch!.samplesPerSecond.toFixed(0)} samples/s (CPU time), ${torch!.wallSamplesPerSecond.toFixed(0)} samples/s wall`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  JSON.stringify({
    samplesPerSecond: Math.round(tfjsRate),
    backend: backend.name,
    ratioVsPyTorch: torch === undefined ? null : Math.round((tfjsRate / torch.samplesPerSecond) * 1000) / 1000,
    pytorchSamplesPerSecond: torch === undefined ? null : Math.round(torch.samplesPerSecond),
    wallSamplesPerSecond: Math.round(samples / wall),
    pytorchWallSamplesPerSecond: torch === undefined ? null : Math.round(torch.wallSamplesPerSecond),
    model: `784-${config.hidden}-10, ${config.dims}-D, ${config.steps} steps, quantization-aware, batch ${config.batch}`,
    batches,
    threads,
  }),
);
