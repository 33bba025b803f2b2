// SPDX-License-Identifier: Apache-2.0
// The golden model: a bit-exact, cycle-exact simulator of the Loci core. Every rule here is
// written in docs/core-spec.md; the Verilog core must produce the same state at every step
// boundary and the same cycle count for every step.
//
// Speed without changing a result (a naive reference, sim/reference-model.ts, is held equal to
// this simulator on every step by the property tests):
// - Sparse mode: while few neurons are busy, phase A visits only listed neurons; a neuron whose
//   state is all zero and whose ring is empty is at a fixed point of the update and is skipped.
//   The cycle count still charges every neuron, as the RTL scans them all.
// - Dense mode: while many are busy, phase A scans every neuron in order, and without learning it
//   runs in a WebAssembly SIMD kernel (sim/kernels.ts), four neurons per instruction; phase C
//   delivery runs in the same module. The switch between modes is bookkeeping only.
// - Each synapse is one packed word (weight, target, delay slot) for delivery.

import { LociError, RangeValueError } from "./errors.ts";
import { checkInt, type Where } from "./validate.ts";
import { CYCLES, DELAY_SLOTS, RANGES, TAU_NO_DECAY, deriveWidths, type Capacity } from "./spec.ts";
import { indexMemories, type CoreIndex } from "./fanout.ts";
import { CoreKernels } from "./kernels.ts";
import { learningDelta } from "./fixed.ts";
import { decodeLearning, encodeLearning, layoutMemories, type CoreMemories } from "./memory-layout.ts";
import type { LearningSettings, Network } from "./network.ts";
import { checkCapacity, checkLearning, checkNeuronParams } from "./network.ts";
import { InputSchedule, scheduleStimulus, type Stimulus } from "./stimulus.ts";
import { decodeNeuronParams } from "./words.ts";

/** What one timestep produced. */
export interface StepResult {
  /** Absolute step index (the core's step counter before the step). */
  readonly step: number;
  /** Neurons that spiked, ascending. */
  readonly spikes: Int32Array;
  /** Clock cycles the RTL spends on this step (stalls excluded). */
  readonly cycles: number;
}

/** A copy of every piece of dynamic state of the core at a step boundary. */
export interface CoreState {
  /** Steps completed since reset (the step counter). */
  readonly step: number;
  readonly membrane: Int32Array;
  readonly current: Int32Array;
  readonly refractory: Int32Array;
  /** Traces of neurons (index j). */
  readonly neuronTrace: Int32Array;
  /** Traces of axons (index a, axons in use only). */
  readonly axonTrace: Int32Array;
  /** Weights in memory order (changed by STDP). */
  readonly weights: Int8Array;
  /** Pending ring contributions, `ring[j * 16 + slot]` (slot = arrival step mod 16). */
  readonly ring: Int32Array;
}

/** Running totals since reset. */
export interface Counters {
  /** Steps run. */
  readonly steps: number;
  /** Clock cycles of those steps (the cycle model; stalls excluded). */
  readonly cycles: number;
  /** Spikes of all neurons. */
  readonly spikes: number;
  /** Spikes of neurons inside the record window: the output events the board sends. */
  readonly outputEvents: number;
  /** Input events delivered. */
  readonly inputEvents: number;
  /** Synapses delivered in phase C (one per synapse of every spiking source). */
  readonly synapticEvents: number;
}

/** Options of `Simulator.run`. */
export interface RunOptions {
  /** Called after every step with that step's result (slows long runs; optional). */
  readonly onStep?: (result: StepResult, sim: Simulator) => void;
  /** Called every `progressEvery` steps and at the end with (steps done, steps total). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Steps between `onProgress` calls (default 4096). */
  readonly progressEvery?: number;
}

/** What `Simulator.run` produced: spikes and cycles of every step, and totals. */
export class RunResult {
  constructor(
    /** Step counter value at the first step of the run. */
    readonly firstStep: number,
    /** Steps run. */
    readonly steps: number,
    /** `steps + 1` offsets: spikes of run step k are `spikeNeurons[spikeOffsets[k] .. spikeOffsets[k+1]-1]`. */
    readonly spikeOffsets: Int32Array,
    /** Spiking neurons, step by step, ascending within a step. */
    readonly spikeNeurons: Int32Array,
    /** Clock cycles of each step. */
    readonly cycles: Float64Array,
    /** Totals over this run only. */
    readonly totals: Omit<Counters, "steps">,
  ) {}

