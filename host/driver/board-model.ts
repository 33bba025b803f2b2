// SPDX-License-Identifier: Apache-2.0
// A software model of the board's command engine (docs/protocol.md), over the golden simulator:
// the reference behaviour for the RTL command engine. It owns the board's memories (as wire
// words), parses frames with the board's receiver (no rescan, inter-byte timeout), answers every
// frame, checks memory words one at a time in the order the core does, and runs the core on the
// input stream with credits and an output buffer the host empties with POLL.
// Core steps take no time here; the line (PacedLine) is what takes time.

import { LociError } from "../../sim/errors.ts";
import type { CoreMemories } from "../../sim/memory-layout.ts";
import { CORE_SPEC_VERSION, DEFAULT_CORE_CLOCK_HZ, DELAY_SLOTS, deriveWidths, UP5K_CAPACITY, type Capacity } from "../../sim/spec.ts";
import { Simulator, type CoreState } from "../../sim/simulator.ts";
import { EventWordParser } from "./event-words.ts";
import { encodeFields } from "./fields.ts";
import { ackFrame, bytesToWords, DECODE, dataFrame, nackFrame, payloadOf, wordsToBytes, type RawFrame } from "./frame.ts";
import { FrameReceiver } from "./frame-splitter.ts";
import {
  CAPS_FIELDS,
  CAPS_FLAG,
  DEFAULT_BAUD,
  DEFAULT_INPUT_BUFFER_WORDS,
  DEFAULT_OUTPUT_BUFFER_WORDS,
  DATA_HEADER_BYTES,
  DEFAULT_WINDOW,
  MAX_PAYLOAD,
  MAX_RUN_STEPS,
  MAX_STEP_ENDS,
  OP,
  PROTOCOL_VERSION,
  RUN_STATE,
  STATUS_CODE,
  STATUS_FIELDS,
  STEP_END_FLAG,
} from "./protocol.ts";
import {
  CONFIG_REG,
  configFromWords,
  COUNTER_REG,
  COUNTER_WORDS,
  MEMORY,
  memoryMap,
  packWords,
  pointerHalfBytes,
  splitPointers,
  stateFields,
  stateWord,
  unpackWords,
  type MemoryGeometry,
} from "./memory-map.ts";

/** Build options of the modelled board. */
export interface BoardModelOptions {
  readonly capacity?: Capacity;
  /** Largest payload, bytes (default 256). */
  readonly maxPayload?: number;
  readonly window?: number;
  readonly inputBufferWords?: number;
  readonly outputBufferWords?: number;
  /** Reported line rate, baud. */
  readonly baud?: number;
  /** Reported core clock, Hz. */
  readonly clockHz?: number;
  /** Bytes of responses (ACK/NACK) the transmit FIFO holds before the engine stalls. */
  readonly responseFifoBytes?: number;
}

/** How the model talks to its line. */
export interface BoardModelIO {
  /** Put bytes on the board -> host line. */
  send(bytes: Uint8Array): void;
  /** True when the board's transmitter is idle. */
  txIdle(): boolean;
  /** Call `fn` when the transmitter becomes idle. */
  whenTxIdle(fn: () => void): void;
}

interface ReadStream {
  readonly seq: number;
  readonly geometry: MemoryGeometry;
  addr: number;
  remaining: number;
}

interface RunState {
  steps: number;
  done: number;
  aborting: boolean;
  /** Completed input steps waiting for the core: ids and the input words they take. */
  readonly queue: { ids: readonly number[]; words: number }[];
  /** Input words received and not yet taken by the core. */
  buffered: number;
  readonly parser: EventWordParser;
}

/** The modelled board. Feed it line bytes with `receive`; it answers through `io.send`. */
export class BoardModel {
  readonly capacity: Capacity;
  readonly maxPayload: number;
  readonly window: number;
  readonly inputBufferWords: number;
  readonly outputBufferWords: number;
  readonly baud: number;
  readonly clockHz: number;
  readonly map: readonly MemoryGeometry[];
  /** Link counters (STATUS: frames with a readable header; the rest for tests). */
  readonly stats = { frames: 0, rxFrames: 0, crcErrors: 0, frameErrors: 0, nacks: 0 };

