// SPDX-License-Identifier: Apache-2.0
// Co-simulation cases: random networks drawn from a seed (sizes, fan-outs, delays, parameters,
// STDP on/off, activity, record windows, run lengths, stream throttling all at random), and the
// edge-case suite (saturation, every delay slot, maximum fan-out and fan-in, full capacity,
// refractory periods, STDP at both clip limits, no input, back-to-back runs, learning toggled).

import { LEARNING_OFF, NetworkBuilder, type LearningSettings, type Network, type NeuronParams } from "../../sim/network.ts";
import { Random } from "../../sim/random.ts";
import { RANGES, UP5K_CAPACITY } from "../../sim/spec.ts";
import type { CosimAction, CosimCase } from "../../sim/vectors.ts";

const CAP = UP5K_CAPACITY;

/** Pick one of the values. */
function pick<T>(rng: Random, values: readonly T[]): T {
  return values[rng.nextInt(values.length)];
}

/** An integer drawn log-uniformly from [1, max] (small values as likely as large decades). */
function logInt(rng: Random, max: number): number {
  return Math.max(1, Math.min(max, Math.floor(2 ** (rng.nextFloat() * Math.log2(max + 1)))));
}

function randomNeuron(rng: Random): NeuronParams {
  return {
    threshold: logInt(rng, pick(rng, [32, 256, 2048, RANGES.threshold.max])),
    tauMemShift: rng.nextInt(4) === 0 ? 15 : rng.intBetween(0, 15),
    tauSynShift: rng.nextInt(4) === 0 ? 15 : rng.intBetween(0, 15),
    refractoryPeriod: rng.nextInt(2) === 0 ? 0 : rng.intBetween(0, 15),
    weightShift: rng.nextInt(3) === 0 ? 0 : rng.intBetween(0, 7),
    resetMode: rng.nextInt(2) === 0 ? "zero" : "subtract",
  };
}

function randomLearning(rng: Random, enabled: boolean): LearningSettings {
  const a = rng.intBetween(-128, 127);
  const b = rng.intBetween(-128, 127);
  return {
    enabled,
    tauTraceShift: rng.intBetween(0, 15),
    traceIncrement: rng.intBetween(0, 255),
    aPlus: rng.intBetween(0, 255),
    aMinus: rng.intBetween(0, 255),
    learnShift: rng.intBetween(0, 15),
    wMin: Math.min(a, b),
    wMax: Math.max(a, b),
  };
}

/** Distinct axons, each spiking with probability `rate`. */
function randomInputs(rng: Random, numAxons: number, rate: number): number[] {
  const out: number[] = [];
  if (rate <= 0) return out;
  for (let a = 0; a < numAxons; a++) if (rng.nextFloat() < rate) out.push(a);
  // The order of events inside a step must not change any result: shuffle it.
  return rng.shuffle(out);
}

/**
 * A random case from `seed`: a network of random size and shape, and a script of several runs
 * (single steps with a state dump after each, and longer throttled runs), learning toggled and
 * resets at random, ending with weights, ring and counters.
 */
