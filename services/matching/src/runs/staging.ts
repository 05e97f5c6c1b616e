/**
 * A partition's candidate lists, packed into one binary value between the
 * partition jobs and the run's finalize step, laid out so that finalize reads it
 * with a few bulk copies rather than field by field:
 *
 *   8 bytes      "RSP1", then the number of seekers S (u32)
 *   4 bytes      the number of candidates N (u32)
 * Seekers come in id order (finalize merges the partitions instead of sorting them all).
 *
 *   S × 8 bytes  per seeker: priority tier, age, education rank, hardship category
 *                mask, length of the community code (u8 each), 1 byte unused, the
 *                number of candidates (u16)
 *   S × 36       the seekers' ids as text
 *   codes        the community codes' ASCII digits, one after the other
 *   padding      to a multiple of 4 bytes
 *   N × 4        the candidates' stable vacancy numbers (u32), seeker by seeker, best first
 *   N × 4        their scores in millionths (u32)
 *
 * Integers are little-endian. Scores are already rounded to 6 decimals by the
 * engine, so millionths carry them exactly and the allocation sees the same ties
 * as the ranking did.
 */

export interface StagedSeeker {
  id: string;
  communityCode: string;
  tier: number;
  age: number;
  education: number;
  mask: number;
}

/**
 * One partition read back, its seekers in id order, without an object per seeker:
 * seeker i's fields are at index i, its candidates `start[i]..start[i+1]` of
 * `vacancyNo` and `score` (see `stagedSeeker`).
 */
export interface StagedPartition {
  count: number;
  /** Every id, 36 characters each. */
  ids: string;
  /** Every community code, seeker i's from codeStart[i] to codeStart[i+1]. */
  codes: string;
  codeStart: Int32Array;
  tier: Uint8Array;
  age: Uint8Array;
  education: Uint8Array;
  mask: Uint8Array;
  start: Int32Array;
  vacancyNo: Uint32Array;
  /** Millionths. */
  score: Uint32Array;
}

export const stagedId = (p: StagedPartition, i: number): string => p.ids.slice(i * ID, (i + 1) * ID);

export const stagedCommunity = (p: StagedPartition, i: number): string => p.codes.slice(p.codeStart[i], p.codeStart[i + 1]);

export function stagedSeeker(p: StagedPartition, i: number): StagedSeeker {
  return { id: stagedId(p, i), communityCode: stagedCommunity(p, i), tier: p.tier[i]!, age: p.age[i]!, education: p.education[i]!, mask: p.mask[i]! };
}

const MAGIC = 0x31505352; // "RSP1" read as a little-endian u32
const HEAD = 12;
const META = 8;
const ID = 36;

class Growable {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(capacity);
  }
  reserve(more: number): Uint32Array {
    if (this.length + more > this.data.length) {
      const next = new Uint32Array(Math.max(this.data.length * 2, this.length + more));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    return this.data;
  }
}

export class PartitionWriter {
  private meta = new Uint8Array(META * 1024);
  private ids: string[] = [];
  private codes: string[] = [];
  private codeBytes = 0;
  private readonly nos = new Growable(1 << 16);
  private readonly scores = new Growable(1 << 16);
  /** Where each seeker's candidates begin in `nos` and `scores`, in the order added. */
  private readonly firsts: number[] = [];
  seekers = 0;
  candidates = 0;

  /** `vacancyNo[i]` and `score[i]` for i < n, best first. */
  add(s: StagedSeeker, n: number, vacancyNo: ArrayLike<number>, score: ArrayLike<number>): void {
    const code = s.communityCode;
    if (code.length > 255) throw new RangeError('community code too long');
    if (s.id.length !== ID) throw new RangeError('a seeker id is a 36-character uuid');
    if (n > 0xffff) throw new RangeError('too many candidates for one seeker');
    if ((this.seekers + 1) * META > this.meta.length) {
      const next = new Uint8Array(this.meta.length * 2);
      next.set(this.meta);
      this.meta = next;
    }
    const m = this.meta;
    const o = this.seekers * META;
    m[o] = s.tier;
    m[o + 1] = Math.max(0, Math.min(255, s.age));
    m[o + 2] = s.education;
    m[o + 3] = s.mask;
    m[o + 4] = code.length;
    m[o + 6] = n & 0xff;
    m[o + 7] = n >>> 8;
    this.ids.push(s.id);
    this.codes.push(code);
    this.codeBytes += code.length;
    const nos = this.nos.reserve(n);
    const scores = this.scores.reserve(n);
    const at = this.nos.length;
    this.firsts.push(at);
    for (let i = 0; i < n; i++) {
      nos[at + i] = vacancyNo[i]!;
      scores[at + i] = Math.round(score[i]! * 1e6);
    }
    this.nos.length += n;
    this.scores.length += n;
    this.seekers++;
    this.candidates += n;
  }

