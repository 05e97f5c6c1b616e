/**
 * A partition's candidate lists, packed into one binary value between the
 * partition jobs and the run's finalize step. Per seeker:
 *
 *   16 bytes  seeker id (the uuid's bytes)
 *   4 bytes   priority tier, age, education rank, hardship category mask
 *   1 byte    length of the community code, then its ASCII digits
 *   2 bytes   n, the number of candidates (little-endian)
 *   n × 8     the vacancy's stable number (u32) and the score in millionths (u32)
 *
 * Scores are already rounded to 6 decimals by the engine, so millionths carry
 * them exactly and the allocation sees the same ties as the ranking did.
 */

export interface StagedSeeker {
  id: string;
  communityCode: string;
  tier: number;
  age: number;
  education: number;
  mask: number;
}

export class PartitionWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  seekers = 0;
  candidates = 0;

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + bytes));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** `vacancyNo[i]` and `score[i]` for i < n, best first. */
  add(s: StagedSeeker, n: number, vacancyNo: (i: number) => number, score: Float64Array): void {
    const code = s.communityCode;
    if (code.length > 255) throw new RangeError('community code too long');
    this.reserve(16 + 4 + 1 + code.length + 2 + 8 * n);
    const b = this.buf;
    let o = this.used;
    b.write(s.id.replaceAll('-', ''), o, 16, 'hex');
    o += 16;
    b[o++] = s.tier;
    b[o++] = Math.max(0, Math.min(255, s.age));
    b[o++] = s.education;
    b[o++] = s.mask;
    b[o++] = code.length;
    b.write(code, o, code.length, 'latin1');
    o += code.length;
    b.writeUInt16LE(n, o);
    o += 2;
    for (let i = 0; i < n; i++) {
      b.writeUInt32LE(vacancyNo(i), o);
      b.writeUInt32LE(Math.round(score[i]! * 1e6), o + 4);
      o += 8;
    }
    this.used = o;
    this.seekers++;
    this.candidates += n;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

/**
 * Reads a partition back: calls `seeker` for each staged seeker, in the staged order, and
 * writes its candidates at `at` (the index `seeker` returns; -1 skips them) into
 * `vacancyNo` and `score`, which must have room. Returns how many candidates it wrote.
 */
export function readPartition(
  buf: Buffer,
  seeker: (s: StagedSeeker, n: number) => number,
  vacancyNo: Uint32Array,
  score: Float64Array,
): number {
  let o = 0;
  let written = 0;
  while (o < buf.length) {
    const hex = buf.toString('hex', o, o + 16);
    o += 16;
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const tier = buf[o++]!;
    const age = buf[o++]!;
    const education = buf[o++]!;
    const mask = buf[o++]!;
    const len = buf[o++]!;
    const communityCode = buf.toString('latin1', o, o + len);
    o += len;
    if (o + 2 > buf.length) throw new RangeError('truncated staged partition');
    const n = buf[o]! | (buf[o + 1]! << 8);
    o += 2;
    if (o + 8 * n > buf.length) throw new RangeError('truncated staged partition');
    const at = seeker({ id, communityCode, tier, age, education, mask }, n);
    if (at >= 0) {
      // Little-endian u32s by hand: the hottest loop of finalize (millions of candidates), without readUInt32LE's bounds checks.
      for (let i = 0; i < n; i++, o += 8) {
        vacancyNo[at + i] = (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16)) + buf[o + 3]! * 0x1000000;
        score[at + i] = ((buf[o + 4]! | (buf[o + 5]! << 8) | (buf[o + 6]! << 16)) + buf[o + 7]! * 0x1000000) / 1e6;
      }
      written += n;
    } else {
      o += 8 * n;
    }
  }
  return written;
}