  private readonly receiver: FrameReceiver;
  private readonly memories: Uint8Array[];
  private readonly counters = new Uint32Array(COUNTER_WORDS);
  private readonly stateWords: Float64Array;
  private readonly ring: Int32Array;
  private readonly axonTrace: Uint8Array;
  private expected = 0;
  private readonly pending: RawFrame[] = [];
  private readonly responses: Uint8Array[] = [];
  private responseBytes = 0;
  private readonly responseFifoBytes: number;
  private overflowed = false;
  private read: ReadStream | undefined;
  private run: RunState | undefined;
  private sim: Simulator | undefined;
  private simDirty = true;
  // Output words of the current/last run the host has not taken yet, and step ends not written.
  private out: number[] = [];
  private pendingEnds = 0;
  private pumping = false;

  constructor(options: BoardModelOptions, private readonly io: BoardModelIO) {
    this.capacity = options.capacity ?? UP5K_CAPACITY;
    this.maxPayload = options.maxPayload ?? MAX_PAYLOAD;
    this.window = options.window ?? DEFAULT_WINDOW;
    this.inputBufferWords = options.inputBufferWords ?? DEFAULT_INPUT_BUFFER_WORDS;
    this.outputBufferWords = options.outputBufferWords ?? DEFAULT_OUTPUT_BUFFER_WORDS;
    this.baud = options.baud ?? DEFAULT_BAUD;
    this.clockHz = options.clockHz ?? DEFAULT_CORE_CLOCK_HZ;
    this.responseFifoBytes = options.responseFifoBytes ?? 64;
    this.map = memoryMap(this.capacity);
    this.receiver = new FrameReceiver({ maxPayload: this.maxPayload, resync: "skip" });
    this.memories = this.map.map((g) => (g.writable ? new Uint8Array(g.depth * g.wordBytes) : new Uint8Array(0)));
    const cfg = this.memories[MEMORY.CONFIG];
    cfg.set(packWords([1], 4), CONFIG_REG.numNeurons * 4);
    this.stateWords = new Float64Array(this.capacity.neurons);
    this.ring = new Int32Array(this.capacity.neurons * DELAY_SLOTS);
    this.axonTrace = new Uint8Array(this.capacity.axons);
  }

  /** Bytes discarded while hunting for SYNC. */
  get garbageBytes(): number {
    return this.receiver.garbageBytes;
  }

  /** True while a frame has started on the line but not completed. */
  get receiving(): boolean {
    return this.receiver.pending > 0;
  }

  /** Bytes from the line. */
  receive(bytes: Uint8Array): void {
    for (const r of this.receiver.push(bytes)) {
      this.stats.frames++;
      if ("frame" in r) {
        this.stats.rxFrames++;
        if (this.pending.length >= 2 && this.blocked()) {
          this.overflowed = true;
          this.stats.frameErrors++;
          continue;
        }
        this.pending.push(r.frame);
      } else {
        if (r.fault === "CRC") this.stats.crcErrors++;
        else this.stats.frameErrors++;
        this.queueResponse(nackFrame(r.seq, STATUS_CODE[r.fault], this.expected));
      }
    }
    this.pump();
  }

  /** The line has been quiet for the inter-byte timeout. */
  lineQuiet(): void {
    const fault = this.receiver.timeout();
    if (fault !== undefined) {
      this.stats.frames++;
      this.stats.frameErrors++;
      this.queueResponse(nackFrame(fault.seq, STATUS_CODE.TIMEOUT, this.expected));
      this.pump();
    }
  }

  /** A copy of a writable memory's bytes (for tests). */
  memoryBytes(id: number): Uint8Array {
    return this.memories[id].slice();
  }

  // -------------------------------------------------------------------------------------------
  // Engine.

  private blocked(): boolean {
    return this.read !== undefined || this.responseBytes > this.responseFifoBytes;
  }