  /** Neurons that spiked at run step k (0 = first step of this run), ascending. */
  spikesAt(k: number): Int32Array {
    return this.spikeNeurons.subarray(this.spikeOffsets[k], this.spikeOffsets[k + 1]);
  }
}

// Module-local copies: imported bindings may compile to getters, too slow for the inner loops.
const SLOT_MASK = DELAY_SLOTS - 1;
const SLOT_BITS = Math.log2(DELAY_SLOTS);
/** Bits 23:4 of a packed synapse word: target << SLOT_BITS, the neuron's ring row. */
const ROW_MASK = 0xffffff & ~SLOT_MASK;
const DELAY_SLOTS_LOCAL = DELAY_SLOTS;
const TRACE_MAX = RANGES.trace.max;
const NO_DECAY = TAU_NO_DECAY;
const C = { ...CYCLES };
// Bit positions in the neuron parameter word; a test checks them against NEURON_PARAM_FIELDS.
const P_TAU_MEM = 16;
const P_TAU_SYN = 20;
const P_REFRACTORY = 24;
const P_WEIGHT_SHIFT = 28;
/** Outcome bits of `updateNeuron`. */
const SPIKED = 1;
const AT_REST = 2;
/** The bit positions and masks phase A decodes the parameter word with (tested against NEURON_PARAM_FIELDS). */
export const PHASE_A_PARAM_LAYOUT = Object.freeze({
  threshold: { lsb: 0, mask: 0xffff },
  tauMemShift: { lsb: P_TAU_MEM, mask: 15 },
  tauSynShift: { lsb: P_TAU_SYN, mask: 15 },
  refractoryPeriod: { lsb: P_REFRACTORY, mask: 15 },
  weightShift: { lsb: P_WEIGHT_SHIFT, mask: 7 },
  resetMode: { lsb: 31, mask: 1 },
});

/** Simulates one network on one core. */
export class Simulator {
  /** The memory image the simulator runs (weights in it are the loaded ones, not learned). */
  readonly memories: CoreMemories;
  readonly capacity: Capacity;
  readonly numNeurons: number;
  readonly numAxons: number;
  /** Unpacked synapses and pointer tables. */
  readonly index: CoreIndex;

  // Parameters, unpacked for the inner loops.
  /** The neuron parameter words, as the core stores them (see `encodeNeuronParams`). */
  private readonly params: Int32Array;
  private learningSettings: LearningSettings;

  // State. Membrane, current, refractory count, ring, delivery words and spike list live in the
  // memory of the WebAssembly kernels (sim/kernels.ts); these are views of it.
  private readonly kernels: CoreKernels;
  private readonly vmem: Int32Array;
  private readonly cur: Int32Array;
  private readonly ref: Int32Array;
  private readonly ntrace: Int32Array;
  private readonly atrace: Int32Array;
  private readonly weight: Int32Array;
  /**
   * One word per synapse for delivery: weight (bits 31:24, signed), target (23:4), delay mod 16
   * (3:0). Neuron indices are below 2^20 (CAPACITY_LIMITS), so the target fits. Kept in step
   * with `weight` by every write (`writeWeights`, learning).
   */
  private readonly packed: Int32Array;
  private readonly ring: Int32Array;
  private t = 0;
  private lastCycles = 0;

  // Activity bookkeeping (no effect on results).
  private readonly listed: Uint8Array; // 1 = in the active list
  private active: Int32Array;
  private activeCount = 0;
  /** Dense mode: phase A scans every neuron; sparse mode: only the listed ones. */
  private dense = false;
  /** Neurons with non-zero registers after the last dense phase A. */
  private busyCount = 0;
  private modeCheckAt = 0;
  private modeBackoff = 16;
  private nextActive: Int32Array;
  private readonly activeAxons: Int32Array;
  private activeAxonCount = 0;
  private readonly axonListed: Uint8Array;
  private readonly spikeBuf: Int32Array;
  private readonly inputSeen: Float64Array;
  private inputStamp = 0;

  private readonly recordBase: number;
  private readonly recordEnd: number;
  private totals = { steps: 0, cycles: 0, spikes: 0, outputEvents: 0, inputEvents: 0, synapticEvents: 0 };

