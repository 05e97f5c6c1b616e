/**
 * A partition's candidate lists, packed into one binary value between the
 * partition jobs and the run's finalize step, laid out so that finalize reads it
 * with a few bulk copies rather than field by field:
 *
 *   8 bytes      "RSP1", then the number of seekers S (u32)
 *   4 bytes      the number of candidates N (u32)
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

/** One partition read back: its seekers in staged order, candidates seeker by seeker. */
export interface StagedPartition {
  seekers: StagedSeeker[];
  /** Seeker i's candidates are `start[i]..start[i+1]` of `vacancyNo` and `score`. */
  start: Int32Array;
  vacancyNo: Uint32Array;
  /** Millionths. */
  score: Uint32Array;
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
    const S = this.seekers;
    const N = this.candidates;
    const text = HEAD + S * META + S * ID + this.codeBytes;
    const aligned = (text + 3) & ~3;
    const buf = Buffer.alloc(aligned + 8 * N);
    buf.writeUInt32LE(MAGIC, 0);
    buf.writeUInt32LE(S, 4);
    buf.writeUInt32LE(N, 8);
    buf.set(this.meta.subarray(0, S * META), HEAD);
    buf.write(this.ids.join(''), HEAD + S * META, 'latin1');
    buf.write(this.codes.join(''), HEAD + S * META + S * ID, 'latin1');
    const le = (words: Uint32Array) => new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
    if (!LITTLE_ENDIAN) throw new Error('staging is written on little-endian machines only');
    buf.set(le(this.nos.data.subarray(0, N)), aligned);
    buf.set(le(this.scores.data.subarray(0, N)), aligned + 4 * N);
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
  let codeBytes = 0;
  let total = 0;
  const start = new Int32Array(S + 1);
  for (let i = 0; i < S; i++) {
    const o = HEAD + i * META;
    codeBytes += buf[o + 4]!;
    start[i] = total;
    total += buf[o + 6]! | (buf[o + 7]! << 8);
  }
  start[S] = total;
  const aligned = (codesAt + codeBytes + 3) & ~3;
  if (total !== N || aligned + 8 * N !== buf.length) throw new RangeError('truncated staged partition');
  const ids = buf.toString('latin1', idsAt, codesAt);
  const codes = buf.toString('latin1', codesAt, codesAt + codeBytes);
  const seekers: StagedSeeker[] = new Array(S);
  for (let i = 0, c = 0; i < S; i++) {
    const o = HEAD + i * META;
    const len = buf[o + 4]!;
    seekers[i] = { id: ids.slice(i * ID, (i + 1) * ID), communityCode: codes.slice(c, c + len), tier: buf[o]!, age: buf[o + 1]!, education: buf[o + 2]!, mask: buf[o + 3]! };
    c += len;
  }
  // One copy into aligned memory: a value read from the database need not start at a multiple of 4.
  const words = new Uint32Array(2 * N);
  new Uint8Array(words.buffer).set(buf.subarray(aligned, aligned + 8 * N));
  return { seekers, start, vacancyNo: words.subarray(0, N), score: words.subarray(N) };
}