export function randomCase(seed: number): CosimCase {
  const rng = new Random(seed);
  const numNeurons = pick(rng, [() => rng.intBetween(1, 16), () => rng.intBetween(17, 96), () => rng.intBetween(97, CAP.neurons)])();
  const numAxons = rng.nextInt(10) === 0 ? 0 : pick(rng, [() => rng.intBetween(1, 32), () => rng.intBetween(33, 256), () => rng.intBetween(257, CAP.axons)])();
  const maxFanOut = pick(rng, [2, 8, 32, 128, 512]);
  const plasticRate = pick(rng, [0, 0.3, 1]);
  // Local targets make ring entries collide (forwarding), uniform ones spread the load.
  const local = rng.nextInt(2) === 0;
  const b = new NetworkBuilder(numAxons, CAP);
  for (let j = 0; j < numNeurons; j++) b.addNeuron(randomNeuron(rng));
  const budget = Math.min(CAP.synapses, CAP.maxFanIn * numNeurons);
  const sources = numAxons + numNeurons;
  let used = 0;
  const fanIn = new Int32Array(numNeurons);
  const positiveBias = rng.nextInt(3) === 0;
  for (let s = 0; s < sources && used < budget; s++) {
    const fanOut = Math.min(budget - used, rng.nextInt(maxFanOut + 1));
    const from = s < numAxons ? { axon: s } : { neuron: s - numAxons };
    const centre = rng.nextInt(numNeurons);
    const sharedDelay = rng.intBetween(1, 16);
    for (let k = 0; k < fanOut; k++) {
      let to = local ? (centre + rng.nextInt(Math.min(4, numNeurons))) % numNeurons : rng.nextInt(numNeurons);
      // A full target (maxFanIn synapses) passes the synapse on to the next neuron with room.
      while (fanIn[to] >= CAP.maxFanIn) to = (to + 1) % numNeurons;
      fanIn[to]++;
      const weight = positiveBias ? rng.intBetween(-32, 127) : rng.intBetween(-128, 127);
      const delay = rng.nextInt(3) === 0 ? sharedDelay : rng.intBetween(1, 16);
      b.addSynapse({ from, to, weight, delay, plastic: rng.nextFloat() < plasticRate });
    }
    used += fanOut;
  }
  const learnAtStart = rng.nextInt(2) === 0;
  b.setLearning(randomLearning(rng, learnAtStart));
  const recordBase = rng.nextInt(3) === 0 ? rng.intBetween(0, numNeurons) : 0;
  b.setRecord({ base: recordBase, count: rng.nextInt(3) === 0 ? rng.intBetween(0, numNeurons - recordBase) : numNeurons - recordBase });
  const network = b.build({ file: `random case ${seed}` });

  const actions: CosimAction[] = [];
  const rate = rng.nextInt(10) === 0 ? 0 : pick(rng, [0.02, 0.05, 0.2, 0.5, 0.9]);
  let learning = network.learning;
  const runs = rng.intBetween(2, 5);
  for (let r = 0; r < runs; r++) {
    if (r > 0 && rng.nextInt(4) === 0) {
      learning = rng.nextInt(2) === 0 ? { ...learning, enabled: !learning.enabled } : randomLearning(rng, rng.nextInt(2) === 0);
      actions.push({ kind: "learning", settings: learning });
    }
    if (r > 0 && rng.nextInt(8) === 0) actions.push({ kind: "reset" });
    if (rng.nextInt(2) === 0) {
      // Step by step, a state dump after each step.
      for (let s = rng.intBetween(2, 6); s > 0; s--) {
        actions.push({ kind: "run", inputs: [randomInputs(rng, numAxons, rate)] }, { kind: "dump" });
      }
    } else {
      // One longer run with throttled streams (stalls), then a dump.
      const steps = rng.intBetween(2, 24);
      const inputs = Array.from({ length: steps }, () => randomInputs(rng, numAxons, rate));
      actions.push({ kind: "run", inputs, jitter: rng.nextInt(2) === 0 ? 0 : rng.intBetween(1, 1_000_000) }, { kind: "dump" });
    }
  }
  actions.push({ kind: "weights" }, { kind: "ring" }, { kind: "counters" });
  return { name: `random-${seed}`, network, actions };
}

/** `count` random cases from seeds `seed`, `seed + 1`, ... */
export function randomCases(count: number, seed: number): CosimCase[] {
  return Array.from({ length: count }, (_, k) => randomCase((seed + k) >>> 0));
}

// ------------------------------------------------------------------------------------------
// Edge cases.

const DRIVE: Partial<NeuronParams> = { threshold: 32767, tauMemShift: 15, tauSynShift: 15, refractoryPeriod: 0, weightShift: 7 };

function steps(count: number, inputs: (t: number) => number[], dumpEach = true): CosimAction[] {
  const out: CosimAction[] = [];
  for (let t = 0; t < count; t++) {
    out.push({ kind: "run", inputs: [inputs(t)] });
    if (dumpEach) out.push({ kind: "dump" });
  }
  return out;
}

