/**
 * Whether an answer, export, event or webhook body lets its reader rebuild an
 * identity number or phone it shows masked (SPEC §6: without `pii:read`, no
 * answer carries anything from which a masked value can be rebuilt). Given the
 * people a test knows and any payload (parsed JSON, CSV text, the cells of a
 * workbook), `piiLeaks` names every field that holds:
 * - a full identity number or phone, with or without separators (`139 1234 0077`, `+86…`);
 * - a masked form showing more than the contract's mask does (`320508********123X`, `139****0077`);
 * - a person's birth date (the eight digits the identity-number mask hides) in any
 *   notation: 1974-11-27, 19741127, 1974/11/27, 27.11.1974, 1974年11月27日, 74-11-27,
 *   an instant on that day in Asia/Shanghai, epoch seconds or milliseconds of its midnight;
 * - or that date split over the fields of one object (`{ year: 1974, month: 11, day: 27 }`,
 *   `{ birthYear: 1974, birthday: '11-27' }`).
 */
import ExcelJS from 'exceljs';

export interface KnownPii {
  idNumbers: readonly string[];
  phones: readonly string[];
}

export interface PiiLeak {
  /** Where: `items.0.birthDate`, or the object whose fields together hold the date. */
  path: string;
  what: 'id-number' | 'phone' | 'birth-date';
  /** Which known value leaks (as it is known, for the test's message). */
  of: string;
}

interface BirthDate {
  idNumber: string;
  y: number;
  m: number;
  d: number;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
/** A separator between the parts of a date: punctuation, a space, 年/月, at most three characters (not a colon: times use it). */
const SEPARATOR = /^[\s\-/.,_|年月]{1,3}$/u;

function birthDateOf(idNumber: string): BirthDate {
  return { idNumber, y: Number(idNumber.slice(6, 10)), m: Number(idNumber.slice(10, 12)), d: Number(idNumber.slice(12, 14)) };
}

/** The runs of digits of a string, with the text between each and the next. */
function digitRuns(s: string): { digits: string; value: number; gap: string }[] {
  const runs: { digits: string; value: number; gap: string }[] = [];
  const re = /\d+/g;
  let m: RegExpExecArray | null;
  let last: { digits: string; value: number; gap: string } | undefined;
  let end = 0;
  while ((m = re.exec(s))) {
    if (last) last.gap = s.slice(end, m.index);
    last = { digits: m[0], value: Number(m[0]), gap: '' };
    runs.push(last);
    end = m.index + m[0].length;
  }
  return runs;
}

const sameYear = (value: number, digits: string, b: BirthDate) => value === b.y || (digits.length === 2 && value === b.y % 100);

/** The date in one string: eight digits, three numbers in a row (any order a calendar writes), or an instant on that day. */
function holdsDate(s: string, b: BirthDate): boolean {
  const ymd = `${b.y}${String(b.m).padStart(2, '0')}${String(b.d).padStart(2, '0')}`;
  const runs = digitRuns(s);
  if (runs.some((r) => r.digits.includes(ymd))) return true;
  for (let i = 0; i + 2 < runs.length; i++) {
    const [a, x, c] = [runs[i]!, runs[i + 1]!, runs[i + 2]!];
    if (!SEPARATOR.test(a.gap) || !SEPARATOR.test(x.gap)) continue;
    if (sameYear(a.value, a.digits, b) && x.value === b.m && c.value === b.d) return true;
    // Day or month first: only with the year in four digits (two could be anything).
    if (c.value === b.y && ((a.value === b.d && x.value === b.m) || (a.value === b.m && x.value === b.d))) return true;
  }
  for (const instant of s.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})/g) ?? []) {
    const t = Date.parse(instant);
    if (!Number.isNaN(t) && SHANGHAI.format(new Date(t)) === `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`) return true;
  }
  return false;
}

/** Epoch seconds or milliseconds of the day's midnight, in UTC or in Asia/Shanghai. */
function isMidnightOf(n: number, b: BirthDate): boolean {
  const utc = Date.UTC(b.y, b.m - 1, b.d);
  return [utc, utc - 8 * 3_600_000].some((ms) => n === ms || n === ms / 1000);
}

/** Positions of `known` a masked token shows (`*` hides), or undefined when the token is not a form of it. */
function shownPositions(token: string, known: string): number[] | undefined {
  if (token.length !== known.length) return undefined;
  const shown: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!.toUpperCase();
    if (c === '*') continue;
    if (c !== known[i]) return undefined;
    shown.push(i);
  }
  return shown;
}

