// SPDX-License-Identifier: Apache-2.0
// The one source of truth for the Loci core: every width, capacity, field layout and cycle cost.
// `docs/core-spec.md` explains these numbers; `hdl/rtl/loci_spec.vh` is generated from them
// (see `spec-header.ts`) and a test fails when that header is stale.

/** Version of the core semantics. Bumped whenever any rule, width or cycle cost changes. */
export const CORE_SPEC_VERSION = 1;

/** Widths of the datapath, in bits. None of them depends on the capacity. */
export const WIDTH = {
  /** Synaptic weight: signed two's complement, -128..127. */
  weight: 8,
  /** Delay field in a synapse word: stores `delay - 1`, so delays are 1..16 steps. */
  delay: 4,
  /** Membrane potential `v`: signed, saturating. */
  membrane: 16,
  /** Synaptic current `i`: signed, saturating. */
  current: 16,
  /** Firing threshold: signed field, valid values 1..32767. */
  threshold: 16,
  /** Decay shifts (`tauMemShift`, `tauSynShift`, `tauTraceShift`): 0..15, 15 = no decay. */
  tauShift: 4,
  /** Refractory period and refractory counter, in steps: 0..15. */
  refractory: 4,
  /** Per-neuron weight shift applied to the summed input: 0..7. */
  weightShift: 3,
  /** STDP trace: unsigned, saturating at 255. */
  trace: 8,
  /** STDP amplitudes `aPlus`, `aMinus` and the trace increment: unsigned 0..255. */
  learnAmplitude: 8,
  /** STDP result shift `learnShift`: 0..15. */
  learnShift: 4,
  /** Step counter: wraps at 2^32. The ring slot of step t is `t mod delaySlots`. */
  stepCounter: 32,
} as const;

/** Number of delay slots in every neuron's ring (delays 1..DELAY_SLOTS steps). */
export const DELAY_SLOTS = 1 << WIDTH.delay;

/** A `tau*Shift` field holding this value disables that decay (infinite time constant). */
export const TAU_NO_DECAY = (1 << WIDTH.tauShift) - 1;

/** Reset modes of the neuron after a spike. */
export const RESET_MODE = { zero: 0, subtract: 1 } as const;
export type ResetMode = keyof typeof RESET_MODE;

/**
 * Capacity of one core build. The RTL is parameterised by these; the default iCE40UP5K build
 * uses `UP5K_CAPACITY`. The simulator accepts any capacity that satisfies `checkCapacity`.
 */
export interface Capacity {
  /** Neurons (LIF units with a delay ring each). */
  readonly neurons: number;
  /** Input axons (external spike sources). */
  readonly axons: number;
  /** Synapse entries in the fan-out memory. */
  readonly synapses: number;
  /** Largest number of synapses that may target one neuron; sizes the ring accumulators. */
  readonly maxFanIn: number;
}

/** Default build for the iCEBreaker (Lattice iCE40UP5K): SPRAM holds synapses and tables. */
export const UP5K_CAPACITY: Capacity = Object.freeze({
  neurons: 256,
  axons: 1024,
  synapses: 16384,
  maxFanIn: 4096,
});

/** Number of bits needed to hold the values 0..n-1 (at least 1). */
export function indexBits(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));
}

/** Number of bits needed to hold the values 0..n (a count that may equal n). */
export function countBits(n: number): number {
  return indexBits(n + 1);
}

/** Widths that follow from a capacity. */
export interface DerivedWidths {
  /** Neuron index: 0..neurons-1. */
  readonly neuronIndex: number;
  /** Axon index: 0..axons-1. */
  readonly axonIndex: number;
  /** Source id: axons are 0..axons-1, neuron j is `axons + j`. */
  readonly sourceId: number;
  /** Synapse address: 0..synapses-1. */
  readonly synapseAddress: number;
  /** Fan-out / fan-in count: 0..synapses. */
  readonly synapseCount: number;
  /**
   * Ring accumulator: wide enough that `maxFanIn` weights of -128 or +127 cannot overflow,
   * so the order in which events are added can never change a result.
   */
  readonly ring: number;
  /** Synapse word: weight, target, delay, plastic flag and source id. */
  readonly synapseWord: number;
}

