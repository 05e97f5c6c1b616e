/** Reproducible random samples: the same seed and the same population give the same sample. */

/** FNV-1a over the UTF-16 code units: a 32-bit seed from any string. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i += 1) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast and fully determined by its 32-bit state. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks k of the items uniformly without replacement (partial Fisher–Yates); the input is not changed. */
export function pick<T>(items: readonly T[], k: number, random: () => number): T[] {
  const pool = [...items];
  const n = Math.min(k, pool.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}

/**
 * Splits n seats among strata in proportion to their sizes by largest remainder (Hamilton);
 * ties go to the larger stratum, then to the smaller key, so the split is deterministic.
 */
export function allocate(sizes: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const seats = Math.min(n, total);
  const result = new Map<string, number>();
  if (total === 0) return result;
  const shares = [...sizes.entries()].map(([key, size]) => {
    const whole = Math.floor((seats * size) / total);
    return { key, size, whole, remainder: seats * size - whole * total };
  });
  let left = seats - shares.reduce((a, s) => a + s.whole, 0);
  shares.sort((a, b) => b.remainder - a.remainder || b.size - a.size || a.key.localeCompare(b.key));
  for (const share of shares) {
    const extra = left > 0 && share.whole < share.size ? 1 : 0;
    left -= extra;
    result.set(share.key, share.whole + extra);
  }
  return result;
}

/** How many to draw: an explicit count, or round(fraction × population), at least one when the fraction is positive. */
export function sampleSize(population: number, size: { count: number } | { fraction: number }): number {
  if ('count' in size) return Math.min(size.count, population);
  if (size.fraction <= 0 || population === 0) return 0;
  return Math.min(population, Math.max(1, Math.round(size.fraction * population)));
}

export interface StratifiedSampleOptions<T> {
  seed: string;
  size: { count: number } | { fraction: number };
  /** The stable identity of an item: the population is put in this order before drawing. */
  key(item: T): string;
  stratum(item: T): string;
}

export interface StratifiedSample<T> {
  items: T[];
  strata: { stratum: string; population: number; drawn: number }[];
}

/**
 * Proportional stratified sample. Each stratum draws from its own stream seeded by (seed, stratum),
 * so a change in one stratum's population leaves the draws in the other strata alone.
 */
export function stratifiedSample<T>(population: readonly T[], options: StratifiedSampleOptions<T>): StratifiedSample<T> {
  const groups = new Map<string, T[]>();
  for (const item of population) {
    const stratum = options.stratum(item);
    const group = groups.get(stratum) ?? [];
    group.push(item);
    groups.set(stratum, group);
  }
  const sizes = new Map([...groups.entries()].map(([k, v]) => [k, v.length]));
  const allocation = allocate(sizes, sampleSize(population.length, options.size));
  const items: T[] = [];
  const strata: StratifiedSample<T>['strata'] = [];
  for (const stratum of [...groups.keys()].sort()) {
    const group = (groups.get(stratum) ?? []).slice().sort((a, b) => options.key(a).localeCompare(options.key(b)));
    const drawn = pick(group, allocation.get(stratum) ?? 0, mulberry32(hashSeed(`${options.seed}\u0000${stratum}`)));
    drawn.sort((a, b) => options.key(a).localeCompare(options.key(b)));
    items.push(...drawn);
    strata.push({ stratum, population: group.length, drawn: drawn.length });
  }
  return { items, strata };
}

/** The report's on-site sample: applicant communities stratified by district (first six digits). */
export function sampleCommunities(codes: readonly string[], seed: string, size: { count: number } | { fraction: number }) {
  return stratifiedSample(codes, { seed, size, key: (c) => c, stratum: (c) => c.slice(0, 6) });
}

/**
 * The report's phone survey: about 1% of the registered unemployed, stratified by community, at
 * least one; never more than `maxCount` people, split over the communities in the same proportions.
 */
export function samplePhoneSurvey<T>(people: readonly T[], seed: string, options: { key(p: T): string; community(p: T): string; fraction?: number; maxCount?: number }) {
  const fraction = { fraction: options.fraction ?? 0.01 };
  const capped = options.maxCount !== undefined && sampleSize(people.length, fraction) > options.maxCount;
  return stratifiedSample(people, { seed: `${seed}\u0000phone`, size: capped ? { count: options.maxCount! } : fraction, key: options.key, stratum: options.community });
}