  private queueResponse(bytes: Uint8Array): void {
    if (bytes[2] === 0x81) this.stats.nacks++;
    this.responses.push(bytes);
    this.responseBytes += bytes.length;
  }

  /** Run the engine, the core and the transmitter as far as they can go. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let guard = 0; guard < 1_000_000; guard++) {
        let progress = false;
        if (this.overflowed && !this.blocked()) {
          this.overflowed = false;
          this.queueResponse(nackFrame(this.expected, STATUS_CODE.OVERFLOW, this.expected));
          progress = true;
        }
        while (!this.blocked() && this.pending.length > 0) {
          this.execute(this.pending.shift()!);
          progress = true;
        }
        if (this.runCore()) progress = true;
        if (this.transmit()) progress = true;
        if (!progress) break;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Send what the transmitter may send now; true when something was sent. */
  private transmit(): boolean {
    if (!this.io.txIdle()) {
      this.io.whenTxIdle(() => this.pump());
      return false;
    }
    if (this.responses.length > 0) {
      const all = this.responses.splice(0);
      this.responseBytes = 0;
      for (const r of all) this.io.send(r);
      return true;
    }
    if (this.read !== undefined) {
      const r = this.read;
      const k = Math.min(r.remaining, Math.floor((this.maxPayload - DATA_HEADER_BYTES) / r.geometry.wordBytes));
      this.io.send(dataFrame(r.seq, r.addr, this.readWords(r.geometry, r.addr, k)));
      r.addr += k;
      r.remaining -= k;
      if (r.remaining === 0) this.read = undefined;
      return true;
    }
    return false;
  }

  /**
   * Room for the words a step may write (a skip flush, a count, one per recorded neuron). The
   * RTL stalls word by word; this model steps whole, so it also steps into an empty buffer even
   * when the worst case exceeds it (the buffer then overfills by at most one step's words).
   */
  private outputRoom(): boolean {
    const worst = 2 + this.recordCount();
    return this.out.length === 0 || this.out.length + worst <= this.outputBufferWords;
  }

  private recordCount(): number {
    return this.configWord(CONFIG_REG.recordCount);
  }

  private configWord(addr: number): number {
    return unpackWords(this.memories[MEMORY.CONFIG].subarray(addr * 4, addr * 4 + 4), 4)[0];
  }

  private execute(frame: RawFrame): void {
    const { type, seq, payload } = frame;
    if (type === OP.HELLO) {
      this.expected = (seq + 1) & 0xff;
      this.queueResponse(ackFrame(seq, this.capabilities()));
      return;
    }
    if (seq !== this.expected) {
      this.queueResponse(nackFrame(seq, STATUS_CODE.SEQUENCE, this.expected));
      return;
    }
    this.expected = (this.expected + 1) & 0xff;
    const status = this.command(type, seq, payload);
    if (status !== undefined) this.queueResponse(nackFrame(seq, status, this.expected));
  }

  /** Execute a command; returns a command-level status to NACK, or undefined when it answered. */
  private command(type: number, seq: number, payload: Uint8Array): number | undefined {
    const running = this.run !== undefined;
    switch (type) {
      case OP.STATUS:
        if (payload.length !== 0) return STATUS_CODE.PAYLOAD;
        this.queueResponse(ackFrame(seq, this.status()));
        return undefined;
      case OP.RESET:
        if (payload.length !== 0) return STATUS_CODE.PAYLOAD;
        if (running) return STATUS_CODE.BUSY;
        this.reset();
        this.queueResponse(ackFrame(seq));
        return undefined;
      case OP.WRITE:
        return this.write(seq, payload, running);
      case OP.READ:
        return this.startRead(seq, payload, running);
      case OP.RUN:
        return this.startRun(seq, payload, running);
      case OP.INPUT:
        return this.input(seq, payload);
      case OP.POLL:
        return this.poll(seq, payload);
      case OP.ABORT:
        if (payload.length !== 0) return STATUS_CODE.PAYLOAD;
        if (this.run !== undefined) this.abort();
        this.queueResponse(ackFrame(seq));
        return undefined;
      default:
        return STATUS_CODE.OPCODE;
    }
  }