  /**
   * Load a network (validated) or a memory image (checked by `indexMemories`); state starts as
   * after a reset.
   */
  constructor(source: Network | CoreMemories, where: Where = {}) {
    const mem = "synapseLow" in source ? source : layoutMemories(source);
    this.memories = mem;
    this.capacity = checkCapacity(mem.capacity, where); // neuron indices < 2^20: `packed` relies on it
    const cfg = mem.config;
    const n = checkInt("config.numNeurons", cfg.numNeurons, { min: 1, max: this.capacity.neurons }, where);
    const a = checkInt("config.numAxons", cfg.numAxons, { min: 0, max: this.capacity.axons }, where);
    checkInt("params.length", mem.params.length, { min: n, max: this.capacity.neurons }, where);
    checkInt("config.recordBase", cfg.recordBase, { min: 0, max: n }, where);
    checkInt("config.recordCount", cfg.recordCount, { min: 0, max: n - cfg.recordBase }, where);
    this.numNeurons = n;
    this.numAxons = a;
    this.index = indexMemories(mem, where);
    this.params = mem.params.slice(0, n);
    this.params.forEach((word, j) => checkNeuronParams(`params[${j}]`, decodeNeuronParams(word), where));
    this.learningSettings = checkLearning("learning", decodeLearning(mem.config.learning), where);
    this.recordBase = mem.config.recordBase;
    this.recordEnd = mem.config.recordBase + mem.config.recordCount;

    const { target, delay, fwdBase, fwdCount } = this.index;
    const sources = this.capacity.axons + this.capacity.neurons;
    const decoded = Array.from(this.params, (word) => {
      const p = decodeNeuronParams(word);
      return { ...p, subtract: p.resetMode === "subtract" };
    });
    this.kernels = new CoreKernels(decoded, target.length, sources, a);
    const k = this.kernels;
    this.vmem = k.membrane;
    this.cur = k.current;
    this.ref = k.refractory;
    this.ring = k.ring;
    this.packed = k.packed;
    this.spikeBuf = k.spikes;
    k.fwdBase.set(fwdBase);
    k.fwdCount.set(fwdCount);
    this.ntrace = new Int32Array(n);
    this.atrace = new Int32Array(a);
    this.weight = this.index.weight.slice();
    for (let s = 0; s < target.length; s++) this.packed[s] = (this.weight[s] << 24) | (target[s] << SLOT_BITS) | (delay[s] & SLOT_MASK);

    this.listed = new Uint8Array(n);
    this.active = new Int32Array(n);
    this.nextActive = new Int32Array(n);
    this.activeAxons = new Int32Array(a);
    this.axonListed = new Uint8Array(a);
    this.inputSeen = new Float64Array(a).fill(-1);
  }

  /** The step counter: steps completed since reset (wraps at 2^32). */
  get step(): number {
    return this.t;
  }

  /**
   * How phase A finds its neurons (bookkeeping only, never a result): "dense" scans all of
   * them, "sparse" only those with non-zero state or pending input.
   */
  get scanMode(): "dense" | "sparse" {
    return this.dense ? "dense" : "sparse";
  }

  /** Learning settings in force. */
  get learning(): LearningSettings {
    return this.learningSettings;
  }

  /** Change the learning settings between steps (as the host may on the board). */
  setLearning(settings: Partial<LearningSettings>): void {
    const next = checkLearning("learning", { ...this.learningSettings, ...settings });
    const wasEnabled = this.learningSettings.enabled;
    this.learningSettings = next;
    if (next.enabled && !wasEnabled) this.rebuildActivity();
  }

  /** Clear all dynamic state and the step counter; weights keep their learned values. */
  reset(): void {
    this.vmem.fill(0);
    this.cur.fill(0);
    this.ref.fill(0);
    this.ntrace.fill(0);
    this.atrace.fill(0);
    this.ring.fill(0);
    this.t = 0;
    this.totals = { steps: 0, cycles: 0, spikes: 0, outputEvents: 0, inputEvents: 0, synapticEvents: 0 };
    this.rebuildActivity();
  }

  /** Set every weight (memory order), keeping the packed delivery words in step. */
  private writeWeights(weights: ArrayLike<number>): void {
    const { weight, packed } = this;
    for (let k = 0; k < weight.length; k++) {
      weight[k] = weights[k];
      packed[k] = (packed[k] & 0xffffff) | (weights[k] << 24);
    }
  }

  /** Restore the weights the memory image was loaded with. */
  restoreWeights(): void {
    this.writeWeights(this.index.weight);
  }

  /** The learning settings register as the core holds it. */
  learningWord(): bigint {
    return encodeLearning({ learning: this.learningSettings });
  }

