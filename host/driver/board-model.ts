// SPDX-License-Identifier: Apache-2.0
// A software model of the board's command engine (docs/protocol.md), over the golden simulator:
// the reference behaviour for the RTL command engine. It owns the board's memories (as wire
// words), parses frames with the board's receiver (no rescan, inter-byte timeout), answers every
// frame, and runs the core on the input stream with credits, output retention and EVACKs.
// Core steps take no time here; the line (PacedLine) is what takes time.

import { LociError } from "../../sim/errors.ts";
import type { CoreMemories } from "../../sim/memory-layout.ts";
import { CORE_SPEC_VERSION, DEFAULT_CORE_CLOCK_HZ, DELAY_SLOTS, deriveWidths, UP5K_CAPACITY, type Capacity } from "../../sim/spec.ts";
import { Simulator, type CoreState } from "../../sim/simulator.ts";
import { EventWordParser } from "./event-words.ts";
import { encodeFields } from "./fields.ts";
import { ackFrame, bytesToWords, DECODE, dataFrame, eventsFrame, nackFrame, payloadOf, type RawFrame } from "./frame.ts";
import { FrameReceiver } from "./frame-splitter.ts";
import {
  CAPS_FIELDS,
  CAPS_FLAG,
  DEFAULT_BAUD,
  DEFAULT_INPUT_BUFFER_WORDS,
  DEFAULT_OUTPUT_BUFFER_WORDS,
  DEFAULT_WINDOW,
  EVACK_FLAG,
  MAX_PAYLOAD,
  MAX_RUN_STEPS,
  MAX_SKIP,
  OP,
  PROTOCOL_VERSION,
  RUN_ACK_FIELDS,
  RUN_STATE,
  SKIP_FLAG,
  STATUS_CODE,
  STATUS_FIELDS,
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
  wordsFit,
  wordsPerFrame,
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

const EVENTS_HEADER = 8;

interface ReadStream {
  readonly seq: number;
  readonly geometry: MemoryGeometry;
  addr: number;
  remaining: number;
}

interface RunState {
  steps: number;
  done: number;
  startStep: number;
  aborting: boolean;
  /** Completed input steps waiting for the core: ids and words attributed. */
  readonly queue: { ids: readonly number[]; words: number }[];
  /** Input words received and not yet consumed. */
  buffered: number;
  consumed: number;
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
  /** Link counters (STATUS). */
  readonly stats = { rxFrames: 0, crcErrors: 0, frameErrors: 0, nacks: 0 };

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
  // Output stream of the current/last run.
  private out: number[] = [];
  private outBase = 0; // stream index of out[0]
  private written = 0;
  private sent = 0;
  private acked = 0;
  private pendingSkip = 0;
  private reportedConsumed = 0;
  private lastConsumed = 0;
  private pumping = false;
  private readonly startTime = performance.now();

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
      const k = Math.min(r.remaining, wordsPerFrame(this.maxPayload, r.geometry.wordBytes));
      this.io.send(dataFrame(r.seq, { memory: r.geometry.id, count: k, addr: r.addr }, this.readWords(r.geometry, r.addr, k)));
      r.addr += k;
      r.remaining -= k;
      if (r.remaining === 0) this.read = undefined;
      return true;
    }
    const frame = this.dueEvents();
    if (frame !== undefined) {
      this.io.send(frame);
      return true;
    }
    return false;
  }

  /** The EVENTS frame the board sends now (docs/protocol.md §7.4), if any. */
  private dueEvents(): Uint8Array | undefined {
    const perFrame = Math.floor((this.maxPayload - EVENTS_HEADER) / 2);
    const unsent = this.written - this.sent;
    const consumed = this.run?.consumed ?? this.lastConsumed;
    const unreported = consumed !== this.reportedConsumed;
    const waiting = this.run === undefined || this.coreWaiting();
    const due = unsent >= perFrame || ((unsent > 0 || unreported) && waiting) || consumed - this.reportedConsumed >= this.inputBufferWords / 4;
    if (!due) return undefined;
    const k = Math.min(unsent, perFrame);
    const words = Uint16Array.from(this.out.slice(this.sent - this.outBase, this.sent - this.outBase + k));
    const frame = eventsFrame(this.sent, consumed, words);
    this.sent += k;
    this.reportedConsumed = consumed;
    return frame;
  }

  private coreWaiting(): boolean {
    const run = this.run;
    if (run === undefined) return true;
    return run.queue.length === 0 || !this.outputRoom();
  }

  /**
   * Room for the words a step may write (a skip flush, a count, one per recorded neuron). The
   * RTL stalls word by word; this model steps whole, so it also steps into an empty buffer even
   * when the worst case exceeds it (the buffer then overfills by at most one step's words).
   */
  private outputRoom(): boolean {
    const worst = 2 + this.recordCount();
    return this.written === this.acked || this.written + worst - this.acked <= this.outputBufferWords;
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
    if (type === OP.EVACK) {
      if (payload.length !== DECODE.evack.size) return;
      const v = DECODE.evack.decode(payload);
      this.evack(Number(v.received), Number(v.flags));
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
      case OP.ABORT:
        if (payload.length !== 0) return STATUS_CODE.PAYLOAD;
        if (this.run !== undefined) this.abort();
        this.queueResponse(ackFrame(seq));
        return undefined;
      default:
        return STATUS_CODE.OPCODE;
    }
  }

  private access(payload: Uint8Array): { geometry: MemoryGeometry; addr: number; count: number } | number {
    if (payload.length < DECODE.access.size) return STATUS_CODE.PAYLOAD;
    const v = DECODE.access.decode(payload);
    const geometry = this.map[Number(v.memory)];
    if (geometry === undefined) return STATUS_CODE.MEMORY;
    const addr = Number(v.addr);
    const count = Number(v.count);
    if (count === 0 || addr + count > geometry.depth) return STATUS_CODE.ADDRESS;
    return { geometry, addr, count };
  }

  private write(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    const a = this.access(payload);
    if (typeof a === "number") return a;
    const { geometry: g, addr, count } = a;
    const words = payload.subarray(DECODE.access.size);
    if (words.length !== count * g.wordBytes) return STATUS_CODE.PAYLOAD;
    if (!g.writable) return STATUS_CODE.READ_ONLY;
    if (running) return STATUS_CODE.BUSY;
    if (!wordsFit(words, g.wordBytes, g.bits)) return STATUS_CODE.RANGE;
    const values = unpackWords(words, g.wordBytes);
    if (g.id === MEMORY.CONFIG && !this.configValid(addr, values)) return STATUS_CODE.RANGE;
    if (g.id === MEMORY.FANOUT_PTR || g.id === MEMORY.FANIN_PTR) {
      const { base, count: n } = splitPointers(values, pointerHalfBytes(this.capacity));
      for (let i = 0; i < values.length; i++) if (base[i] >= this.capacity.synapses || base[i] + n[i] > this.capacity.synapses) return STATUS_CODE.RANGE;
    }
    if (g.id === MEMORY.FANIN_LIST && values.some((v) => v >= this.capacity.synapses)) return STATUS_CODE.RANGE;
    this.memories[g.id].set(words, addr * g.wordBytes);
    this.simDirty = true;
    this.queueResponse(ackFrame(seq));
    return undefined;
  }

  private configValid(addr: number, values: readonly number[]): boolean {
    const cap = this.capacity;
    const limits = [
      [1, cap.neurons],
      [0, cap.axons],
      [0, cap.neurons],
      [0, cap.neurons],
      [0, 0xffffffff],
      [0, 0x1ffff],
    ];
    return values.every((v, i) => v >= limits[addr + i][0] && v <= limits[addr + i][1]);
  }

  private startRead(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    const a = this.access(payload);
    if (typeof a === "number") return a;
    if (payload.length !== DECODE.access.size) return STATUS_CODE.PAYLOAD;
    if (running && a.geometry.id !== MEMORY.COUNTERS) return STATUS_CODE.BUSY;
    this.read = { seq, geometry: a.geometry, addr: a.addr, remaining: a.count };
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
    this.outBase = 0;
    this.written = this.sent = this.acked = 0;
    this.pendingSkip = 0;
    this.reportedConsumed = this.lastConsumed = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Runs.

  private startRun(seq: number, payload: Uint8Array, running: boolean): number | undefined {
    if (payload.length !== DECODE.run.size) return STATUS_CODE.PAYLOAD;
    if (running) return STATUS_CODE.BUSY;
    const steps = Number(DECODE.run.decode(payload).steps);
    if (steps < 1 || steps > MAX_RUN_STEPS) return STATUS_CODE.RANGE;
    const cfg = configFromWords(unpackWords(this.memories[MEMORY.CONFIG], 4));
    if (cfg.recordBase + cfg.recordCount > cfg.numNeurons || cfg.numNeurons < 1) return STATUS_CODE.RANGE;
    try {
      this.prepareSimulator();
    } catch (error) {
      if (error instanceof LociError) return STATUS_CODE.RANGE;
      throw error;
    }
    const startStep = this.counters[COUNTER_REG.steps];
    this.clearOutputStream();
    this.run = {
      steps,
      done: 0,
      startStep,
      aborting: false,
      queue: [],
      buffered: 0,
      consumed: 0,
      parser: new EventWordParser({ indexLimit: cfg.numAxons, maxPerStep: Math.min(cfg.numAxons, this.inputBufferWords - 1), maxSteps: steps }),
    };
    this.queueResponse(ackFrame(seq, payloadOf(RUN_ACK_FIELDS, { startStep })));
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
    // Words of a record still incomplete are buffered but belong to no step yet.
    run.buffered += words.length;
    this.queueResponse(ackFrame(seq));
    return undefined;
  }

  private abort(): void {
    const run = this.run!;
    run.aborting = true;
    // Steps whose input is complete run; then the step in progress runs with what it has.
    while (run.queue.length > 0 && run.done < run.steps) this.step(run, run.queue.shift()!);
    if (run.done < run.steps) this.step(run, { ids: run.parser.partial, words: 0 });
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
    }
    return progress;
  }

  private step(run: RunState, input: { ids: readonly number[]; words: number }): void {
    const sim = this.sim!;
    const before = sim.counters().synapticEvents;
    const result = sim.stepOnce(input.ids);
    run.consumed += input.words;
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
    if (recorded.length === 0) {
      if (++this.pendingSkip === MAX_SKIP) this.flushSkip();
    } else {
      this.flushSkip();
      this.emit(recorded.length);
      for (const j of recorded) this.emit(j);
    }
  }

  private flushSkip(): void {
    if (this.pendingSkip > 0) this.emit(SKIP_FLAG | this.pendingSkip);
    this.pendingSkip = 0;
  }

  private emit(word: number): void {
    this.out.push(word);
    this.written++;
  }

  private finishRun(run: RunState): void {
    this.flushSkip();
    this.lastConsumed = run.consumed;
    this.syncStateFromSimulator();
    this.run = undefined;
  }

  private evack(received: number, flags: number): void {
    if (received >= this.acked && received <= this.written) {
      if (received > this.acked) {
        this.out.splice(0, received - this.outBase);
        this.outBase = received;
      }
      this.acked = Math.max(this.acked, received);
      if ((flags & EVACK_FLAG.resend) !== 0) this.sent = received;
      else this.sent = Math.max(this.sent, received);
    }
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
    const out = new Uint8Array(56);
    const uptime = BigInt(Math.floor(((performance.now() - this.startTime) / 1000) * this.clockHz));
    encodeFields(
      STATUS_FIELDS,
      {
        state: run === undefined ? RUN_STATE.idle : run.aborting ? RUN_STATE.aborting : RUN_STATE.running,
        expected: this.expected,
        stepsRemaining: run === undefined ? 0 : run.steps - run.done,
        stepCounter: this.counters[COUNTER_REG.steps],
        inputConsumed: run?.consumed ?? this.lastConsumed,
        outputWritten: this.written,
        outputAcked: this.acked,
        uptimeCycles: uptime,
        rxFrames: this.stats.rxFrames,
        crcErrors: this.stats.crcErrors,
        frameErrors: this.stats.frameErrors,
        garbageBytes: this.receiver.garbageBytes,
        nacks: this.stats.nacks,
      },
      out,
    );
    return out;
  }
}