const TAIL: readonly CosimAction[] = [{ kind: "weights" }, { kind: "ring" }, { kind: "counters" }];

/** Saturation of current and membrane at both rails, and the ring at its 20-bit limits. */
function saturationCase(): CosimCase {
  const b = new NetworkBuilder(8, CAP);
  b.addNeuron(DRIVE); // driven up: current and membrane saturate at +32767
  b.addNeuron({ ...DRIVE, threshold: 1 }); // driven down: both saturate at -32768
  b.addNeuron({ ...DRIVE, weightShift: 0, tauSynShift: 0 }); // 4096 x +127 in one ring entry
  b.addNeuron({ ...DRIVE, weightShift: 0, tauSynShift: 0 }); // 4096 x -128: the ring's minimum
  // v + i saturates at +32767 every step, then the subtract reset leaves 32766.
  b.addNeuron({ ...DRIVE, threshold: 1, resetMode: "subtract" });
  for (let a = 0; a < 8; a++) {
    b.addSynapse({ from: { axon: a }, to: 0, weight: 127, delay: 1 });
    b.addSynapse({ from: { axon: a }, to: 4, weight: 127, delay: 1 });
    b.addSynapse({ from: { axon: a }, to: 1, weight: -128, delay: 1 });
    for (let k = 0; k < 512; k++) {
      b.addSynapse({ from: { axon: a }, to: 2, weight: 127, delay: 3 });
      b.addSynapse({ from: { axon: a }, to: 3, weight: -128, delay: 3 });
    }
  }
  const all = [0, 1, 2, 3, 4, 5, 6, 7];
  return { name: "edge-saturation", network: b.build(), actions: [...steps(3, () => all), { kind: "ring" }, ...steps(4, () => []), ...TAIL] };
}

/** One synapse per delay 1..16 from one axon, runs longer than the ring, the ring dumped. */
function delaySlotsCase(): CosimCase {
  const b = new NetworkBuilder(2, CAP);
  b.addNeuron({ threshold: 32767, tauMemShift: 15, tauSynShift: 0, weightShift: 0 });
  b.addNeuron({ threshold: 200, tauMemShift: 2, tauSynShift: 1, weightShift: 1 });
  for (let d = 1; d <= 16; d++) {
    b.addSynapse({ from: { axon: 0 }, to: 0, weight: d, delay: d });
    b.addSynapse({ from: { axon: 1 }, to: 1, weight: 17 - d, delay: d });
  }
  b.addSynapse({ from: { neuron: 1 }, to: 1, weight: -40, delay: 16 });
  const actions: CosimAction[] = [];
  for (let t = 0; t < 40; t++) {
    actions.push({ kind: "run", inputs: [t % 7 === 0 ? [0, 1] : t % 3 === 0 ? [1] : []] }, { kind: "dump" }, { kind: "ring" });
  }
  return { name: "edge-delay-slots", network: b.build(), actions: [...actions, ...TAIL] };
}

/** One axon with all 16,384 synapses (maximum fan-out), plastic, with learning on. */
function maxFanOutCase(): CosimCase {
  const b = new NetworkBuilder(4, CAP);
  b.addNeurons(CAP.neurons, { threshold: 900, tauMemShift: 3, tauSynShift: 1, refractoryPeriod: 2 });
  for (let k = 0; k < CAP.synapses; k++) {
    b.addSynapse({ from: { axon: 0 }, to: k % CAP.neurons, weight: ((k * 37) % 256) - 128, delay: 1 + (k % 16), plastic: k % 3 !== 0 });
  }
  b.setLearning({ enabled: true, tauTraceShift: 2, traceIncrement: 80, aPlus: 30, aMinus: 20, learnShift: 4, wMin: -100, wMax: 100 });
  return { name: "edge-max-fan-out", network: b.build(), actions: [...steps(6, (t) => (t % 2 === 0 ? [0] : [])), ...TAIL] };
}

