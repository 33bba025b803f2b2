// SPDX-License-Identifier: Apache-2.0
// `npm run bench:compile`: how long `loci compile --fit icebreaker` takes on MNIST-sized models
// (784 inputs, 100 hidden, 10 outputs; seeded random positions and signs, 3-D and 16-D), measured
// against two peers in the same run:
//   1. JSON.parse of the same model file text (the floor: reading the file at all);
//   2. the naive ranking (comparator sort of candidate indices) against the packed-key native sort
//      the compiler uses, on the MNIST candidates and on a paper-sized set (784 × 2048 + 2048 × 10
//      candidates, Erb et al.'s MNIST network), checking that both give the same order.
// Timing: best of --repeats (default 5) after one warm-up run; the compile time covers parsing,
// validation, candidate expansion, quantization, pruning, mapping, image encoding and decoding
// check. The last line printed is JSON.

import { performance } from "node:perf_hooks";
import { compileModel, BOARDS } from "../compiler/compile.ts";
import { parseModel, serializeModel } from "../compiler/model-file.ts";
import { rankOrder, rankOrderByComparator } from "../compiler/prune.ts";
import { randomLayeredModel } from "../compiler/random-model.ts";
import { Random } from "../sim/random.ts";
import { checkImageFits, decodeCoreImage } from "../sim/core-image.ts";

function option(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

const repeats = Number(option("--repeats", "5"));
if (!(Number.isInteger(repeats) && repeats >= 1)) {
  console.error("usage: bench/compile.bench.ts [--repeats N]");
  process.exit(2);
}

/** Best wall time (ms) of `repeats` runs after one warm-up; returns the last result too. */
function best<T>(run: () => T): { ms: number; result: T } {
  let result = run();
  let ms = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    result = run();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

const cases = [3, 16].map((dimensions) => {
  const text = serializeModel(randomLayeredModel({ seed: 7, inputs: 784, hidden: 100, outputs: 10, dimensions }));
  const parse = best(() => JSON.parse(text) as unknown);
  const compile = best(() => compileModel(parseModel(text), { capacity: BOARDS.icebreaker, boardName: "icebreaker", fit: true }));
  const decoded = decodeCoreImage(compile.result.image);
  checkImageFits(decoded.requirements, BOARDS.icebreaker);
  const r = {
    dimensions,
    modelBytes: text.length,
    imageBytes: compile.result.image.length,
    synapses: decoded.requirements.numSynapses,
    candidates: compile.result.candidates,
    compileMs: compile.ms,
    parseMs: parse.ms,
    ratioCompileVsParse: compile.ms / parse.ms,
  };
  console.log(
    `  784-100-10 ${String(dimensions).padStart(2)}-D: compile ${r.compileMs.toFixed(1)} ms (model ${(r.modelBytes / 1024).toFixed(0)} KiB, ${r.candidates} candidates → ${r.synapses} synapses, image ${r.imageBytes} B); JSON.parse alone ${r.parseMs.toFixed(1)} ms → ${r.ratioCompileVsParse.toFixed(1)}x parse`,
  );
  return r;
});

/** Rank keys with many ties, as integer keys of quantized-looking magnitudes. */
function keys(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 2 ** 16) * 2 ** 15);
}

const ranking = [
  { name: "mnist-100", n: 784 * 100 + 100 * 10 },
  { name: "paper-2048", n: 784 * 2048 + 2048 * 10 },
].map(({ name, n }) => {
  const k = keys(n, 11);
  const packed = best(() => rankOrder(k));
  const naive = best(() => rankOrderByComparator(k));
  const same = packed.result.every((v, i) => v === naive.result[i]);
  if (!same) throw new Error(`ranking orders differ on ${name}`);
  const r = { name, candidates: n, packedMs: packed.ms, comparatorMs: naive.ms, speedup: naive.ms / packed.ms };
  console.log(`  ranking ${name.padEnd(10)} ${String(n).padStart(9)} candidates: packed native sort ${r.packedMs.toFixed(1)} ms, comparator sort ${r.comparatorMs.toFixed(1)} ms → ${r.speedup.toFixed(1)}x`);
  return r;
});

const worst = Math.max(...cases.map((c) => c.compileMs));
console.log(
  JSON.stringify({
    benchmark: "compile",
    worstCompileMs: worst,
    under2Seconds: worst < 2000,
    ratioCompileVsParse: cases.map((c) => c.ratioCompileVsParse),
    rankingSpeedup: ranking.map((r) => r.speedup),
    repeats,
    node: process.version,
    cases,
    ranking,
  }),
);