  /**
   * Load dynamic state (as `snapshot()` returns it): used to continue a run on another
   * simulator instance, or to mirror state read back from a board. Checks every range.
   */
  restore(state: CoreState): void {
    const n = this.numNeurons;
    const lengths: [string, ArrayLike<number>, number][] = [
      ["membrane", state.membrane, n], ["current", state.current, n], ["refractory", state.refractory, n],
      ["neuronTrace", state.neuronTrace, n], ["axonTrace", state.axonTrace, this.numAxons],
      ["weights", state.weights, this.weight.length], ["ring", state.ring, n * DELAY_SLOTS],
    ];
    for (const [name, arr, len] of lengths) {
      if (arr.length !== len) throw new RangeValueError(`state.${name}.length`, arr.length, String(len));
    }
    const ringMax = 2 ** (deriveWidths(this.capacity).ring - 1);
    const check = (name: string, arr: ArrayLike<number>, min: number, max: number): void => {
      for (let k = 0; k < arr.length; k++) {
        if (!Number.isInteger(arr[k]) || arr[k] < min || arr[k] > max) throw new RangeValueError(`state.${name}[${k}]`, arr[k], `${min}..${max}`);
      }
    };
    check("membrane", state.membrane, RANGES.membrane.min, RANGES.membrane.max);
    check("current", state.current, RANGES.current.min, RANGES.current.max);
    check("refractory", state.refractory, 0, RANGES.refractoryPeriod.max);
    check("neuronTrace", state.neuronTrace, 0, TRACE_MAX);
    check("axonTrace", state.axonTrace, 0, TRACE_MAX);
    check("ring", state.ring, -ringMax, ringMax - 1);
    check("step", [state.step], 0, 2 ** 32 - 1);
    check("weights", state.weights, RANGES.weight.min, RANGES.weight.max);
    this.vmem.set(state.membrane);
    this.cur.set(state.current);
    this.ref.set(state.refractory);
    this.ntrace.set(state.neuronTrace);
    this.atrace.set(state.axonTrace);
    this.writeWeights(state.weights);
    this.ring.set(state.ring);
    this.t = state.step;
    this.rebuildActivity();
  }

  /**
   * Run one timestep with the given input axons spiking at this step. Inputs must be distinct
   * axons in use; the order of inputs does not change any result.
   */
  stepOnce(inputs: ArrayLike<number> = []): StepResult {
    this.checkInputs(inputs);
    const t = this.t;
    const count = this.advance(inputs, 0, inputs.length);
    return { step: t, spikes: this.spikeBuf.slice(0, count), cycles: this.lastCycles };
  }

  /**
   * Run `steps` timesteps (default: the stimulus length) with a stimulus whose step 0 is the
   * current step. Steps past the end of the stimulus get no input. The whole stimulus is checked
   * before the first step runs, so a bad stimulus changes nothing.
   */
  run(stimulus: Stimulus | InputSchedule, steps: number = stimulus.steps, options: RunOptions = {}): RunResult {
    checkInt("steps", steps, { min: 0, max: 2 ** 31 - 1 });
    const schedule = stimulus instanceof InputSchedule ? this.checkSchedule(stimulus) : scheduleStimulus(stimulus, this.numAxons);
    const { offsets, axons } = schedule;
    const { onStep, onProgress } = options;
    const progressEvery = options.progressEvery ?? 4096;
    const firstStep = this.t;
    const before = this.counters();
    const spikeOffsets = new Int32Array(steps + 1);
    let spikeNeurons = new Int32Array(Math.max(16, Math.min(steps * 4, 1 << 20)));
    const cycles = new Float64Array(steps);
    let stored = 0;
    const spikes = this.spikeBuf;
    const inputSteps = schedule.steps;
    for (let k = 0; k < steps; k++) {
      const t = this.t;
      const count = k < inputSteps ? this.advance(axons, offsets[k], offsets[k + 1]) : this.advance(axons, 0, 0);
      if (stored + count > spikeNeurons.length) {
        const grown = new Int32Array(Math.max(spikeNeurons.length * 2, stored + count));
        grown.set(spikeNeurons);
        spikeNeurons = grown;
      }
      for (let s = 0; s < count; s++) spikeNeurons[stored + s] = spikes[s];
      stored += count;
      spikeOffsets[k + 1] = stored;
      cycles[k] = this.lastCycles;
      if (onStep !== undefined) onStep({ step: t, spikes: spikes.slice(0, count), cycles: this.lastCycles }, this);
      if (onProgress !== undefined && ((k + 1) % progressEvery === 0 || k + 1 === steps)) onProgress(k + 1, steps);
    }
    const after = this.totals;
    return new RunResult(firstStep, steps, spikeOffsets, spikeNeurons.slice(0, stored), cycles, {
      cycles: after.cycles - before.cycles,
      spikes: after.spikes - before.spikes,
      outputEvents: after.outputEvents - before.outputEvents,
      inputEvents: after.inputEvents - before.inputEvents,
      synapticEvents: after.synapticEvents - before.synapticEvents,
    });
  }