  finish(): Buffer {
    if (!LITTLE_ENDIAN) throw new Error('staging is written on little-endian machines only');
    const S = this.seekers;
    const N = this.candidates;
    const ids = this.ids;
    const order = Array.from(ids.keys()).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
    const text = HEAD + S * META + S * ID + this.codeBytes;
    const aligned = (text + 3) & ~3;
    // Its own memory, from offset 0, so that the number arrays below are aligned views.
    const buf = Buffer.from(new ArrayBuffer(aligned + 8 * N));
    buf.writeUInt32LE(MAGIC, 0);
    buf.writeUInt32LE(S, 4);
    buf.writeUInt32LE(N, 8);
    const nos = new Uint32Array(buf.buffer, buf.byteOffset + aligned, N);
    const scores = new Uint32Array(buf.buffer, buf.byteOffset + aligned + 4 * N, N);
    let c = 0;
    order.forEach((i, x) => {
      buf.set(this.meta.subarray(i * META, (i + 1) * META), HEAD + x * META);
      const from = this.firsts[i]!;
      const to = i + 1 < S ? this.firsts[i + 1]! : N;
      nos.set(this.nos.data.subarray(from, to), c);
      scores.set(this.scores.data.subarray(from, to), c);
      c += to - from;
    });
    buf.write(order.map((i) => ids[i]).join(''), HEAD + S * META, 'latin1');
    buf.write(order.map((i) => this.codes[i]).join(''), HEAD + S * META + S * ID, 'latin1');
    return buf;
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Reads a partition back; a value that is truncated or not a staged partition is refused, never misread. */
export function readPartition(buf: Buffer): StagedPartition {
  if (!LITTLE_ENDIAN) throw new Error('staging is read on little-endian machines only');
  if (buf.length < HEAD || buf.readUInt32LE(0) !== MAGIC) throw new RangeError('not a staged partition');
  const S = buf.readUInt32LE(4);
  const N = buf.readUInt32LE(8);
  const idsAt = HEAD + S * META;
  const codesAt = idsAt + S * ID;
  if (codesAt > buf.length) throw new RangeError('truncated staged partition');
  const start = new Int32Array(S + 1);
  const codeStart = new Int32Array(S + 1);
  const tier = new Uint8Array(S), age = new Uint8Array(S), education = new Uint8Array(S), mask = new Uint8Array(S);
  for (let i = 0; i < S; i++) {
    const o = HEAD + i * META;
    tier[i] = buf[o]!;
    age[i] = buf[o + 1]!;
    education[i] = buf[o + 2]!;
    mask[i] = buf[o + 3]!;
    codeStart[i + 1] = codeStart[i]! + buf[o + 4]!;
    start[i + 1] = start[i]! + (buf[o + 6]! | (buf[o + 7]! << 8));
  }
  const codeBytes = codeStart[S]!;
  const aligned = (codesAt + codeBytes + 3) & ~3;
  if (start[S] !== N || aligned + 8 * N !== buf.length) throw new RangeError('truncated staged partition');
  // One copy into aligned memory: a value read from the database need not start at a multiple of 4.
  const words = new Uint32Array(2 * N);
  new Uint8Array(words.buffer).set(buf.subarray(aligned, aligned + 8 * N));
  return {
    count: S, ids: buf.toString('latin1', idsAt, codesAt), codes: buf.toString('latin1', codesAt, codesAt + codeBytes), codeStart,
    tier, age, education, mask, start, vacancyNo: words.subarray(0, N), score: words.subarray(N),
  };
}

/** The seekers of a run in id order, each as (partition, index in it), the first partition (by key) winning a seeker staged twice. */
export function mergeById(parts: StagedPartition[]): { part: Int32Array; index: Int32Array } {
  // Each partition is in id order: a k-way merge over a heap of the partitions' next seekers.
  let total = 0;
  for (const p of parts) total += p.count;
  const part = new Int32Array(total);
  const index = new Int32Array(total);
  const next = new Int32Array(parts.length);
  const heads: { id: string; p: number }[] = [];
  const before = (a: { id: string; p: number }, b: { id: string; p: number }) => a.id < b.id || (a.id === b.id && a.p < b.p);
  const push = (h: { id: string; p: number }) => {
    let i = heads.push(h) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(h, heads[up]!)) break;
      heads[i] = heads[up]!;
      i = up;
    }
    heads[i] = h;
  };
  const pop = () => {
    const top = heads[0]!;
    const last = heads.pop()!;
    if (heads.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heads.length) break;
        const c = l + 1 < heads.length && before(heads[l + 1]!, heads[l]!) ? l + 1 : l;
        if (!before(heads[c]!, last)) break;
        heads[i] = heads[c]!;
        i = c;
      }
      heads[i] = last;
    }
    return top;
  };
  parts.forEach((p, i) => p.count > 0 && push({ id: stagedId(p, 0), p: i }));
  let n = 0;
  let previous = '';
  while (heads.length) {
    const { id, p } = pop();
    const i = next[p]!++;
    if (next[p]! < parts[p]!.count) push({ id: stagedId(parts[p]!, next[p]!), p });
    // A seeker who moved district mid-run may be staged by two partitions: the first (by key) counts.
    if (id === previous) continue;
    previous = id;
    part[n] = p;
    index[n++] = i;
  }
  return { part: part.subarray(0, n), index: index.subarray(0, n) };
}