/** Full capacity: 256 neurons, 1024 axons, 16,384 synapses, learning on, heavy activity. */
function fullCapacityCase(): CosimCase {
  const rng = new Random(0x10c1);
  const b = new NetworkBuilder(CAP.axons, CAP);
  for (let j = 0; j < CAP.neurons; j++) b.addNeuron({ ...randomNeuron(rng), threshold: rng.intBetween(50, 3000) });
  const sources = CAP.axons + CAP.neurons;
  for (let k = 0; k < CAP.synapses; k++) {
    const s = Math.floor((k * sources) / CAP.synapses);
    const from = s < CAP.axons ? { axon: s } : { neuron: s - CAP.axons };
    b.addSynapse({ from, to: rng.nextInt(CAP.neurons), weight: rng.intBetween(-60, 127), delay: rng.intBetween(1, 16), plastic: rng.nextInt(2) === 0 });
  }
  b.setLearning({ enabled: true, tauTraceShift: 3, traceIncrement: 60, aPlus: 40, aMinus: 35, learnShift: 5, wMin: -128, wMax: 127 });
  const inputs = (): number[] => randomInputs(rng, CAP.axons, 0.1);
  return {
    name: "edge-full-capacity",
    network: b.build(),
    actions: [...steps(4, inputs), { kind: "run", inputs: Array.from({ length: 6 }, inputs), jitter: 7 }, { kind: "dump" }, ...TAIL],
  };
}

/** Refractory periods 0..15 under constant strong drive, both reset modes. */
function refractoryCase(): CosimCase {
  const b = new NetworkBuilder(1, CAP);
  for (let r = 0; r <= 15; r++) {
    b.addNeuron({ threshold: 50, tauMemShift: 15, tauSynShift: 15, refractoryPeriod: r, resetMode: r % 2 === 0 ? "zero" : "subtract" });
    b.addSynapse({ from: { axon: 0 }, to: r, weight: 30 + r, delay: 1 });
  }
  return { name: "edge-refractory", network: b.build(), actions: [...steps(40, (t) => (t < 3 ? [0] : [])), ...TAIL] };
}

/** STDP driving weights into both clip limits, then a pinned range (wMin = wMax). */
function stdpClipCase(): CosimCase {
  const b = new NetworkBuilder(4, CAP);
  b.addNeurons(4, { threshold: 20, tauMemShift: 1, tauSynShift: 0, weightShift: 2 });
  for (let a = 0; a < 4; a++) {
    for (let j = 0; j < 4; j++) b.addSynapse({ from: { axon: a }, to: j, weight: 10 * (a - j), delay: 1 + a, plastic: true });
  }
  for (let j = 0; j < 4; j++) b.addSynapse({ from: { neuron: j }, to: (j + 1) % 4, weight: 50, delay: 2, plastic: true });
  const up: LearningSettings = { enabled: true, tauTraceShift: 15, traceIncrement: 255, aPlus: 255, aMinus: 0, learnShift: 0, wMin: -128, wMax: 127 };
  const down: LearningSettings = { ...up, aPlus: 0, aMinus: 255 };
  const pinned: LearningSettings = { ...up, aMinus: 255, wMin: 5, wMax: 5 };
  b.setLearning(up);
  const drive = (t: number): number[] => [t % 4, (t + 1) % 4];
  return {
    name: "edge-stdp-clip",
    network: b.build(),
    actions: [
      ...steps(8, drive), { kind: "weights" },
      { kind: "learning", settings: down }, ...steps(8, drive), { kind: "weights" },
      { kind: "learning", settings: pinned }, ...steps(4, drive),
      ...TAIL,
    ],
  };
}

/** No input at all, with a recurrent network and no axons in use. */
function noInputCase(): CosimCase {
  const b = new NetworkBuilder(0, CAP);
  b.addNeurons(8, { threshold: 5 });
  for (let j = 0; j < 8; j++) b.addSynapse({ from: { neuron: j }, to: (j + 3) % 8, weight: 9, delay: 1 + j });
  return { name: "edge-no-input", network: b.build(), actions: [...steps(5, () => []), { kind: "run", inputs: [[], [], [], [], []] }, { kind: "dump" }, ...TAIL] };
}