  /** A schedule made for another network: re-check its axons against this one. */
  private checkSchedule(schedule: InputSchedule): InputSchedule {
    const { offsets, axons } = schedule;
    const seen = new Int32Array(this.numAxons).fill(-1);
    for (let s = 0; s < schedule.steps; s++) {
      for (let p = offsets[s]; p < offsets[s + 1]; p++) {
        const a = axons[p];
        if (!(a >= 0 && a < this.numAxons) || seen[a] === s) {
          // Re-run the full check for its precise message (names the event, value and range).
          scheduleStimulus(schedule.toStimulus(), this.numAxons);
        }
        seen[a] = s;
      }
    }
    return schedule;
  }

  /** Membrane potential of neuron j (LSBs). */
  membrane(j: number): number {
    return this.vmem[j];
  }

  /** Synaptic current of neuron j (LSBs). */
  current(j: number): number {
    return this.cur[j];
  }

  /** Remaining refractory steps of neuron j. */
  refractory(j: number): number {
    return this.ref[j];
  }

  /** STDP trace of neuron j. */
  neuronTrace(j: number): number {
    return this.ntrace[j];
  }

  /** STDP trace of axon a. */
  axonTrace(a: number): number {
    return this.atrace[a];
  }

  /** Current weights in memory order (a copy). */
  weights(): Int8Array {
    return Int8Array.from(this.weight);
  }

  /** Running totals since reset. */
  counters(): Counters {
    return { ...this.totals };
  }

  /** A full copy of the dynamic state. */
  snapshot(): CoreState {
    return {
      step: this.t,
      membrane: this.vmem.slice(),
      current: this.cur.slice(),
      refractory: this.ref.slice(),
      neuronTrace: this.ntrace.slice(),
      axonTrace: this.atrace.slice(),
      weights: this.weights(),
      ring: this.ring.slice(),
    };
  }

  /** Cycles the RTL spends on a step with these inputs and spikes (the cycle model). */
  predictCycles(inputs: ArrayLike<number>, spikes: ArrayLike<number>, learn = this.learningSettings.enabled): number {
    return this.cyclesOf(inputs, 0, inputs.length, spikes, spikes.length, learn);
  }

  /** The cycle model of docs/core-spec.md section 6, for inputs[begin..end) and spikes[0..spikeCount). */
  private cyclesOf(inputs: ArrayLike<number>, begin: number, end: number, spikes: ArrayLike<number>, spikeCount: number, learn: boolean): number {
    const { fwdCount, fwdPlastic, revCount } = this.index;
    const axons = this.capacity.axons;
    let cycles = C.STEP + C.NEURON_PHASE + this.numNeurons + C.DELIVERY_PHASE;
    for (let k = begin; k < end; k++) {
      const a = inputs[k];
      cycles += C.SOURCE_AXON + fwdCount[a] + (learn ? fwdPlastic[a] : 0);
    }
    for (let k = 0; k < spikeCount; k++) {
      const id = axons + spikes[k];
      cycles += C.SOURCE_NEURON + fwdCount[id] + (learn ? fwdPlastic[id] : 0);
    }
    if (learn) {
      cycles += C.AXON_TRACE_PHASE + this.numAxons + C.LTP_PHASE;
      for (let k = 0; k < spikeCount; k++) {
        cycles += C.LTP_NEURON + C.LTP_PER_SYNAPSE * revCount[spikes[k]];
      }
    }
    return cycles;
  }

  private checkInputs(inputs: ArrayLike<number>): void {
    // A fresh stamp per call (never reset), so a reset cannot make an old stamp look current.
    const stamp = ++this.inputStamp;
    for (let k = 0; k < inputs.length; k++) {
      const a = inputs[k];
      if (!Number.isInteger(a) || a < 0 || a >= this.numAxons) {
        throw new RangeValueError(`inputs[${k}] (step ${this.t})`, a, `axon 0..${this.numAxons - 1}`);
      }
      if (this.inputSeen[a] === stamp) {
        throw new LociError("E_RANGE", `inputs[${k}] (step ${this.t}): axon ${a} is listed twice in one step`, {
          context: { field: `inputs[${k}]`, value: a, allowed: "each axon at most once per step" },
          suggestion: "An axon spikes at most once per step; remove the duplicate event.",
        });
      }
      this.inputSeen[a] = stamp;
    }
  }

