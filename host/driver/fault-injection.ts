// SPDX-License-Identifier: Apache-2.0
// A transport wrapper that corrupts the line: flips bits and drops bytes in either direction,
// deterministically from a seed, and counts what it did. Used to prove that every corruption is
// detected and retried and that the final state is exact.

import { Random } from "../../sim/random.ts";
import type { CloseListener, DataListener, Transport } from "./transport.ts";

/** What to corrupt. Rates are per byte (0..1). */
export interface FaultOptions {
  /** Probability that a byte gets one bit flipped. */
  readonly flipRate?: number;
  /** Probability that a byte is dropped. */
  readonly dropRate?: number;
  /** Which direction(s) to corrupt (default both). */
  readonly direction?: "both" | "toBoard" | "toHost";
  /** PRNG seed (default 1). */
  readonly seed?: number;
}

/** Counts of injected faults. */
export interface FaultCounts {
  flips: number;
  drops: number;
}

/** A Transport that corrupts the bytes passing through it. */
export class FaultyTransport implements Transport {
  readonly injected: { toBoard: FaultCounts; toHost: FaultCounts } = { toBoard: { flips: 0, drops: 0 }, toHost: { flips: 0, drops: 0 } };
  /** Set false to pass bytes unchanged (e.g. for the final readback). */
  enabled = true;
  private readonly rng: Random;

  constructor(
    readonly inner: Transport,
    private readonly options: FaultOptions,
  ) {
    this.rng = new Random(options.seed ?? 1);
  }

  get description(): string {
    return `faulty:${this.inner.description}`;
  }

  get baud(): number {
    return this.inner.baud;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  get responseTimeoutMs(): number | undefined {
    return this.inner.responseTimeoutMs;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  write(bytes: Uint8Array): Promise<void> {
    const d = this.options.direction ?? "both";
    return this.inner.write(d === "toHost" ? bytes : this.corrupt(bytes, this.injected.toBoard));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onData(listener: DataListener): () => void {
    const d = this.options.direction ?? "both";
    return this.inner.onData((chunk) => listener(d === "toBoard" ? chunk : this.corrupt(chunk, this.injected.toHost)));
  }

  onClose(listener: CloseListener): () => void {
    return this.inner.onClose(listener);
  }

  private corrupt(bytes: Uint8Array, counts: FaultCounts): Uint8Array {
    if (!this.enabled) return bytes;
    const flip = this.options.flipRate ?? 0;
    const drop = this.options.dropRate ?? 0;
    const out: number[] = [];
    for (const b of bytes) {
      if (drop > 0 && this.rng.nextFloat() < drop) {
        counts.drops++;
        continue;
      }
      if (flip > 0 && this.rng.nextFloat() < flip) {
        counts.flips++;
        out.push(b ^ (1 << this.rng.nextInt(8)));
        continue;
      }
      out.push(b);
    }
    return Uint8Array.from(out);
  }
}
