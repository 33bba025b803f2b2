// SPDX-License-Identifier: Apache-2.0
// The board, high level: capabilities, memory reads and writes in windowed blocks, flashing an
// image with verification by readback, runs with input events and collected output events
// (credits from the steps the output shows ended, POLL), and readback of state, counters and
// learned weights.

import { performance } from "node:perf_hooks";
import type { CoreMemories } from "../../sim/memory-layout.ts";
import { DELAY_SLOTS, deriveWidths, type Capacity } from "../../sim/spec.ts";
import type { CoreState } from "../../sim/simulator.ts";
import { signExtend } from "../../sim/fixed.ts";
import { LociError } from "../../sim/errors.ts";
import { LinkClient, type DataPiece, type LinkOptions } from "./client.ts";
import { FrameError, NackError, TimeoutError } from "./errors.ts";
import { encodeEventWords, EventWordParser, wordsTakenAfterStep } from "./event-words.ts";
import { bytesToWords, DECODE, payloadOf } from "./frame.ts";
import {
  ACCESS_FIELDS,
  FRAME_OVERHEAD,
  MAX_RUN_STEPS,
  OP,
  POLL_FIELDS,
  PROTOCOL_VERSION,
  RUN_FIELDS,
  RUN_STATE,
  STATUS_CODE,
} from "./protocol.ts";
import {
  CONFIG_REG,
  COUNTER_REG,
  COUNTER_WORDS,
  imageRegions,
  MEMORY,
  memoryMap,
  packWords,
  stateFields,
  unpackWords,
  wordsPerFrame,
  type MemoryGeometry,
} from "./memory-map.ts";
import type { Transport } from "./transport.ts";

/** What HELLO reports. */
export interface Capabilities {
  readonly protocolVersion: number;
  readonly coreSpecVersion: number;
  /** Largest frame payload, bytes. */
  readonly maxPayload: number;
  /** Frames the host may have unanswered. */
  readonly window: number;
  readonly flags: number;
  readonly capacity: Capacity;
  readonly delaySlots: number;
  readonly weightBits: number;
  readonly synapseWordBits: number;
  readonly ringBits: number;
  /** Input words the board buffers (credits). */
  readonly inputBufferWords: number;
  /** Output words the board holds until the host has taken them. */
  readonly outputBufferWords: number;
  readonly maxInputsPerStep: number;
  /** Line rate, baud. */
  readonly baud: number;
  /** Core clock, Hz. */
  readonly clockHz: number;
  readonly buildId: number;
}

/** What STATUS reports. */
export interface BoardStatus {
  /** 0 idle, 1 running, 2 aborting (RUN_STATE). */
  readonly state: number;
  /** The sequence number the board expects next. */
  readonly expected: number;
  /** Frames with a readable header received (answered, or dropped for want of a buffer), mod 2^16. */
  readonly frames: number;
  /** Bytes discarded while hunting for SYNC, mod 2^16. */
  readonly garbageBytes: number;
}

/** Counters read from the board (u32, wrapping). */
export interface BoardCounters {
  readonly steps: number;
  readonly cycles: number;
  readonly lastStepCycles: number;
  readonly spikes: number;
  readonly inputEvents: number;
  readonly synapticEvents: number;
  readonly outputEvents: number;
  readonly stallCycles: number;
}

/** Progress callback: `done` of `total` bytes. */
export type ProgressFn = (done: number, total: number, phase: string) => void;

/** Result of flashing an image. */
export interface FlashReport {
  /** Memory bytes written (words × word size). */
  readonly dataBytes: number;
  /** Bytes on the wire host -> board for the writes (frames included). */
  readonly writeWireBytes: number;
  /** Bytes on the wire board -> host for the verification. */
  readonly readWireBytes: number;
  readonly writeMs: number;
  readonly verifyMs: number;
  /** Words compared by the verification (0 without verify). */
  readonly verifiedWords: number;
}

/** Output spikes of a run: `spikes[t]` lists the recorded neurons of step startStep + t. */
export interface RunResult {
  readonly startStep: number;
  /** Steps run (fewer than asked when the run was aborted). */
  readonly steps: number;
  readonly spikes: (readonly number[])[];
  readonly inputWords: number;
  readonly outputWords: number;
  readonly ms: number;
}