  /**
   * The step itself: phases A-D of docs/core-spec.md with the (checked) input axons
   * inputs[begin..end). Leaves the spikes, ascending, in spikeBuf[0..count) and the step's cycles
   * in lastCycles; returns the spike count.
   */
  private advance(inputs: ArrayLike<number>, begin: number, end: number): number {
    const t = this.t;
    const learn = this.learningSettings.enabled;
    const dense = this.dense;
    const kernels = this.kernels;
    let spikeCount: number;
    if (!dense) spikeCount = this.updateNeurons(t & SLOT_MASK, learn);
    else if (learn) spikeCount = this.updateAllNeurons(t & SLOT_MASK);
    else {
      spikeCount = kernels.phaseA(t & SLOT_MASK);
      this.busyCount = kernels.busy();
    }
    const spikes = this.spikeBuf;
    // The RTL emits spikes in ascending neuron order (the dense scan produces them in order).
    if (!dense && spikeCount > 1) spikes.subarray(0, spikeCount).sort();

    // Phase B: axon traces decay (learning only). Only non-zero traces can change.
    if (learn) this.decayAxonTraces();

    // Phase C: deliver input events, then neuron spikes, into the rings; depress plastic synapses.
    // Depression reads only post traces (fixed during phase C) and each synapse belongs to one
    // source, so delivering every source first and then depressing gives the same result as
    // interleaving them, and every delivered weight is the one before this step's learning.
    let events = 0;
    const { fwdBase, fwdCount } = this.index;
    const axons = this.capacity.axons;
    if (learn) for (let k = begin; k < end; k++) this.bumpAxonTrace(inputs[k]);
    if (dense) {
      const list = kernels.list;
      for (let k = begin; k < end; k++) list[k - begin] = inputs[k];
      events += kernels.deliverList(end - begin, t);
      events += kernels.deliverSpikes(spikeCount, axons, t);
    } else {
      for (let k = begin; k < end; k++) {
        const a = inputs[k];
        events += this.deliver(fwdBase[a], fwdBase[a] + fwdCount[a], t);
      }
      for (let k = 0; k < spikeCount; k++) {
        const id = axons + spikes[k];
        events += this.deliver(fwdBase[id], fwdBase[id] + fwdCount[id], t);
      }
    }
    if (learn) {
      for (let k = begin; k < end; k++) this.depress(fwdBase[inputs[k]], fwdBase[inputs[k]] + fwdCount[inputs[k]]);
      for (let k = 0; k < spikeCount; k++) this.depress(fwdBase[axons + spikes[k]], fwdBase[axons + spikes[k]] + fwdCount[axons + spikes[k]]);
    }
    let recorded = 0;
    const recordBase = this.recordBase;
    const recordEnd = this.recordEnd;
    for (let k = 0; k < spikeCount; k++) {
      const j = spikes[k];
      if (j >= recordBase && j < recordEnd) recorded++;
    }

    // Phase D: potentiate the plastic synapses into every neuron that spiked (learning only).
    if (learn) this.potentiate(spikes, spikeCount);

    const cycles = this.cyclesOf(inputs, begin, end, spikes, spikeCount, learn);
    this.lastCycles = cycles;
    this.t = (t + 1) >>> 0;
    const tot = this.totals;
    tot.steps++;
    tot.cycles += cycles;
    tot.spikes += spikeCount;
    tot.outputEvents += recorded;
    tot.inputEvents += end - begin;
    tot.synapticEvents += events;
    this.chooseMode();
    return spikeCount;
  }

  /**
   * Bookkeeping only (no effect on results): scan every neuron (dense mode) while many are busy,
   * and only the listed ones (sparse mode) while few are. Leaving dense mode rebuilds the lists
   * from the state; a failed attempt backs off exponentially so the rebuild stays rare.
   */
  private chooseMode(): void {
    const n = this.numNeurons;
    if (!this.dense) {
      if (this.activeCount > n >> 2) this.dense = true;
      return;
    }
    if (this.busyCount >= n >> 3 || this.totals.steps < this.modeCheckAt) return;
    this.rebuildActivity();
    if (this.activeCount <= n >> 2) {
      this.dense = false;
      this.modeBackoff = 16;
    } else {
      this.modeCheckAt = this.totals.steps + this.modeBackoff;
      this.modeBackoff = Math.min(this.modeBackoff * 2, 4096);
    }
  }