/** Derive the capacity-dependent widths. */
export function deriveWidths(capacity: Capacity): DerivedWidths {
  const neuronIndex = indexBits(capacity.neurons);
  const sourceId = indexBits(capacity.axons + capacity.neurons);
  return {
    neuronIndex,
    axonIndex: indexBits(capacity.axons),
    sourceId,
    synapseAddress: indexBits(capacity.synapses),
    synapseCount: countBits(capacity.synapses),
    ring: WIDTH.weight + Math.ceil(Math.log2(capacity.maxFanIn)),
    synapseWord: WIDTH.weight + neuronIndex + WIDTH.delay + 1 + sourceId,
  };
}

/** Largest values the simulator accepts for a capacity (the RTL is built at UP5K sizes). */
export const CAPACITY_LIMITS = {
  neurons: { min: 1, max: 1 << 20 },
  axons: { min: 0, max: 1 << 20 },
  synapses: { min: 1, max: 1 << 26 },
  maxFanIn: { min: 1, max: 1 << 16 },
} as const;

/** A bit field inside a memory word: `[lsb + width - 1 : lsb]`. */
export interface BitField {
  readonly lsb: number;
  readonly width: number;
  readonly signed: boolean;
}

function fields<const K extends string>(
  order: readonly (readonly [K, number, boolean])[],
): Readonly<Record<K, BitField>> {
  const out = {} as Record<K, BitField>;
  let lsb = 0;
  for (const [name, width, signed] of order) {
    out[name] = Object.freeze({ lsb, width, signed });
    lsb += width;
  }
  return Object.freeze(out);
}

/** Total width of a field table, in bits. */
export function wordWidth(table: Readonly<Record<string, BitField>>): number {
  let top = 0;
  for (const f of Object.values(table)) top = Math.max(top, f.lsb + f.width);
  return top;
}

/** Neuron parameter word (32 bits): one per neuron, written by the host, read in phase A. */
export const NEURON_PARAM_FIELDS = fields([
  ["threshold", WIDTH.threshold, true],
  ["tauMemShift", WIDTH.tauShift, false],
  ["tauSynShift", WIDTH.tauShift, false],
  ["refractoryPeriod", WIDTH.refractory, false],
  ["weightShift", WIDTH.weightShift, false],
  ["resetMode", 1, false],
] as const);

/** Neuron state word (48 bits): one per neuron, cleared by reset. */
export const NEURON_STATE_FIELDS = fields([
  ["membrane", WIDTH.membrane, true],
  ["current", WIDTH.current, true],
  ["refractoryCount", WIDTH.refractory, false],
  ["trace", WIDTH.trace, false],
  ["reserved", 4, false],
] as const);

/** Field table of the synapse word for a capacity (its index fields follow the capacity). */
export function synapseFields(capacity: Capacity): Readonly<Record<"weight" | "target" | "delay" | "plastic" | "source", BitField>> {
  const w = deriveWidths(capacity);
  return fields([
    ["weight", WIDTH.weight, true],
    ["target", w.neuronIndex, false],
    ["delay", WIDTH.delay, false],
    ["plastic", 1, false],
    ["source", w.sourceId, false],
  ] as const);
}

/** Pointer entry (fan-out list of a source, or plastic fan-in list of a neuron). */
export function pointerFields(capacity: Capacity): Readonly<Record<"base" | "count", BitField>> {
  const w = deriveWidths(capacity);
  return fields([
    ["base", w.synapseAddress, false],
    ["count", w.synapseCount, false],
  ] as const);
}

