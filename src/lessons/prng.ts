/**
 * A small seeded PRNG for exercise numbers (splitmix32's mixing). Lessons
 * must be reproducible from the seed alone, so nothing here reads the clock
 * or Math.random; the page may pick a fresh seed from crypto, but what a seed
 * generates is fixed forever (a seed in a link must give the same exercise).
 */
export interface Rng {
  /** A whole number in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** A bigint in [lo, hi], both inclusive, a multiple of `step`. */
  big(lo: bigint, hi: bigint, step?: bigint): bigint;
  pick<T>(items: readonly T[]): T;
}

export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const below = (n: bigint): bigint => {
    // Two draws give 64 bits: plenty for the ranges lessons use; the tiny modulo bias does not matter for teaching numbers.
    const wide = (BigInt(next()) << 32n) | BigInt(next());
    return wide % n;
  };
  return {
    int: (lo, hi) => lo + Number(below(BigInt(hi - lo + 1))),
    big: (lo, hi, step = 1n) => lo + below((hi - lo) / step + 1n) * step,
    pick: (items) => {
      const item = items[Number(below(BigInt(items.length)))];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/** Seeds are 32-bit unsigned; seed 0 is the canonical lesson, the numbers its built-in text uses. */
export const CANONICAL_SEED = 0;
export const MAX_SEED = 0xffff_ffff;

export function isSeed(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}
