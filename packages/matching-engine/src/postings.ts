/**
 * Inverted lists of vacancy positions by key (skill, skill family, occupation, occupation
 * group, category...), each readable at three widths: the whole city, one district, one
 * street. A seeker reads a key at the widest area where its list holds at most
 * `limit` vacancies (the street part otherwise): a rare key reaches the whole city, a
 * common one only the seeker's neighbourhood, and the work per seeker stays bounded
 * however large the city grows.
 */
export interface Postings {
  start: Int32Array;
  items: Int32Array;
  /** Parts of long lists: key * districts + district, and key * streets + street. */
  byDistrict: Map<number, Int32Array>;
  byStreet: Map<number, Int32Array>;
  /** City-wide lists that are short enough to be read whole, as views made once. */
  whole: (Int32Array | null)[];
  districts: number;
  streets: number;
  limit: number;
  /**
   * Every readable list (whole, district or street part) again as its vacancies' rows, in list
   * order (`withRows`): a seeker's scan reads them front to back instead of jumping to each
   * vacancy's row. Each vacancy's entry is in exactly one readable list, so this is one copy of
   * each row per key it is listed under.
   */
  rows?: Lists;
}

type Lists = { whole: (Int32Array | null)[]; byDistrict: Map<number, Int32Array>; byStreet: Map<number, Int32Array> };

const EMPTY = new Int32Array(0);

function split(list: ArrayLike<number>, area: Int32Array): Map<number, number[]> {
  const parts = new Map<number, number[]>();
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    const a = area[v]!;
    if (a < 0) continue;
    let part = parts.get(a);
    if (!part) parts.set(a, (part = []));
    part.push(v);
  }
  return parts;
}

export class PostingsBuilder {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  add(key: number, vacancy: number): void {
    this.keys.push(key);
    this.values.push(vacancy);
  }

  /**
   * `district[v]` and `street[v]` are area ids of vacancy v (-1 when unknown). Every list
   * and part keeps the order the vacancies were added in: the caller adds them by age
   * limit, oldest first, so that a seeker stops reading a list at the first vacancy too
   * young for him.
   */
  build(keyCount: number, areas: { district: Int32Array; districts: number; street: Int32Array; streets: number }, limit: number): Postings {
    const start = new Int32Array(keyCount + 1);
    for (const k of this.keys) start[k + 1]!++;
    for (let k = 0; k < keyCount; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, keyCount);
    const items = new Int32Array(this.keys.length);
    for (let i = 0; i < this.keys.length; i++) items[fill[this.keys[i]!]!++] = this.values[i]!;
    const byDistrict = new Map<number, Int32Array>();
    const byStreet = new Map<number, Int32Array>();
    for (let k = 0; k < keyCount; k++) {
      const list = items.subarray(start[k]!, start[k + 1]!);
      if (list.length <= limit) continue;
      for (const [d, part] of split(list, areas.district)) {
        byDistrict.set(k * areas.districts + d, Int32Array.from(part));
        if (part.length <= limit) continue;
        for (const [s, sub] of split(part, areas.street)) byStreet.set(k * areas.streets + s, Int32Array.from(sub));
      }
    }
    const whole: (Int32Array | null)[] = [];
    for (let k = 0; k < keyCount; k++) whole.push(start[k + 1]! - start[k]! <= limit ? items.subarray(start[k]!, start[k + 1]!) : null);
    return { start, items, byDistrict, byStreet, whole, districts: areas.districts, streets: areas.streets, limit };
  }
}

/**
 * How wide the list a seeker in (district, street) reads for `key` is: 2 the whole city, 1 his
 * district, 0 his street, -1 none (the key is cut into parts and his district or street is unknown).
 * A list read at width w holds every listed vacancy of that area: a vacancy in a list read
 * later at a width at most w, that the earlier list would have held, was seen there.
 */
export function readWidth(p: Postings, key: number, district: number, street: number): number {
  if (key < 0 || key >= p.whole.length || p.whole[key]) return 2;
  if (district < 0) return -1;
  // Whether the district part is read is decided on the positions (a list of rows is longer).
  const part = p.byDistrict.get(key * p.districts + district);
  if (!part || part.length <= p.limit) return 1;
  return street < 0 ? -1 : 0;
}

/** The list of `key` read at `width` (`readWidth`), taken from `lists` (the positions or their rows). */
function pick(p: Postings, lists: Lists, key: number, district: number, street: number, width: number): Int32Array {
  switch (width) {
    case 2:
      return (key >= 0 && lists.whole[key]) || EMPTY;
    case 1:
      return lists.byDistrict.get(key * p.districts + district) ?? EMPTY;
    case 0:
      return lists.byStreet.get(key * p.streets + street) ?? EMPTY;
    default:
      return EMPTY;
  }
}

/** The list a seeker in (district, street) reads for `key`: the widest area with at most `limit` vacancies. */
export function postingList(p: Postings, key: number, district: number, street: number): Int32Array {
  return pick(p, p, key, district, street, readWidth(p, key, district, street));
}

/**
 * `postingList`'s vacancies as their rows, after one header row (`withRows`: what the list's
 * vacancies have at most, for a bound on their scores); empty when the list is. `withRows` must have filled them.
 * `width` saves a caller that already has it a second `readWidth`.
 */
export function postingRows(p: Postings, key: number, district: number, street: number, width = readWidth(p, key, district, street)): Int32Array {
  return pick(p, p.rows!, key, district, street, width);
}

/**
 * Fills `p.rows`: each readable list's vacancies copied from `data` (`stride` fields a vacancy,
 * vacancy v at v * stride), field `positionField` of each copy overwritten by v, which the
 * reader needs and the row itself does not carry. Each list starts with one header row that
 * `summarize` fills from its positions (zeros before). Long district parts, never read as such, get none.
 */
export function withRows(p: Postings, data: Int32Array, stride: number, positionField: number, summarize: (list: Int32Array, header: Int32Array) => void): Postings {
  const byDistrictParts = [...p.byDistrict].filter(([, part]) => part.length <= p.limit);
  let total = 0;
  for (const list of p.whole) if (list?.length) total += list.length + 1;
  for (const [, part] of byDistrictParts) total += part.length + 1;
  for (const part of p.byStreet.values()) total += part.length + 1;
  // One buffer for all of them, each list a view of it: one allocation, not one per list.
  const all = new Int32Array(total * stride);
  let o = 0;
  const copy = (list: Int32Array): Int32Array => {
    if (list.length === 0) return EMPTY;
    const from = o;
    summarize(list, all.subarray(o, (o += stride)));
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      for (let f = 0, at = v * stride; f < stride; f++) all[o++] = data[at + f]!;
      all[o - stride + positionField] = v;
    }
    return all.subarray(from, o);
  };
  const whole = p.whole.map((list) => list && copy(list));
  const byDistrict = new Map<number, Int32Array>();
  for (const [d, part] of byDistrictParts) byDistrict.set(d, copy(part));
  const byStreet = new Map<number, Int32Array>();
  for (const [s, part] of p.byStreet) byStreet.set(s, copy(part));
  p.rows = { whole, byDistrict, byStreet };
  return p;
}
