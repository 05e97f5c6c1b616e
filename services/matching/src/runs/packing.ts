import type { FactorName, Match } from '@reemploy/matching-engine';

export const FACTOR_NAMES: readonly FactorName[] = ['skills', 'occupation', 'age', 'wage', 'proximity', 'priority'];

/**
 * A staged candidate list, packed: 6 bytes a candidate (the vacancy's stable
 * number and the score in 1/65535), so a city's 3·topK lists stay small
 * between the partitions and the allocation. Factors are not staged: the
 * allocation needs only scores, and working out factors for every candidate
 * would cost more than ranking them.
 */
const BYTES = 6;

export function packCandidates(matches: Match[], vacancyNo: Map<string, number>): Buffer {
  const buf = Buffer.allocUnsafe(matches.length * BYTES);
  let o = 0;
  for (const m of matches) {
    buf.writeUInt32LE(vacancyNo.get(m.vacancyId) ?? 0, o);
    buf.writeUInt16LE(Math.round(m.score * 65535), o + 4);
    o += BYTES;
  }
  return buf;
}

const NO_FACTORS = Object.freeze({ skills: 0, occupation: 0, age: 0, wage: 0, proximity: 0, priority: 0 }) as Record<FactorName, number>;

/** Unpacks in the staged order (the engine's ranking); vacancies no longer known are dropped. */
export function unpackCandidates(buf: Buffer, vacancyId: Map<number, string>): Match[] {
  const out: Match[] = [];
  for (let o = 0; o + BYTES <= buf.length; o += BYTES) {
    const id = vacancyId.get(buf.readUInt32LE(o));
    if (id) out.push({ vacancyId: id, rank: out.length + 1, score: buf.readUInt16LE(o + 4) / 65535, factors: NO_FACTORS, reasons: [] });
  }
  return out;
}

/** A bytea cell in COPY text format (the copy helper escapes the backslash). */
export function byteaCell(buf: Buffer): string {
  return `\\x${buf.toString('hex')}`;
}

/** A Postgres array literal of plain tokens (uuids, numbers, category codes). */
export function arrayCell(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}