/** What the contract's masks show: the region and the last four of a number, the first three and last four of a phone. */
const ID_MASK_SHOWS = new Set([0, 1, 2, 3, 4, 5, 14, 15, 16, 17]);
const PHONE_MASK_SHOWS = (length: number) => new Set([0, 1, 2, length - 4, length - 3, length - 2, length - 1]);

function* fields(value: unknown, path: string): Generator<[string, unknown, Record<string, unknown> | unknown[] | undefined]> {
  if (Array.isArray(value)) {
    yield [path, value, value];
    for (const [i, v] of value.entries()) yield* fields(v, path ? `${path}.${i}` : String(i));
  } else if (value && typeof value === 'object') {
    yield [path, value, value as Record<string, unknown>];
    for (const [k, v] of Object.entries(value)) yield* fields(v, path ? `${path}.${k}` : k);
  } else yield [path, value, undefined];
}

/** One object's fields that are whole numbers (1974, "11"), and the number pairs its strings hold ("11-27"). */
function splitDate(object: Record<string, unknown> | unknown[], b: BirthDate): boolean {
  const numbers: { value: number; digits: string }[] = [];
  const pairs: [number, number][] = [];
  for (const v of Object.values(object)) {
    if (typeof v === 'number' && Number.isInteger(v)) numbers.push({ value: v, digits: String(v) });
    else if (typeof v === 'string' && /^\d{1,4}$/.test(v.trim())) numbers.push({ value: Number(v), digits: v.trim() });
    else if (typeof v === 'string') {
      const runs = digitRuns(v);
      // Two numbers in a row, not the month and day of a whole date of another year (a createdAt).
      const afterYear = (i: number) => i > 0 && runs[i - 1]!.digits.length === 4 && SEPARATOR.test(runs[i - 1]!.gap);
      for (let i = 0; i + 1 < runs.length; i++) if (SEPARATOR.test(runs[i]!.gap) && !afterYear(i)) pairs.push([runs[i]!.value, runs[i + 1]!.value]);
    }
  }
  const has = (n: number) => numbers.some((x) => x.value === n);
  const year = numbers.some((x) => sameYear(x.value, x.digits, b) && x.digits.length === 4);
  if (!year) return false;
  if (has(b.m) && has(b.d) && (b.m !== b.d || numbers.filter((x) => x.value === b.m).length >= 2)) return true;
  return pairs.some(([p, q]) => (p === b.m && q === b.d) || (p === b.d && q === b.m));
}

/** Every leak of the known identity numbers and phones in the payload; empty when it is clean. */
export function piiLeaks(known: KnownPii, payload: unknown): PiiLeak[] {
  const leaks: PiiLeak[] = [];
  const births = known.idNumbers.map(birthDateOf);
  const phones = known.phones.filter((p) => p.length >= 7);
  for (const [path, value, object] of fields(payload, '')) {
    if (object) {
      for (const b of births) if (splitDate(object, b)) leaks.push({ path: path || '(root)', what: 'birth-date', of: b.idNumber });
      continue;
    }
    if (typeof value === 'number') {
      for (const b of births) if (isMidnightOf(value, b)) leaks.push({ path, what: 'birth-date', of: b.idNumber });
      continue;
    }
    if (typeof value !== 'string') continue;
    const compact = value.replace(/[\s\-()]/g, '').toUpperCase();
    for (const idNumber of known.idNumbers) {
      const whole = compact.includes(idNumber.toUpperCase());
      const unmasked = (compact.match(/[\dX*]{18}/g) ?? []).some((token) => shownPositions(token, idNumber)?.some((i) => !ID_MASK_SHOWS.has(i)));
      if (whole || unmasked) leaks.push({ path, what: 'id-number', of: idNumber });
    }
    for (const b of births) if (holdsDate(value, b)) leaks.push({ path, what: 'birth-date', of: b.idNumber });
    for (const phone of phones) {
      const shows = PHONE_MASK_SHOWS(phone.length);
      const whole = compact.includes(phone);
      const tokens = compact.match(new RegExp(`[\\d*]{${phone.length}}`, 'g')) ?? [];
      if (whole || tokens.some((token) => shownPositions(token, phone)?.some((i) => !shows.has(i)))) leaks.push({ path, what: 'phone', of: phone });
    }
  }
  return leaks;
}

/** The cells of every sheet of a workbook, as `{ sheet: [[cell, …], …] }`, for piiLeaks. */
export async function workbookCells(xlsx: Buffer): Promise<Record<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : v))));
    out[sheet.name] = rows;
  });
  return out;
}

/** A one-line description of the leaks, for a failing assertion. */
export function describeLeaks(leaks: PiiLeak[]): string {
  return leaks
    .slice(0, 5)
    .map((l) => `${l.what} of ${l.of.slice(0, 6)}… under "${l.path}"`)
    .join('; ');
}