  /**
   * The core's checks of one word (docs/core-spec.md §9.2, in its order): unknown memory,
   * address past the depth, read-only memory, busy, and for writes the word's value. 0 when the
   * word may be accessed.
   */
  private coreCheck(id: number, addr: number, write: boolean, running: boolean, value = 0): number {
    const g = this.map[id];
    if (g === undefined) return STATUS_CODE.MEMORY;
    if (addr >= g.depth) return STATUS_CODE.ADDRESS;
    if (write && !g.writable) return STATUS_CODE.READ_ONLY;
    if (running && !(id === MEMORY.COUNTERS && !write)) return STATUS_CODE.BUSY;
    if (!write) return 0;
    if (value >= 2 ** g.bits) return STATUS_CODE.RANGE;
    if (g.id === MEMORY.CONFIG && !this.configValid(addr, value)) return STATUS_CODE.RANGE;
    if (g.id === MEMORY.FANOUT_PTR || g.id === MEMORY.FANIN_PTR) {
      const { base, count } = splitPointers([value], pointerHalfBytes(this.capacity));
      if (base[0] >= this.capacity.synapses || base[0] + count[0] > this.capacity.synapses) return STATUS_CODE.RANGE;
    }
    if (g.id === MEMORY.FANIN_LIST && value >= this.capacity.synapses) return STATUS_CODE.RANGE;
    return 0;
  }

  /** The access header as the engine reads it: memory ids of 16 and more and addresses of 2^16 and more address nothing. */
  private access(payload: Uint8Array): { id: number; addr: number; count: number; wordBytes: number } {
    const v = DECODE.access.decode(payload);
    const id = Number(v.memory) < 16 ? Number(v.memory) : 15;
    const addr = Number(v.addr) < 0x10000 ? Number(v.addr) : 0xffff;
    return { id, addr, count: Number(v.count), wordBytes: this.map[id]?.wordBytes ?? 4 };
  }

  /** WRITE: every word checked (first refusal answers), then every word written. */
  private write(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    if (payload.length < DECODE.access.size) return STATUS_CODE.PAYLOAD;
    const { id, addr, count, wordBytes } = this.access(payload);
    if (count === 0) return STATUS_CODE.ADDRESS;
    const words = payload.subarray(DECODE.access.size);
    for (let i = 0; ; i++) {
      const left = words.length - i * wordBytes;
      if (left === 0) {
        if (i !== count) return STATUS_CODE.PAYLOAD;
        break;
      }
      if (i === count || left < wordBytes) return STATUS_CODE.PAYLOAD;
      const value = unpackWords(words.subarray(i * wordBytes, (i + 1) * wordBytes), wordBytes)[0];
      const status = this.coreCheck(id, (addr + i) & 0xffff, true, running, value);
      if (status !== 0) return status;
    }
    const g = this.map[id];
    this.memories[g.id].set(words, addr * g.wordBytes);
    this.simDirty = true;
    this.queueResponse(ackFrame(seq));
    return undefined;
  }

  private configValid(addr: number, value: number): boolean {
    const cap = this.capacity;
    const limits = [
      [1, cap.neurons],
      [0, cap.axons],
      [0, cap.neurons],
      [0, cap.neurons],
      [0, 0xffffffff],
      [0, 0x1ffff],
    ];
    return value >= limits[addr][0] && value <= limits[addr][1];
  }

