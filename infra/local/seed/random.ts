/** A small seeded PRNG (mulberry32) so the demo data set is the same on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const index = Math.floor(next() * items.length);
      if (index >= items.length) throw new Error('pick from an empty list');
      return items[index] as T;
    },
    weighted: <T extends string>(weights: Record<T, number>): T => {
      const entries = Object.entries(weights) as [T, number][];
      let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll <= 0) return value;
      }
      // Rounding can leave a sliver of the roll: the last entry takes it.
      const last = entries.at(-1);
      if (!last) throw new Error('weighted pick without weights');
      return last[0];
    },
    /** Log-normal-ish duration around a median, in seconds. */
    duration: (medianSeconds: number, spread = 0.9) => {
      const u = Math.max(1e-9, next());
      const v = next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(1, Math.round(medianSeconds * Math.exp(normal * spread)));
    },
  };
}
export type Random = ReturnType<typeof seededRandom>;