/** Options of `Board.run`. */
export interface RunOptions {
  /** Called with steps covered by the output so far. */
  readonly onProgress?: (stepsDone: number, steps: number) => void;
  /** Abort the run when this signal fires (the board completes the step in progress). */
  readonly signal?: AbortSignal;
  /**
   * Fail with E_TIMEOUT when no step end has arrived for this long (wall-clock ms; default
   * 30,000). The run is then aborted (best effort).
   */
  readonly progressTimeoutMs?: number;
}

/** Default of `RunOptions.progressTimeoutMs`. */
export const DEFAULT_RUN_PROGRESS_TIMEOUT_MS = 30_000;

/** A connected board. */
export class Board {
  readonly map: readonly MemoryGeometry[];

  private constructor(
    readonly link: LinkClient,
    readonly caps: Capabilities,
  ) {
    this.map = memoryMap(caps.capacity);
  }

  /** Open the transport, start a session and read the capabilities. Aborts a run left over. */
  static async open(transport: Transport, options: LinkOptions = {}): Promise<Board> {
    if (!transport.isOpen) await transport.open();
    const link = new LinkClient(transport, options);
    try {
      const caps = decodeCapabilities(await link.connect());
      if (caps.protocolVersion !== PROTOCOL_VERSION) {
        throw new FrameError(`the board speaks protocol version ${caps.protocolVersion}, this host ${PROTOCOL_VERSION}`, {
          context: { port: transport.description, protocolVersion: caps.protocolVersion },
          suggestion: "Program the board with a bitstream built from this checkout (or update the host).",
        });
      }
      link.configure({ window: caps.window, maxPayload: caps.maxPayload });
      const board = new Board(link, caps);
      const status = await board.status();
      if (status.state !== 0) await board.abort();
      return board;
    } catch (error) {
      link.dispose();
      throw error;
    }
  }

  /** The transport. */
  get transport(): Transport {
    return this.link.transport;
  }

  /** Close the session and the port. */
  async close(): Promise<void> {
    this.link.dispose();
    await this.transport.close();
  }

