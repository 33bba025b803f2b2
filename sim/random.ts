// SPDX-License-Identifier: Apache-2.0
// A small deterministic PRNG (xoshiro128** seeded through splitmix32): the same seed gives the
// same numbers on every machine and every Node version, so generated stimuli are reproducible.

/** Deterministic 32-bit PRNG (xoshiro128**). Not for cryptography. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seed with any integer (taken modulo 2^32); the default seed is 1. */
  constructor(seed = 1) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32: spreads one 32-bit seed over the four state words (never all zero).
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 32 random bits (exactly representable). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An unbiased integer in [0, n) for 1 <= n <= 2^32 (rejection sampling). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`nextInt: n = ${n} is outside 1..2^32`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** An integer in [min, max] inclusive. */
  intBetween(min: number, max: number): number {
    return min + this.nextInt(max - min + 1);
  }

  /** Shuffle an array in place (Fisher-Yates) and return it. */
  shuffle<T extends { length: number; [k: number]: unknown }>(items: T): T {
    for (let k = items.length - 1; k > 0; k--) {
      const r = this.nextInt(k + 1);
      const tmp = items[k];
      items[k] = items[r];
      items[r] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