/** Learning settings register (global). */
export const LEARNING_FIELDS = fields([
  ["enabled", 1, false],
  ["tauTraceShift", WIDTH.tauShift, false],
  ["traceIncrement", WIDTH.learnAmplitude, false],
  ["aPlus", WIDTH.learnAmplitude, false],
  ["aMinus", WIDTH.learnAmplitude, false],
  ["learnShift", WIDTH.learnShift, false],
  ["wMin", WIDTH.weight, true],
  ["wMax", WIDTH.weight, true],
] as const);

/**
 * The cycle model: clock cycles each phase of a timestep costs in the RTL. The simulator
 * predicts the RTL's count per step exactly from these (see `cycle-model.ts`).
 * A step costs
 *   STEP
 *   + NEURON_PHASE + numNeurons                                          (phase A)
 *   + learn ? AXON_TRACE_PHASE + numAxons : 0                             (phase B)
 *   + DELIVERY_PHASE
 *     + sum over input events      (SOURCE_AXON   + fanOut + (learn ? plasticFanOut : 0))
 *     + sum over spiking neurons   (SOURCE_NEURON + fanOut + (learn ? plasticFanOut : 0))   (phase C)
 *   + learn ? LTP_PHASE + sum over spiking neurons (LTP_NEURON + LTP_PER_SYNAPSE * plasticFanIn) : 0
 *                                                                                             (phase D)
 * Stall cycles (input not yet delivered by the host, output FIFO full) are not counted.
 */
export const CYCLES = {
  /** Step start and step end bookkeeping. */
  STEP: 2,
  /** Phase A: drain of the six-stage neuron pipeline (A0 read .. A5 write), beyond one cycle per neuron. */
  NEURON_PHASE: 5,
  /** Phase B: two trace words (four axons) take four cycles (read, read, write, write); the last write lands by numAxons + 2. */
  AXON_TRACE_PHASE: 2,
  /** Phase C fixed cost: taking the end-of-step marker, then the synapse pipeline drain. */
  DELIVERY_PHASE: 5,
  /** Per input event: pop it, read the two pointer words, read and write its trace word. */
  SOURCE_AXON: 4,
  /** Per spiking neuron: read it from the spike list and read the two pointer words. */
  SOURCE_NEURON: 3,
  /** Phase D fixed cost (pipeline drain). */
  LTP_PHASE: 3,
  /** Per spiking neuron in phase D: a gap cycle, the spike-list word and its two fan-in pointer words. */
  LTP_NEURON: 4,
  /** Per plastic fan-in synapse in phase D: read and write back the single-port synapse word. */
  LTP_PER_SYNAPSE: 2,
} as const;

/** Default board clock for reporting steps per second from cycle counts (Hz). */
export const DEFAULT_CORE_CLOCK_HZ = 24_000_000;

/** Valid range of every user-settable field, used by validation and by the docs. */
export const RANGES = {
  threshold: { min: 1, max: 32767 },
  tauShift: { min: 0, max: TAU_NO_DECAY },
  refractoryPeriod: { min: 0, max: (1 << WIDTH.refractory) - 1 },
  weightShift: { min: 0, max: (1 << WIDTH.weightShift) - 1 },
  weight: { min: -(1 << (WIDTH.weight - 1)), max: (1 << (WIDTH.weight - 1)) - 1 },
  delay: { min: 1, max: DELAY_SLOTS },
  trace: { min: 0, max: (1 << WIDTH.trace) - 1 },
  learnAmplitude: { min: 0, max: (1 << WIDTH.learnAmplitude) - 1 },
  learnShift: { min: 0, max: (1 << WIDTH.learnShift) - 1 },
  membrane: { min: -(1 << (WIDTH.membrane - 1)), max: (1 << (WIDTH.membrane - 1)) - 1 },
  current: { min: -(1 << (WIDTH.current - 1)), max: (1 << (WIDTH.current - 1)) - 1 },
} as const;

/** An inclusive integer range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}