  /** STATUS. */
  async status(): Promise<BoardStatus> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const p = await this.link.request(OP.STATUS, undefined, FRAME_OVERHEAD + DECODE.status.size);
      if (p !== undefined && p.length >= DECODE.status.size) return decodeStatus(p);
    }
    throw new TimeoutError("STATUS answered without its payload three times");
  }

  /** RESET: clear state, counters and step counter (parameters and weights stay). */
  async reset(): Promise<void> {
    await this.link.request(OP.RESET);
  }

  /** ABORT a run in progress (no-op when idle), and wait until it has ended (its output is dropped). */
  async abort(): Promise<void> {
    await this.link.request(OP.ABORT);
    await this.drainRun(() => undefined);
  }

  /**
   * After an ABORT: take output words (POLL) until the run has ended and the board holds none,
   * giving them to `onWords` (`alreadyTaken`: words of the last answer the caller has). The core
   * may wait for room in the output buffer to end its step.
   */
  private async drainRun(onWords: (words: Uint16Array) => void, alreadyTaken = 0, deadline = Infinity): Promise<void> {
    let taken = alreadyTaken;
    for (let rounds = 0; ; rounds++) {
      if (rounds > 10_000 || performance.now() > deadline) throw new TimeoutError("the board did not end the aborted run");
      const idle = (await this.status()).state === RUN_STATE.idle;
      const words = await this.poll(taken);
      taken = words?.length ?? 0;
      if (words !== undefined && words.length > 0) onWords(words);
      if (idle && words !== undefined && words.length === 0) return;
      if (words === undefined || words.length === 0) await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** POLL: free the `taken` oldest output words; the words the board holds now (undefined when the answer was lost). */
  async poll(taken: number): Promise<Uint16Array | undefined> {
    const p = await this.link.request(OP.POLL, payloadOf(POLL_FIELDS, { taken }), FRAME_OVERHEAD + 256);
    if (p === undefined || p.length % 2 !== 0) return undefined;
    return bytesToWords(p);
  }

  /** Write word values to a memory, in windowed frames. Resolves when every frame is acknowledged. */
  async writeMemory(memory: number, addr: number, words: readonly number[], onBytes?: (n: number) => void): Promise<number> {
    const g = this.geometry(memory);
    const per = wordsPerFrame(this.link.maxPayload, g.wordBytes);
    const pending: Promise<unknown>[] = [];
    let wire = 0;
    for (let i = 0; i < words.length; i += per) {
      const chunk = words.slice(i, i + per);
      const payload = payloadOf(ACCESS_FIELDS, { memory, count: chunk.length, addr: addr + i }, packWords(chunk, g.wordBytes));
      wire += payload.length + FRAME_OVERHEAD;
      const bytes = payload.length + FRAME_OVERHEAD;
      pending.push(this.link.request(OP.WRITE, payload).then(() => onBytes?.(bytes)));
    }
    await Promise.all(pending);
    return wire;
  }

  /** Read `count` words of a memory (re-reading ranges whose DATA frames were damaged). */
  async readMemory(memory: number, addr: number, count: number): Promise<number[]> {
    const g = this.geometry(memory);
    const out = new Array<number>(count);
    const have = new Uint8Array(count);
    let missing: [number, number][] = [[addr, count]];
    let missingWords = count;
    // Give up only after 16 rounds in a row that recovered nothing.
    for (let idle = 0; missing.length > 0; ) {
      if (idle > 16) throw new TimeoutError(`READ of ${g.name}[${addr}..${addr + count}) kept losing data frames`, { context: { memory: g.name } });
      const next: [number, number][] = [];
      for (const [a, n] of missing) {
        for (let off = 0; off < n; off += 0xffff) {
          const access = { memory, addr: a + off, count: Math.min(0xffff, n - off) };
          const pieces = await this.link.readStream(access, g.wordBytes, payloadOf(ACCESS_FIELDS, access));
          this.place(pieces, g, addr, count, out, have);
        }
      }
      for (let i = 0; i < count; ) {
        if (have[i]) {
          i++;
          continue;
        }
        let j = i;
        while (j < count && !have[j]) j++;
        next.push([addr + i, j - i]);
        i = j;
      }
      missing = next;
      const left = next.reduce((n, [, k]) => n + k, 0);
      idle = left < missingWords ? 0 : idle + 1;
      missingWords = left;
    }
    return out;
  }

  private place(pieces: readonly DataPiece[], g: MemoryGeometry, addr: number, count: number, out: number[], have: Uint8Array): void {
    for (const p of pieces) {
      const values = unpackWords(p.words, g.wordBytes);
      for (let k = 0; k < values.length; k++) {
        const i = p.addr + k - addr;
        if (i >= 0 && i < count) {
          out[i] = values[k];
          have[i] = 1;
        }
      }
    }
  }

  private geometry(memory: number): MemoryGeometry {
    const g = this.map[memory];
    if (g === undefined) throw new FrameError(`unknown memory id ${memory}`);
    return g;
  }

  /**
   * Flash an image: write every region (windowed), RESET, then verify by reading every region
   * back and comparing word by word. Throws E_MISMATCH naming the first differing word.
   */
  async flash(mem: CoreMemories, options: { verify?: boolean; onProgress?: ProgressFn } = {}): Promise<FlashReport> {
    this.checkFits(mem);
    const regions = imageRegions(mem);
    const dataBytes = regions.reduce((n, r) => n + r.words.length * r.wordBytes, 0);
    const perFrameOverhead = (r: { words: readonly number[]; wordBytes: number }): number =>
      Math.ceil(r.words.length / wordsPerFrame(this.link.maxPayload, r.wordBytes)) * (FRAME_OVERHEAD + 8);
    // (WRITE frames carry an 8-byte access header.)
    const totalWire = regions.reduce((n, r) => n + r.words.length * r.wordBytes + perFrameOverhead(r), 0);
    const verify = options.verify ?? true;
    const t0 = performance.now();
    let done = 0;
    let wireWrite = 0;
    const writes = regions.map((r) =>
      this.writeMemory(r.memory, r.addr, r.words, (n) => {
        done += n;
        options.onProgress?.(done, verify ? 2 * totalWire : totalWire, "write");
      }),
    );
    for (const w of await Promise.all(writes)) wireWrite += w;
    await this.reset();
    const t1 = performance.now();
    let verifiedWords = 0;
    const rxBefore = this.link.stats.bytesReceived;
    if (verify) {
      for (const r of regions) {
        const got = await this.readMemory(r.memory, r.addr, r.words.length);
        for (let i = 0; i < r.words.length; i++) {
          if (got[i] !== r.words[i]) {
            throw new LociError("E_MISMATCH", `verify failed: ${r.name}[${r.addr + i}] reads 0x${got[i].toString(16)}, wrote 0x${r.words[i].toString(16)}`, {
              context: { memory: r.name, addr: r.addr + i, wrote: r.words[i], read: got[i] },
              suggestion: "Flash again; if it persists the board's memory or bitstream is faulty.",
            });
          }
        }
        verifiedWords += r.words.length;
        done += r.words.length * r.wordBytes + perFrameOverhead(r);
        options.onProgress?.(done, 2 * totalWire, "verify");
      }
    }
    return {
      dataBytes,
      writeWireBytes: wireWrite,
      readWireBytes: this.link.stats.bytesReceived - rxBefore,
      writeMs: t1 - t0,
      verifyMs: performance.now() - t1,
      verifiedWords,
    };
  }

  private checkFits(mem: CoreMemories): void {
    const a = mem.capacity;
    const b = this.caps.capacity;
    if (a.neurons !== b.neurons || a.axons !== b.axons || a.synapses !== b.synapses || a.maxFanIn !== b.maxFanIn) {
      throw new LociError("E_CAPACITY", `the image is built for ${describeCapacity(a)}, the board has ${describeCapacity(b)}`, {
        context: { image: describeCapacity(a), board: describeCapacity(b) },
        suggestion: "Compile the network for this board's capacity (loci board info shows it).",
      });
    }
  }

  /**
   * Run `steps` steps with the input axons `inputAt(t)` at step t (relative to the run), and
   * collect the recorded output spikes. Input streams under credits (the words of the steps the
   * output shows ended are free again); output is taken with POLL (docs/protocol.md §7).
   */
  async run(steps: number, inputAt: (step: number) => ArrayLike<number>, options: RunOptions = {}): Promise<RunResult> {
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_RUN_STEPS) throw new LociError("E_RANGE", `steps = ${steps} is out of range (1..${MAX_RUN_STEPS})`);
    for (let t = 0; t < steps; t++) {
      const n = inputAt(t).length;
      if (n > this.caps.maxInputsPerStep) {
        throw new LociError("E_RANGE", `step ${t} has ${n} input events; this board takes at most ${this.caps.maxInputsPerStep} per step`, {
          context: { step: t, events: n, allowed: `0..${this.caps.maxInputsPerStep}` },
          suggestion: "Spread the input over more steps or lower its rate.",
        });
      }
    }
    const r = CONFIG_REG;
    const config = await this.readMemory(MEMORY.CONFIG, 0, Math.max(r.numNeurons, r.numAxons, r.recordBase, r.recordCount) + 1);
    const numNeurons = config[r.numNeurons];
    const [recordBase, recordCount] = [config[r.recordBase], config[r.recordCount]];
    if (recordBase + recordCount > numNeurons) {
      // docs/protocol.md §6: the reference model refuses such a RUN (RANGE), the board does not
      // check it; the driver refuses it on both.
      throw new LociError("E_RANGE", `the record window ${recordBase} .. ${recordBase + recordCount - 1} reaches past the ${numNeurons} neurons in use`, {
        context: { recordBase, recordCount, numNeurons, allowed: `recordBase + recordCount <= ${numNeurons}` },
        suggestion: "Write CONFIG recordBase and recordCount so that the window lies inside the neurons in use (or flash the image again).",
      });
    }
    this.checkInput(steps, inputAt, config[CONFIG_REG.numAxons]);
    const words = encodeEventWords(steps, inputAt);
    const takenAfter = wordsTakenAfterStep(words, steps);
    const startStep = (await this.readMemory(MEMORY.COUNTERS, COUNTER_REG.steps, 1))[0];
    const t0 = performance.now();
    const spikes: (readonly number[])[] = new Array(steps);
    const parser = new EventWordParser({ indexLimit: numNeurons });
    let outputWords = 0;
    let failure: Error | undefined;
    const progressTimeoutMs = options.progressTimeoutMs ?? DEFAULT_RUN_PROGRESS_TIMEOUT_MS;
    let lastProgressAt = performance.now();
    let lastCovered = 0;
    const take = (out: Uint16Array): void => {
      outputWords += out.length;
      const err = parser.check(out);
      if (err !== undefined) {
        failure ??= new FrameError(`the board sent an invalid output stream: ${err}`);
        return;
      }
      parser.take(out, (step, ids) => {
        if (step < steps) spikes[step] = ids;
      });
      if (parser.stepsCovered > lastCovered) {
        lastCovered = parser.stepsCovered;
        lastProgressAt = performance.now();
      }
      options.onProgress?.(Math.min(parser.stepsCovered, steps), steps);
    };
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const sleep = (ms: number): Promise<void> =>
      new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, ms);
      });
    const aborted = (): boolean => options.signal?.aborted === true;
    const pending: Promise<unknown>[] = [];
    const track = (p: Promise<unknown>): void => {
      pending.push(
        p.catch((e: Error) => {
          // After an ABORT the board may refuse input that was already in flight: expected.
          if (!(aborted() && e instanceof NackError && e.status === STATUS_CODE.IDLE)) failure ??= e;
          notify();
        }),
      );
    };
    const onAbort = (): void => notify();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let runSent = false;
    try {
      if (aborted()) return { startStep, steps: 0, spikes: [], inputWords: 0, outputWords: 0, ms: performance.now() - t0 };
      track(this.link.request(OP.RUN, payloadOf(RUN_FIELDS, { steps })));
      runSent = true;
      const q = this.caps.inputBufferWords;
      const perFrame = Math.floor(this.link.maxPayload / 2);
      let sent = 0;
      let taken = 0;
      let polling = false;
      let idlePolls = 0;
      // After an empty POLL answer the next POLL waits min(20, empty answers in a row) ms
      // (docs/protocol.md §7.4, §8): the core needs time, and the line is left to the input.
      let nextPollAt = 0;
      while (parser.stepsCovered < steps && !aborted()) {
        if (failure !== undefined) throw failure;
        if (performance.now() - lastProgressAt > progressTimeoutMs) {
          throw new TimeoutError(`the run made no progress for ${progressTimeoutMs} ms (at step ${parser.stepsCovered} of ${steps})`, {
            context: { port: this.transport.description, step: parser.stepsCovered, steps, progressTimeoutMs },
            suggestion:
              "The board stopped ending steps: check its status (loci board info), that the image is valid for it, and the link; raise RunOptions.progressTimeoutMs for a board that is this slow.",
          });
        }
        const done = parser.stepsCovered;
        const credit = q - (sent - (done > 0 ? takenAfter[done - 1] : 0));
        if (sent < words.length && credit > 0) {
          const n = Math.min(perFrame, credit, words.length - sent);
          const chunk = words.subarray(sent, sent + n);
          track(this.link.request(OP.INPUT, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice()));
          sent += n;
          continue;
        }
        const now = performance.now();
        if (!polling && now >= nextPollAt) {
          polling = true;
          track(
            this.poll(taken).then((out) => {
              polling = false;
              taken = out?.length ?? 0;
              idlePolls = out !== undefined && out.length > 0 ? 0 : idlePolls + 1;
              nextPollAt = idlePolls > 0 ? performance.now() + Math.min(20, idlePolls) : 0;
              if (out !== undefined && out.length > 0) take(out);
              notify();
            }),
          );
          continue;
        }
        // Wait for the POLL in flight (its answer wakes us), or the pause after an empty answer.
        await sleep(polling ? 20 : Math.max(0, nextPollAt - now));
      }
      await Promise.all(pending);
      if (failure !== undefined) throw failure;
      if (aborted()) {
        // The board completes the step in progress; collect the output it wrote before it stopped.
        await this.link.request(OP.ABORT);
        await this.drainRun(take, taken);
      }
      const covered = Math.min(parser.stepsCovered, steps);
      for (let t = 0; t < covered; t++) spikes[t] ??= [];
      return { startStep, steps: covered, spikes: spikes.slice(0, covered), inputWords: words.length, outputWords, ms: performance.now() - t0 };
    } catch (error) {
      // The run failed after RUN went out: do not leave the board running (BUSY) for the rest of
      // the session. Best effort, bounded in time: the original error is what the caller gets.
      if (runSent) await this.abortQuietly(Math.min(progressTimeoutMs, 5000));
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * `run`'s input check (docs/protocol.md §7.1): per step at most `maxInputsPerStep` events, each
   * an axon below `numAxons`, distinct. The board checks only the range; the driver checks all
   * three before RUN goes out.
   */
  private checkInput(steps: number, inputAt: (step: number) => ArrayLike<number>, numAxons: number): void {
    const seen = new Uint32Array(numAxons);
    for (let t = 0; t < steps; t++) {
      const ids = inputAt(t);
      for (let i = 0; i < ids.length; i++) {
        const a = ids[i];
        if (!Number.isInteger(a) || a < 0 || a >= numAxons) {
          throw new LociError("E_RANGE", `step ${t}: input axon ${a} is out of range (0..${numAxons - 1}; the image has ${numAxons} axons)`, {
            context: { step: t, axon: a, allowed: numAxons > 0 ? `0..${numAxons - 1}` : "none (numAxons = 0)" },
            suggestion: "Give input only to the network's input axons (0 .. numAxons - 1).",
          });
        }
        if (seen[a] === t + 1) {
          throw new LociError("E_RANGE", `step ${t}: input axon ${a} appears twice (the axons of a step must be distinct)`, {
            context: { step: t, axon: a, allowed: `distinct axons in 0..${numAxons - 1}` },
            suggestion: "Give each axon at most one event per step.",
          });
        }
        seen[a] = t + 1;
      }
    }
  }

  /** ABORT and drain after a failed run, ignoring errors, for at most `ms`. */
  private async abortQuietly(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    const cleanup = (async (): Promise<void> => {
      await this.link.request(OP.ABORT);
      // Stops by itself at the deadline, so it never takes a later run's output.
      await this.drainRun(() => undefined, 0, deadline);
    })().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([cleanup, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** COUNTERS. */
  async counters(): Promise<BoardCounters> {
    const w = await this.readMemory(MEMORY.COUNTERS, 0, COUNTER_WORDS);
    const r = COUNTER_REG;
    return {
      steps: w[r.steps],
      cycles: w[r.cycles],
      lastStepCycles: w[r.lastStepCycles],
      spikes: w[r.spikes],
      inputEvents: w[r.inputEvents],
      synapticEvents: w[r.synapticEvents],
      outputEvents: w[r.outputEvents],
      stallCycles: w[r.stallCycles],
    };
  }

  /** Learned weights of synapses 0..count-1 (memory order). */
  async readWeights(count: number): Promise<Int8Array> {
    if (count === 0) return new Int8Array(0);
    return Int8Array.from(await this.readMemory(MEMORY.WEIGHTS, 0, count), (w) => signExtend(w, 8));
  }

  /** The core's dynamic state, in the simulator's shape (for exact comparison). */
  async readState(numNeurons: number, numAxons: number, numSynapses: number): Promise<CoreState> {
    const state = numNeurons > 0 ? await this.readMemory(MEMORY.STATE, 0, numNeurons) : [];
    const ring = numNeurons > 0 ? await this.readMemory(MEMORY.RING, 0, numNeurons * DELAY_SLOTS) : [];
    const axon = numAxons > 0 ? await this.readMemory(MEMORY.AXON_TRACE, 0, numAxons) : [];
    const weights = await this.readWeights(numSynapses);
    const counters = await this.counters();
    const fields = state.map(stateFields);
    const ringBits = deriveWidths(this.caps.capacity).ring;
    return {
      step: counters.steps,
      membrane: Int32Array.from(fields, (f) => f.membrane),
      current: Int32Array.from(fields, (f) => f.current),
      refractory: Int32Array.from(fields, (f) => f.refractory),
      neuronTrace: Int32Array.from(fields, (f) => f.trace),
      axonTrace: Int32Array.from(axon),
      weights,
      ring: Int32Array.from(ring, (w) => signExtend(w, ringBits)),
    };
  }
}

/** Decode the HELLO payload. */
export function decodeCapabilities(payload: Uint8Array): Capabilities {
  const v = DECODE.caps.decode(payload);
  const n = (k: string): number => Number(v[k]);
  return {
    protocolVersion: n("protocolVersion"),
    coreSpecVersion: n("coreSpecVersion"),
    maxPayload: n("maxPayload"),
    window: n("window"),
    flags: n("flags"),
    capacity: { neurons: n("neurons"), axons: n("axons"), synapses: n("synapses"), maxFanIn: n("maxFanIn") },
    delaySlots: n("delaySlots"),
    weightBits: n("weightBits"),
    synapseWordBits: n("synapseWordBits"),
    ringBits: n("ringBits"),
    inputBufferWords: n("inputBufferWords"),
    outputBufferWords: n("outputBufferWords"),
    maxInputsPerStep: n("maxInputsPerStep"),
    baud: n("baud"),
    clockHz: n("clockHz"),
    buildId: n("buildId"),
  };
}

/** Decode the STATUS payload. */
export function decodeStatus(payload: Uint8Array): BoardStatus {
  const v = DECODE.status.decode(payload);
  const n = (k: string): number => Number(v[k]);
  return { state: n("state"), expected: n("expected"), frames: n("frames"), garbageBytes: n("garbageBytes") };
}

/** "256 neurons, 1024 axons, 16384 synapses, fan-in 4096". */
export function describeCapacity(c: Capacity): string {
  return `${c.neurons} neurons, ${c.axons} axons, ${c.synapses} synapses, fan-in ${c.maxFanIn}`;
}
