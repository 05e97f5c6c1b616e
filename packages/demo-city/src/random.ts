/**
 * A small seeded PRNG (mulberry32) and helpers. Every entity draws from its own stream,
 * seeded from (city seed, kind, index), so any household, employer or vacancy can be
 * generated on its own, in any order, and always comes out the same.
 */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Random {
  private state: number;
  /** Per city and kind of entity: makes `uuid(unique)` distinct across cities and kinds. */
  private readonly salt: number;

  constructor(seed: number, salt = 0) {
    this.state = seed >>> 0;
    this.salt = salt >>> 0;
  }

  static stream(citySeed: string | number, kind: string, index: number): Random {
    const salt = hashString(`${citySeed}/${kind}`);
    return new Random(mix(salt ^ mix(index + 0x9e3779b9)), salt);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight from [item, weight] pairs. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [item, w] of table) {
      if ((x -= w) < 0) return item;
    }
    return table[table.length - 1]![0];
  }

  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  /**
   * A version-4 shaped UUID drawn from the stream (stable ids for a seeded city). With
   * `unique` (a number below 2^32 that no other id of this kind in the city uses), the
   * first 32 bits are a bijection of it, so ids never repeat: two entities' streams of a
   * 32-bit generator can overlap in a large city, and then their drawn words would too.
   * The stream advances the same either way.
   */
  uuid(unique?: number): string {
    const word = () => Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    const first = word();
    const lead = unique === undefined ? first : mix((unique ^ this.salt) >>> 0).toString(16).padStart(8, '0');
    const h = lead + word() + word() + word();
    const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