  /**
   * Phase A over every neuron in ascending order while learning (dense mode; without learning
   * the WebAssembly kernel runs it). Counts neurons with non-zero registers in `busyCount`.
   * Returns the number of spikes written to `spikeBuf`, ascending.
   */
  private updateAllNeurons(slot: number): number {
    const spikes = this.spikeBuf;
    const n = this.numNeurons;
    let spikeCount = 0;
    let busy = 0;
    for (let j = 0; j < n; j++) {
      const outcome = this.updateNeuron(j, slot, true);
      if ((outcome & SPIKED) !== 0) spikes[spikeCount++] = j;
      if ((outcome & AT_REST) === 0) busy++;
    }
    this.busyCount = busy;
    return spikeCount;
  }

  /**
   * Phase A for neuron j (docs/core-spec.md section 5): consume its ring slot, update current,
   * membrane, refractory count and, when learning, its trace. Returns SPIKED when it fired, plus
   * AT_REST when every register it updated is zero afterwards.
   */
  private updateNeuron(j: number, slot: number, learn: boolean): number {
    const { vmem, cur, ref, ring, params } = this;
    const at = (j << SLOT_BITS) | slot;
    const input = ring[at];
    ring[at] = 0;
    const pw = params[j];
    // i <- sat16(i - decayAmount(i) + input * 2^weightShift)
    let c = cur[j];
    const ts = (pw >>> P_TAU_SYN) & 15;
    if (ts !== NO_DECAY) c -= (c + (c >= 0 ? (1 << ts) - 1 : 0)) >> ts;
    c += input * (1 << ((pw >>> P_WEIGHT_SHIFT) & 7));
    c = c > 32767 ? 32767 : c < -32768 ? -32768 : c;
    let spiked = false;
    let m = vmem[j];
    let r = ref[j];
    if (r > 0) {
      r--; // membrane held while refractory
    } else {
      const tm = (pw >>> P_TAU_MEM) & 15;
      if (tm !== NO_DECAY) m -= (m + (m >= 0 ? (1 << tm) - 1 : 0)) >> tm;
      m += c;
      m = m > 32767 ? 32767 : m < -32768 ? -32768 : m;
      const threshold = pw & 0xffff;
      if (m >= threshold) {
        spiked = true;
        m = pw < 0 ? m - threshold : 0; // bit 31: reset mode subtract
        r = (pw >>> P_REFRACTORY) & 15;
      }
    }
    cur[j] = c;
    vmem[j] = m;
    ref[j] = r;
    let rest = (c | m | r) === 0;
    if (learn) {
      const { tauTraceShift, traceIncrement } = this.learningSettings;
      let x = this.ntrace[j];
      if (tauTraceShift !== NO_DECAY) x -= (x + (1 << tauTraceShift) - 1) >> tauTraceShift;
      if (spiked) x = x + traceIncrement > TRACE_MAX ? TRACE_MAX : x + traceIncrement;
      this.ntrace[j] = x;
      rest = rest && x === 0;
    }
    return (spiked ? SPIKED : 0) | (rest ? AT_REST : 0);
  }

  /** Phase C depression of the plastic synapses in [begin, end), after their weights were delivered. */
  private depress(begin: number, end: number): void {
    const { aMinus, learnShift, wMin, wMax } = this.learningSettings;
    const { ntrace, weight, packed } = this;
    const { target, plastic } = this.index;
    for (let k = begin; k < end; k++) {
      if (plastic[k] === 0) continue;
      const w = weight[k] - learningDelta(aMinus, ntrace[target[k]], learnShift);
      const clipped = w < wMin ? wMin : w > wMax ? wMax : w;
      weight[k] = clipped;
      packed[k] = (packed[k] & 0xffffff) | (clipped << 24);
    }
  }

