/** Seeded pseudo-randomness for reproducible demo and benchmark data. */

/** A seeded generator with a few distribution helpers. */
export type Rng = {
  readonly next: () => number;
  readonly int: (minInclusive: number, maxInclusive: number) => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly weighted: <T>(items: readonly (readonly [T, number])[]) => T;
  readonly chance: (p: number) => boolean;
  /** Log-normal sample with the given median and 90th percentile. */
  readonly logNormal: (median: number, p90: number) => number;
};

/** mulberry32: small, fast, good enough for synthetic data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r <= 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    chance: (p) => next() < p,
    logNormal: (median, p90) => {
      // Box-Muller; sigma chosen so that the 90th percentile lands at p90 (z = 1.2816).
      const sigma = Math.log(p90 / median) / 1.2816;
      const u = Math.max(next(), 1e-12);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
  };
}
