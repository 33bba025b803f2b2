// SPDX-License-Identifier: Apache-2.0
// How closely two runs of the same network agree (float reference vs. bit-exact simulator): spike
// matching within a time tolerance, per-neuron spike-count correlation, and readout agreement.

/** Spikes of one run: `steps[t]` lists the neurons that spiked at step t. */
export type SpikeTrain = readonly ArrayLike<number>[];

/** Agreement between a reference run and a test run. */
export interface SpikeAgreement {
  readonly referenceSpikes: number;
  readonly testSpikes: number;
  /** Spikes paired one-to-one, same neuron, |Δt| ≤ tolerance. */
  readonly matched: number;
  /** matched / referenceSpikes (1 when both are empty). */
  readonly recall: number;
  /** matched / testSpikes (1 when both are empty). */
  readonly precision: number;
  /** Pearson correlation of per-neuron spike counts (1 when both are constant and equal). */
  readonly countCorrelation: number;
}

/** Spike times of each neuron, ascending. */
function timesByNeuron(train: SpikeTrain, numNeurons: number): number[][] {
  const times: number[][] = Array.from({ length: numNeurons }, () => []);
  train.forEach((list, t) => {
    for (let k = 0; k < list.length; k++) times[list[k]].push(t);
  });
  return times;
}

/** Greedy one-to-one matching of two ascending time lists within `tolerance` steps. */
function matchTimes(a: readonly number[], b: readonly number[], tolerance: number): number {
  let i = 0;
  let j = 0;
  let matched = 0;
  while (i < a.length && j < b.length) {
    if (Math.abs(a[i] - b[j]) <= tolerance) {
      matched++;
      i++;
      j++;
    } else if (a[i] < b[j]) {
      i++;
    } else {
      j++;
    }
  }
  return matched;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return sxx === syy && x.every((v, k) => v === y[k]) ? 1 : 0;
  return sxy / Math.sqrt(sxx * syy);
}

/** Compare two spike trains of `numNeurons` neurons; spikes match when |Δt| ≤ `toleranceSteps` (default 1). */
export function compareSpikeTrains(reference: SpikeTrain, test: SpikeTrain, numNeurons: number, toleranceSteps = 1): SpikeAgreement {
  const a = timesByNeuron(reference, numNeurons);
  const b = timesByNeuron(test, numNeurons);
  let matched = 0;
  for (let j = 0; j < numNeurons; j++) matched += matchTimes(a[j], b[j], toleranceSteps);
  const referenceSpikes = a.reduce((s, l) => s + l.length, 0);
  const testSpikes = b.reduce((s, l) => s + l.length, 0);
  return {
    referenceSpikes,
    testSpikes,
    matched,
    recall: referenceSpikes === 0 ? (testSpikes === 0 ? 1 : 0) : matched / referenceSpikes,
    precision: testSpikes === 0 ? (referenceSpikes === 0 ? 1 : 0) : matched / testSpikes,
    countCorrelation: pearson(a.map((l) => l.length), b.map((l) => l.length)),
  };
}

/** Class of a readout by spike count over neurons `[first, first + size)`: most spikes, ties → lowest index. */
export function spikeCountClass(train: SpikeTrain, first: number, size: number): number {
  const counts = new Int32Array(size);
  for (const list of train) for (let k = 0; k < list.length; k++) if (list[k] >= first && list[k] < first + size) counts[list[k] - first]++;
  let best = 0;
  for (let c = 1; c < size; c++) if (counts[c] > counts[best]) best = c;
  return best;
}