  /** READ: every address checked (first refusal answers), then the DATA stream. */
  private startRead(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    if (payload.length !== DECODE.access.size) return STATUS_CODE.PAYLOAD;
    const { id, addr, count } = this.access(payload);
    if (count === 0) return STATUS_CODE.ADDRESS;
    for (let i = 0; i < count; i++) {
      const status = this.coreCheck(id, (addr + i) & 0xffff, false, running);
      if (status !== 0) return status;
    }
    this.read = { seq, geometry: this.map[id], addr, remaining: count };
    return undefined;
  }
  /** Wire words of `count` words of a memory from `addr`. */
  private readWords(g: MemoryGeometry, addr: number, count: number): Uint8Array {
    if (g.writable) return this.memories[g.id].slice(addr * g.wordBytes, (addr + count) * g.wordBytes);
    const values: number[] = [];
    for (let i = addr; i < addr + count; i++) {
      switch (g.id) {
        case MEMORY.STATE:
          values.push(this.stateWords[i]);
          break;
        case MEMORY.RING: {
          const v = this.ring[i];
          values.push(v < 0 ? v + 2 ** g.bits : v);
          break;
        }
        case MEMORY.AXON_TRACE:
          values.push(this.axonTrace[i]);
          break;
        case MEMORY.COUNTERS:
          values.push(this.counters[i]);
          break;
        default: // WEIGHTS: the weight field of the synapse word
          values.push(this.memories[MEMORY.SYNAPSES][i * this.map[MEMORY.SYNAPSES].wordBytes]);
      }
    }
    return packWords(values, g.wordBytes);
  }

  private reset(): void {
    this.stateWords.fill(0);
    this.ring.fill(0);
    this.axonTrace.fill(0);
    this.counters.fill(0);
    this.clearOutputStream();
    this.simDirty = true;
  }

