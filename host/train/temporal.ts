// SPDX-License-Identifier: Apache-2.0
// A generated temporal dataset in which classes differ only in the relative timing of spikes
// across channels. Every channel of every sample spikes exactly `1 + noiseSpikes` times, whatever
// the class, so spike counts (rates) carry no information: a rate classifier is at chance.
//
// Each class k has a fixed pattern: channel c fires at offset o[k][c] ∈ 0..span−1 (drawn once
// from the seed). A sample of class k shifts the whole pattern by a random start t0 (so absolute
// time carries almost nothing), moves each spike by a random jitter in −jitter..+jitter, and adds
// `noiseSpikes` spikes per channel at uniformly random other steps. To classify, a network has to
// line up spikes from different channels — what per-synapse delays do.

import { LociError } from "../../sim/errors.ts";
import { Random } from "../../sim/random.ts";
import type { DatasetSplits, SpikeDataset } from "./dataset.ts";

/** Parameters of the temporal dataset. Defaults give 8 channels, 4 classes, 48 steps. */
export interface TemporalOptions {
  /** Input channels (default 8). */
  readonly channels?: number;
  /** Classes (default 4). */
  readonly classes?: number;
  /** Steps per sample (default 48). */
  readonly steps?: number;
  /** Pattern offsets are drawn from 0..span−1 steps (default 12). */
  readonly span?: number;
  /** Each pattern spike moves by a uniform −jitter..+jitter steps (default 1). */
  readonly jitter?: number;
  /** Extra spikes per channel at random steps (default 1). */
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
    channels: 8,
    classes: 4,
    steps: 48,
    span: 12,
    jitter: 1,
    noiseSpikes: 1,
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
  int("channels", 1);
  int("classes", 2);
  int("span", 1);
  int("jitter", 0);
  int("noiseSpikes", 0);
  int("trainCount", 1);
  int("testCount", 1);
  int("seed", 0);
  if (!Number.isInteger(o.steps) || o.steps < o.span + 2 * o.jitter + 1) bad("steps", `an integer >= span + 2·jitter + 1 = ${o.span + 2 * o.jitter + 1}`);
  if (o.noiseSpikes + 1 > o.steps) bad("noiseSpikes", "at most steps − 1");
  return o;
}

/** The class patterns: `pattern[k][c]` is the offset (steps) at which channel c fires in class k. */
export function temporalPatterns(options: TemporalOptions = {}): number[][] {
  const o = resolveTemporalOptions(options);
  const rng = new Random(o.seed * 2 + 1);
  const patterns: number[][] = [];
  const seen = new Set<string>();
  while (patterns.length < o.classes) {
    const p = Array.from({ length: o.channels }, () => rng.nextInt(o.span));
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
  const room = o.steps - (o.span - 1) - 2 * o.jitter; // choices of the start t0
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
