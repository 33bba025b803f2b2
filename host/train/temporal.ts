// SPDX-License-Identifier: Apache-2.0
// A generated temporal dataset in which classes differ only in the relative timing of spikes
// across channels. Every channel of every sample spikes exactly `1 + noiseSpikes` times, whatever
// the class, so spike counts (rates) carry no information: a rate classifier is at chance.
//
// Each class k has a fixed pattern: the channels fire one after another, `spacing` steps apart,
// in an order that is a permutation of the channels drawn once from the seed (distinct per
// class): channel c fires at offset o[k][c] = spacing · π_k(c). A sample of class k shifts the
// whole pattern by a random start t0 (so absolute time carries almost nothing), moves each spike
// by a random jitter in −jitter..+jitter, and adds `noiseSpikes` spikes per channel at uniformly
// random other steps. Every class has the same set of gaps between spikes; only which channel comes
// when differs. To classify, a network has to line up spikes from different channels — what
// per-synapse delays do (the pattern spans spacing · (channels − 1) + 1 steps, within the core's 16).

import { LociError } from "../../sim/errors.ts";
import { Random } from "../../sim/random.ts";
import type { DatasetSplits, SpikeDataset } from "./dataset.ts";

/** Parameters of the temporal dataset. Defaults give 4 channels, 4 classes, 32 steps. */
export interface TemporalOptions {
  /** Input channels (default 4). */
  readonly channels?: number;
  /** Classes (default 4; at most channels! distinct orders). */
  readonly classes?: number;
  /** Steps per sample (default 32). */
  readonly steps?: number;
  /** Steps between consecutive spikes of a pattern (default 4). */
  readonly spacing?: number;
  /** Each pattern spike moves by a uniform −jitter..+jitter steps (default 0). */
  readonly jitter?: number;
  /** Extra spikes per channel at random steps (default 0). */
  readonly noiseSpikes?: number;
  /** Training samples (default 4000). */
  readonly trainCount?: number;
  /** Test samples (default 1000). */
  readonly testCount?: number;
  /** Seed of the patterns and the samples (default 1). */
  readonly seed?: number;
}

/** The options with every default filled in. */
export type ResolvedTemporalOptions = Required<TemporalOptions>;

/** Fill in defaults and check that the options describe a possible dataset. */
export function resolveTemporalOptions(options: TemporalOptions = {}): ResolvedTemporalOptions {
  const o: ResolvedTemporalOptions = {
    channels: 4,
    classes: 4,
    steps: 32,
    spacing: 4,
    jitter: 0,
    noiseSpikes: 0,
    trainCount: 4000,
    testCount: 1000,
    seed: 1,
    ...options,
  };
  const bad = (field: string, allowed: string): never => {
    throw new LociError("E_USAGE", `temporal dataset: ${field} = ${String(o[field as keyof ResolvedTemporalOptions])} is not allowed (${allowed})`, {
      context: { field },
    });
  };
  const int = (field: keyof ResolvedTemporalOptions, min: number): void => {
    if (!Number.isInteger(o[field]) || o[field] < min) bad(field, `an integer >= ${min}`);
  };
  int("channels", 2);
  int("classes", 2);
  int("spacing", 1);
  let orders = 1;
  for (let k = 2; k <= o.channels; k++) orders = Math.min(orders * k, 1e9);
  if (o.classes > orders) bad("classes", `at most ${orders}, the number of orders of ${o.channels} channels`);
  int("jitter", 0);
  int("noiseSpikes", 0);
  int("trainCount", 1);
  int("testCount", 1);
  int("seed", 0);
  const span = temporalSpan(o);
  if (!Number.isInteger(o.steps) || o.steps < span + 2 * o.jitter) bad("steps", `an integer >= span + 2·jitter = ${span + 2 * o.jitter} (span = spacing · (channels − 1) + 1)`);
  if (o.noiseSpikes + 1 > o.steps) bad("noiseSpikes", "at most steps − 1");
  return o;
}

/** Steps one pattern covers: spacing · (channels − 1) + 1. */
export function temporalSpan(o: Pick<ResolvedTemporalOptions, "spacing" | "channels">): number {
  return o.spacing * (o.channels - 1) + 1;
}

/** The class patterns: `pattern[k][c]` is the offset (steps) at which channel c fires in class k. */
export function temporalPatterns(options: TemporalOptions = {}): number[][] {
  const o = resolveTemporalOptions(options);
  const rng = new Random(o.seed * 2 + 1);
  const patterns: number[][] = [];
  const seen = new Set<string>();
  while (patterns.length < o.classes) {
    const order = rng.shuffle(Int32Array.from({ length: o.channels }, (_, c) => c));
    const p = Array.from(order, (rank) => rank * o.spacing);
    const key = p.join(",");
    if (seen.has(key)) continue; // two identical classes could not be told apart
    seen.add(key);
    patterns.push(p);
  }
  return patterns;
}

function generate(o: ResolvedTemporalOptions, patterns: number[][], count: number, seed: number, name: string): SpikeDataset {
  const rng = new Random(seed);
  const perSample = o.channels * (1 + o.noiseSpikes);
  const offsets = new Int32Array(count + 1);
  const step = new Int32Array(count * perSample);
  const channel = new Int32Array(count * perSample);
  const labels = new Uint8Array(count);
  // Balanced labels in a seeded order.
  const order = rng.shuffle(Int32Array.from({ length: count }, (_, k) => k % o.classes));
  const room = o.steps - (temporalSpan(o) - 1) - 2 * o.jitter; // choices of the start t0
  const events: number[] = [];
  for (let s = 0; s < count; s++) {
    const k = order[s];
    labels[s] = k;
    const t0 = o.jitter + rng.nextInt(room);
    events.length = 0;
    for (let c = 0; c < o.channels; c++) {
      const t = t0 + patterns[k][c] + (o.jitter === 0 ? 0 : rng.nextInt(2 * o.jitter + 1) - o.jitter);
      const used = new Set<number>([t]);
      while (used.size < 1 + o.noiseSpikes) used.add(rng.nextInt(o.steps));
      for (const u of used) events.push(u * o.channels + c);
    }
    events.sort((a, b) => a - b);
    const base = offsets[s];
    events.forEach((e, i) => {
      step[base + i] = Math.floor(e / o.channels);
      channel[base + i] = e % o.channels;
    });
    offsets[s + 1] = base + events.length;
  }
  return { kind: "spikes", name, count, channels: o.channels, steps: o.steps, offsets, step, channel, labels, classes: o.classes };
}

/** Generate the temporal dataset (train and test from independent seeds; same options → same data). */
export function loadTemporal(options: TemporalOptions = {}): DatasetSplits<SpikeDataset> {
  const o = resolveTemporalOptions(options);
  const patterns = temporalPatterns(o);
  return {
    train: generate(o, patterns, o.trainCount, o.seed * 7919 + 11, "temporal"),
    test: generate(o, patterns, o.testCount, o.seed * 7919 + 23, "temporal"),
  };
}