/** Back-to-back runs without reset, learning toggled between runs, a reset in the middle. */
function backToBackCase(): CosimCase {
  const rng = new Random(0xb2b);
  const b = new NetworkBuilder(16, CAP);
  b.addNeurons(32, { threshold: 60, tauMemShift: 3, tauSynShift: 2, refractoryPeriod: 1 });
  for (let a = 0; a < 16; a++) for (let k = 0; k < 6; k++) b.addSynapse({ from: { axon: a }, to: rng.nextInt(32), weight: rng.intBetween(-20, 90), delay: rng.intBetween(1, 16), plastic: true });
  for (let j = 0; j < 32; j++) for (let k = 0; k < 3; k++) b.addSynapse({ from: { neuron: j }, to: rng.nextInt(32), weight: rng.intBetween(-40, 60), delay: rng.intBetween(1, 16), plastic: k === 0 });
  const on: LearningSettings = { enabled: true, tauTraceShift: 2, traceIncrement: 100, aPlus: 60, aMinus: 50, learnShift: 6, wMin: -90, wMax: 110 };
  b.setLearning(LEARNING_OFF);
  const burst = (n: number): number[][] => Array.from({ length: n }, () => randomInputs(rng, 16, 0.3));
  return {
    name: "edge-back-to-back",
    network: b.build(),
    actions: [
      { kind: "run", inputs: burst(5) }, { kind: "run", inputs: burst(3), jitter: 11 }, { kind: "dump" },
      { kind: "learning", settings: on }, { kind: "run", inputs: burst(6) }, { kind: "run", inputs: burst(1) }, { kind: "dump" },
      { kind: "learning", settings: { ...on, enabled: false } }, { kind: "run", inputs: burst(4) }, { kind: "dump" }, { kind: "weights" },
      { kind: "reset" }, { kind: "learning", settings: on }, { kind: "run", inputs: burst(7), jitter: 5 }, { kind: "dump" },
      ...TAIL,
    ],
  };
}

/** Consecutive synapses into the same ring entry (forwarding), plastic and not, with learning. */
function forwardingCase(): CosimCase {
  const b = new NetworkBuilder(3, CAP);
  b.addNeurons(3, { threshold: 400, tauMemShift: 4, tauSynShift: 1 });
  const pattern = [false, false, true, true, false, true, false, false, false, true, true, true];
  for (let a = 0; a < 3; a++) {
    pattern.forEach((plastic, k) => b.addSynapse({ from: { axon: a }, to: a === 2 ? k % 2 : 0, weight: 5 + k, delay: 2, plastic }));
  }
  b.setLearning({ enabled: true, tauTraceShift: 1, traceIncrement: 120, aPlus: 9, aMinus: 7, learnShift: 1, wMin: -128, wMax: 127 });
  return { name: "edge-forwarding", network: b.build(), actions: [...steps(10, (t) => (t % 3 === 2 ? [] : [0, 1, 2].slice(0, 1 + (t % 3)))), ...TAIL] };
}

/** Record windows: empty, one neuron at the end, and a neuron with no fan-out spiking. */
function recordWindowCase(): CosimCase {
  const make = (base: number, count: number): Network => {
    const b = new NetworkBuilder(2, CAP);
    b.addNeurons(6, { threshold: 3, tauSynShift: 0 });
    for (let j = 0; j < 6; j++) b.addSynapse({ from: { axon: j % 2 }, to: j, weight: 4, delay: 1 });
    b.setRecord({ base, count });
    return b.build();
  };
  return { name: "edge-record-window", network: make(5, 1), actions: [...steps(4, () => [0, 1]), ...TAIL] };
}

/** The edge-case suite. */
export function edgeCases(): CosimCase[] {
  return [
    saturationCase(),
    delaySlotsCase(),
    maxFanOutCase(),
    fullCapacityCase(),
    refractoryCase(),
    stdpClipCase(),
    noInputCase(),
    backToBackCase(),
    forwardingCase(),
    recordWindowCase(),
  ];
}