  /** Forget the output stream of the last run (RESET, or a new RUN). */
  private clearOutputStream(): void {
    this.out = [];
    this.pendingEnds = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Runs.

  private startRun(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    if (payload.length !== DECODE.run.size) return STATUS_CODE.PAYLOAD;
    if (running) return STATUS_CODE.BUSY;
    const steps = Number(DECODE.run.decode(payload).steps);
    if (steps < 1 || steps > MAX_RUN_STEPS) return STATUS_CODE.RANGE;
    const cfg = configFromWords(unpackWords(this.memories[MEMORY.CONFIG], 4));
    try {
      this.prepareSimulator();
    } catch (error) {
      if (error instanceof LociError) return STATUS_CODE.RANGE;
      throw error;
    }
    this.clearOutputStream();
    this.run = {
      steps,
      done: 0,
      aborting: false,
      queue: [],
      buffered: 0,
      parser: new EventWordParser({ indexLimit: cfg.numAxons }),
    };
    this.queueResponse(ackFrame(seq));
    return undefined;
  }

  private input(seq: number, payload: Uint8Array): number | undefined {
    if (payload.length < 2 || payload.length % 2 !== 0) return STATUS_CODE.PAYLOAD;
    const run = this.run;
    if (run === undefined || run.aborting) return STATUS_CODE.IDLE;
    const words = bytesToWords(payload);
    if (run.buffered + words.length > this.inputBufferWords) return STATUS_CODE.CREDIT;
    if (run.parser.check(words) !== undefined) return STATUS_CODE.RANGE;
    run.parser.take(words, (_step, ids, w) => run.queue.push({ ids, words: w }));
    run.buffered += words.length;
    this.queueResponse(ackFrame(seq));
    return undefined;
  }

  /** POLL: free the words the host has taken, answer with the words held (at most a payload's worth). */
  private poll(seq: number, payload: Uint8Array): number | undefined {
    if (payload.length !== DECODE.poll.size) return STATUS_CODE.PAYLOAD;
    const taken = Number(DECODE.poll.decode(payload).taken);
    if (taken > this.out.length) return STATUS_CODE.RANGE;
    this.out.splice(0, taken);
    this.queueResponse(ackFrame(seq, wordsToBytes(this.out.slice(0, Math.floor(this.maxPayload / 2)))));
    return undefined;
  }

  private abort(): void {
    const run = this.run!;
    run.aborting = true;
    // Only the step in progress completes (as loci_link_in.v: the first step end taken while
    // aborting stops the input): with its whole input when that has arrived, else with the
    // events received so far. Queued later steps and their input are discarded.
    if (run.done < run.steps) this.step(run, run.queue.shift() ?? { ids: run.parser.partial, words: 0 });
    this.finishRun(run);
  }

  /** Execute the steps whose input is complete while there is output room; true on progress. */
  private runCore(): boolean {
    const run = this.run;
    if (run === undefined) return false;
    let progress = false;
    while (run.queue.length > 0 && run.done < run.steps && this.outputRoom()) {
      this.step(run, run.queue.shift()!);
      progress = true;
    }
    if (run.done === run.steps) {
      this.finishRun(run);
      progress = true;
    } else if (run.queue.length === 0 && this.pendingEnds > 0) {
      // The core waits for input: the step ends so far are written, so the host sees them.
      this.flushEnds();
      progress = true;
    }
    return progress;
  }

  private step(run: RunState, input: { ids: readonly number[]; words: number }): void {
    const sim = this.sim!;
    const before = sim.counters().synapticEvents;
    const result = sim.stepOnce(input.ids);
    run.buffered -= input.words;
    run.done++;
    const c = this.counters;
    c[COUNTER_REG.steps] = sim.step;
    c[COUNTER_REG.cycles] = (c[COUNTER_REG.cycles] + result.cycles) >>> 0;
    c[COUNTER_REG.lastStepCycles] = result.cycles;
    c[COUNTER_REG.spikes] = (c[COUNTER_REG.spikes] + result.spikes.length) >>> 0;
    c[COUNTER_REG.inputEvents] = (c[COUNTER_REG.inputEvents] + input.ids.length) >>> 0;
    c[COUNTER_REG.synapticEvents] = (c[COUNTER_REG.synapticEvents] + sim.counters().synapticEvents - before) >>> 0;
    const base = this.configWord(CONFIG_REG.recordBase);
    const end = base + this.recordCount();
    const recorded = Array.from(result.spikes).filter((j) => j >= base && j < end);
    c[COUNTER_REG.outputEvents] = (c[COUNTER_REG.outputEvents] + recorded.length) >>> 0;
    if (recorded.length > 0) {
      this.flushEnds();
      for (const j of recorded) this.out.push(j);
    }
    if (++this.pendingEnds === MAX_STEP_ENDS) this.flushEnds();
  }

  /** Write the step ends not yet written as one word. */
  private flushEnds(): void {
    if (this.pendingEnds > 0) this.out.push(STEP_END_FLAG | this.pendingEnds);
    this.pendingEnds = 0;
  }

  private finishRun(_run: RunState): void {
    this.flushEnds();
    this.syncStateFromSimulator();
    this.run = undefined;
  }
  // -------------------------------------------------------------------------------------------
  // The simulator behind the core.

  /** The image in the memories as CoreMemories (synapses up to the highest pointer in use). */
  coreMemories(): CoreMemories {
    const cap = this.capacity;
    const cfg = configFromWords(unpackWords(this.memories[MEMORY.CONFIG], 4));
    const half = pointerHalfBytes(cap);
    const fwd = splitPointers(unpackWords(this.memories[MEMORY.FANOUT_PTR], 2 * half), half);
    const rev = splitPointers(unpackWords(this.memories[MEMORY.FANIN_PTR], 2 * half), half);
    let n = 0;
    for (let s = 0; s < cap.axons + cap.neurons; s++) {
      const inUse = s < cap.axons ? s < cfg.numAxons : s - cap.axons < cfg.numNeurons;
      if (inUse && fwd.count[s] > 0) n = Math.max(n, fwd.base[s] + fwd.count[s]);
    }
    let nRev = 0;
    for (let j = 0; j < cfg.numNeurons; j++) if (rev.count[j] > 0) nRev = Math.max(nRev, rev.base[j] + rev.count[j]);
    const sg = this.map[MEMORY.SYNAPSES];
    const syn = unpackWords(this.memories[MEMORY.SYNAPSES].subarray(0, n * sg.wordBytes), sg.wordBytes);
    const lg = this.map[MEMORY.FANIN_LIST];
    return {
      capacity: cap,
      params: Int32Array.from(unpackWords(this.memories[MEMORY.PARAMS].subarray(0, cfg.numNeurons * 4), 4), (w) => w | 0),
      synapseLow: Uint32Array.from(syn, (w) => w % 2 ** 32),
      synapseHigh: Uint32Array.from(syn, (w) => Math.floor(w / 2 ** 32)),
      fwdBase: Uint32Array.from(fwd.base),
      fwdCount: Uint32Array.from(fwd.count),
      revBase: Uint32Array.from(rev.base),
      revCount: Uint32Array.from(rev.count),
      revList: Uint32Array.from(unpackWords(this.memories[MEMORY.FANIN_LIST].subarray(0, nRev * lg.wordBytes), lg.wordBytes)),
      config: cfg,
    };
  }

  private prepareSimulator(): void {
    if (!this.simDirty && this.sim !== undefined) return;
    const mem = this.coreMemories();
    const sim = new Simulator(mem, { file: "board memories" });
    sim.restore(this.boardState(sim));
    this.sim = sim;
    this.simDirty = false;
  }

  /** The board's dynamic state in the simulator's shape. */
  private boardState(sim: Simulator): CoreState {
    const n = sim.numNeurons;
    const fields = Array.from(this.stateWords.subarray(0, n), stateFields);
    const ringLimit = 2 ** (deriveWidths(this.capacity).ring - 1);
    return {
      step: this.counters[COUNTER_REG.steps],
      membrane: Int32Array.from(fields, (f) => f.membrane),
      current: Int32Array.from(fields, (f) => f.current),
      refractory: Int32Array.from(fields, (f) => f.refractory),
      neuronTrace: Int32Array.from(fields, (f) => f.trace),
      axonTrace: Int32Array.from(this.axonTrace.subarray(0, sim.numAxons)),
      weights: Int8Array.from(sim.index.weight),
      ring: Int32Array.from(this.ring.subarray(0, n * DELAY_SLOTS), (v) => Math.max(-ringLimit, Math.min(ringLimit - 1, v))),
    };
  }

  private syncStateFromSimulator(): void {
    const sim = this.sim!;
    const s = sim.snapshot();
    for (let j = 0; j < sim.numNeurons; j++) this.stateWords[j] = stateWord(s.membrane[j], s.current[j], s.refractory[j], s.neuronTrace[j]);
    this.ring.set(s.ring);
    this.axonTrace.set(s.axonTrace);
    const syn = this.memories[MEMORY.SYNAPSES];
    const wb = this.map[MEMORY.SYNAPSES].wordBytes;
    for (let k = 0; k < s.weights.length; k++) syn[k * wb] = s.weights[k] & 0xff;
  }

  // -------------------------------------------------------------------------------------------
  // HELLO and STATUS records.

  private capabilities(): Uint8Array {
    const cap = this.capacity;
    const w = deriveWidths(cap);
    return payloadOf(CAPS_FIELDS, {
      protocolVersion: PROTOCOL_VERSION,
      coreSpecVersion: CORE_SPEC_VERSION,
      maxPayload: this.maxPayload,
      window: this.window,
      flags: CAPS_FLAG.softwareModel,
      neurons: cap.neurons,
      axons: cap.axons,
      synapses: cap.synapses,
      maxFanIn: cap.maxFanIn,
      delaySlots: DELAY_SLOTS,
      weightBits: 8,
      synapseWordBits: w.synapseWord,
      ringBits: w.ring,
      inputBufferWords: this.inputBufferWords,
      outputBufferWords: this.outputBufferWords,
      maxInputsPerStep: Math.min(cap.axons, this.inputBufferWords - 1),
      baud: this.baud,
      clockHz: this.clockHz,
      buildId: 0,
    });
  }

  private status(): Uint8Array {
    const run = this.run;
    const out = new Uint8Array(DECODE.status.size);
    encodeFields(
      STATUS_FIELDS,
      {
        state: run === undefined ? RUN_STATE.idle : run.aborting ? RUN_STATE.aborting : RUN_STATE.running,
        expected: this.expected,
        frames: this.stats.frames & 0xffff,
        garbageBytes: this.receiver.garbageBytes & 0xffff,
      },
      out,
    );
    return out;
  }
}