  /**
   * Phase A: every neuron consumes its ring slot, then updates current, membrane, refractory
   * counter and trace. Returns the number of spikes written to `spikeBuf` (ascending order is
   * restored by the caller).
   */
  private updateNeurons(slot: number, learn: boolean): number {
    const { ring, listed } = this;
    const spikes = this.spikeBuf;
    let spikeCount = 0;
    const active = this.active;
    const activeCount = this.activeCount;
    const next = this.nextActive;
    let nextCount = 0;
    // Only listed neurons are visited: an unlisted neuron has all-zero state and an all-zero
    // ring, a fixed point of the update.
    for (let k = 0; k < activeCount; k++) {
      const j = active[k];
      const outcome = this.updateNeuron(j, slot, learn);
      if ((outcome & SPIKED) !== 0) spikes[spikeCount++] = j;
      let quiet = (outcome & AT_REST) !== 0;
      if (quiet) {
        const rowBase = j << SLOT_BITS;
        for (let d = 0; d < DELAY_SLOTS_LOCAL; d++) {
          if (ring[rowBase | d] !== 0) {
            quiet = false;
            break;
          }
        }
      }
      if (quiet) listed[j] = 0;
      else next[nextCount++] = j;
    }
    this.active = next;
    this.nextActive = active;
    this.activeCount = nextCount;
    return spikeCount;
  }

  /** Sparse-mode delivery: add weights of synapses [begin, end) into their rings, listing the targets. */
  private deliver(begin: number, end: number, t: number): number {
    const { ring, listed, active, packed } = this;
    let count = this.activeCount;
    for (let k = begin; k < end; k++) {
      // One load gives the weight, the ring row and the arrival slot.
      const p = packed[k];
      const tgt = (p & ROW_MASK) >> SLOT_BITS;
      if (listed[tgt] === 0) {
        listed[tgt] = 1;
        active[count++] = tgt;
      }
      ring[(p & ROW_MASK) | ((p + t) & SLOT_MASK)] += p >> 24;
    }
    this.activeCount = count;
    return end - begin;
  }

  private potentiate(spikes: Int32Array, spikeCount: number): void {
    const { aPlus, learnShift, wMin, wMax } = this.learningSettings;
    const { revBase, revCount, revList, source } = this.index;
    const axons = this.capacity.axons;
    const { weight, packed, atrace, ntrace } = this;
    for (let s = 0; s < spikeCount; s++) {
      const j = spikes[s];
      const end = revBase[j] + revCount[j];
      for (let r = revBase[j]; r < end; r++) {
        const k = revList[r];
        const src = source[k];
        const pre = src < axons ? atrace[src] : ntrace[src - axons];
        const w = weight[k] + learningDelta(aPlus, pre, learnShift);
        const clipped = w < wMin ? wMin : w > wMax ? wMax : w;
        weight[k] = clipped;
        packed[k] = (packed[k] & 0xffffff) | (clipped << 24);
      }
    }
  }

  private decayAxonTraces(): void {
    const shift = this.learningSettings.tauTraceShift;
    if (shift === NO_DECAY) return;
    const { atrace, activeAxons, axonListed } = this;
    let kept = 0;
    for (let k = 0; k < this.activeAxonCount; k++) {
      const a = activeAxons[k];
      const x = atrace[a];
      const y = x - ((x + (1 << shift) - 1) >> shift);
      atrace[a] = y;
      if (y !== 0) activeAxons[kept++] = a;
      else axonListed[a] = 0;
    }
    this.activeAxonCount = kept;
  }

  private bumpAxonTrace(a: number): void {
    this.atrace[a] = Math.min(TRACE_MAX, this.atrace[a] + this.learningSettings.traceIncrement);
    if (this.axonListed[a] === 0 && this.atrace[a] !== 0) {
      this.axonListed[a] = 1;
      this.activeAxons[this.activeAxonCount++] = a;
    }
  }

  /** Recompute the activity lists from the state (after reset or when learning turns on). */
  private rebuildActivity(): void {
    const learn = this.learningSettings.enabled;
    this.activeCount = 0;
    this.listed.fill(0);
    for (let j = 0; j < this.numNeurons; j++) {
      let busy = this.vmem[j] !== 0 || this.cur[j] !== 0 || this.ref[j] !== 0 || (learn && this.ntrace[j] !== 0);
      for (let d = 0; d < DELAY_SLOTS && !busy; d++) busy = this.ring[(j << SLOT_BITS) | d] !== 0;
      if (busy) {
        this.listed[j] = 1;
        this.active[this.activeCount++] = j;
      }
    }
    this.activeAxonCount = 0;
    this.axonListed.fill(0);
    for (let a = 0; a < this.numAxons; a++) {
      if (this.atrace[a] !== 0) {
        this.axonListed[a] = 1;
        this.activeAxons[this.activeAxonCount++] = a;
      }
    }
  }
}
