import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import type { PiiCipher } from '@reemploy/pii';
import { contentHash } from '../../src/job-seekers/content.ts';
import { fastContentText, fastRowInput, importRowBody } from '../../src/import/rows.ts';

// The import's hand-written hot path must agree with importRowBody wherever it answers: every row it
// accepts, zod accepts with the same output, and the content text it writes is the one contentHash hashes.
const base: Record<string, unknown> = {
  idNumber: makeIdNumber('320508', '1985-03-12', 123, 'male'),
  name: '居民1',
  phone: '13912345678',
  communityCode: '320508001001',
  education: 'college',
  skills: ['S012-03'],
  desiredOccupations: ['4-03-01'],
  expectedMonthlyWage: 3000,
  unemployedSince: '2025-03-01',
};

const variants: Record<string, unknown[]> = {
  idNumber: [undefined, 12, '', 'x'.repeat(32), 'x'.repeat(33), '32050819850312123x'],
  name: [undefined, '', ' ', '  王 ', 'a'.repeat(50), 'a'.repeat(51), ` ${'a'.repeat(50)} `, 5, null, '\u00a0名\u3000', '😀'.repeat(25), '😀'.repeat(26)],
  phone: [undefined, null, '', '139 1234 5678', '+86 139-1234-5678', '02112345678', '1391234567', 'x'.repeat(21), 13912345678, '139123456789012345678'],
  communityCode: [undefined, '32050800100', '3205080010011', '３２０５０８００１００１', 320508001001, '32050800100a'],
  education: [undefined, 'none', 'postgraduate', 'College', '', 3, 'toString'],
  skills: [undefined, [], ['S012-03', 'S999-99'], ['s012-03'], 'S012-03', [1], Array(50).fill('S012-03'), Array(51).fill('S012-03'), [undefined], ['S012-03\n']],
  desiredOccupations: [undefined, [], ['9-03-01'], ['1-00-00', '8-99-99'], Array(20).fill('4-03-01'), Array(21).fill('4-03-01'), {}],
  expectedMonthlyWage: [undefined, null, 0, -0, -1, 1_000_000, 1_000_001, 1.5, '3000', Number.MAX_SAFE_INTEGER + 2, 2 ** 31],
  ableToWork: [undefined, true, false, 'true', 1, null],
  willingToWork: [undefined, false, 0],
  laidOff: [undefined, true, 'yes'],
  minimumLivelihood: [undefined, true, []],
  disabled: [undefined, true, null],
  unemployedSince: [undefined, null, '2024-02-29', '2025-02-29', '2025-13-01', '2025-1-01', '2025-03-01T00:00:00Z', '1900-02-29', '2000-02-29', 20250301],
  householdId: ['0b5f4a53-7a7c-4f43-9d53-2f3c6c3b8f40'],
  householdKey: ['H1'],
  relationship: ['head'],
  singleParent: [true],
  minorChildren: [1],
  otherEmployedMembers: [0],
  surprise: [1, undefined],
};

const identity = { hash: (text: string) => text } as unknown as PiiCipher;
let accepted = 0;
let checked = 0;

/** Where the fast path disagrees with zod on this row, in words; nothing when they agree (or the fast path declines). */
function disagreement(value: Record<string, unknown>, label: string): string | undefined {
  checked += 1;
  const fast = fastRowInput(value);
  const zod = importRowBody.safeParse(value);
  if (!fast) return undefined;
  accepted += 1;
  if (!zod.success) return `${label}: the fast path accepts what zod refuses (${zod.error.issues.map((i) => i.message).join('; ')})`;
  if (JSON.stringify(fast) !== JSON.stringify(zod.data) || !Object.keys(fast).every((k) => Object.hasOwn(zod.data, k)) || Object.keys(fast).length !== Object.keys(zod.data).length) {
    return `${label}: ${JSON.stringify(fast)} against zod's ${JSON.stringify(zod.data)}`;
  }
  const phone = fast.phone ? fast.phone.replace(/[\s-]/g, '').replace(/^\+86/, '') : null;
  const idNumber = String(value.idNumber).toUpperCase();
  if (fastContentText(fast, idNumber, phone) !== contentHash(identity, { ...zod.data, idNumber, phone })) return `${label}: another content text`;
  return undefined;
}

/** Checks every row; one assertion for all of them, listing the first disagreements. */
function agreeOn(t: { same(found: unknown, wanted: unknown, message: string): unknown }, rows: [Record<string, unknown>, string][], what: string) {
  const found = rows.map(([row, label]) => disagreement(row, label)).filter((d): d is string => d !== undefined);
  t.same(found.slice(0, 5), [], `${what}: the fast path agrees with zod on all ${rows.length} rows (output, keys, content text)`);
}

t.test('every single-field variant', async (t) => {
  const rows: [Record<string, unknown>, string][] = [[base, 'base row']];
  for (const [field, values] of Object.entries(variants)) {
    for (const v of values) {
      const row = { ...base };
      if (v === undefined && field in base) delete row[field];
      else row[field] = v;
      rows.push([row, `${field}=${JSON.stringify(v)}`]);
    }
  }
  // A key present with the value undefined (not from JSON, but possible from a parser) keeps zod's answer.
  rows.push([{ ...base, phone: undefined }, 'phone present as undefined']);
  agreeOn(t, rows, 'single-field variants');
});

t.test('random combinations', async (t) => {
  const rows: [Record<string, unknown>, string][] = [];
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    const row: Record<string, unknown> = { ...base };
    for (const [field, values] of Object.entries(variants)) {
      if (rand(4) !== 0) continue;
      const v = values[rand(values.length)];
      if (v === undefined) delete row[field];
      else row[field] = v;
    }
    rows.push([row, `combination ${i}`]);
  }
  agreeOn(t, rows, 'random combinations');
});

t.test('random combinations of values zod accepts one by one', async (t) => {
  const rows: [Record<string, unknown>, string][] = [];
  // Household fields always take zod (and the stored rows' own path); the rest should mostly take the fast path.
  const household = new Set(['householdId', 'householdKey', 'relationship', 'singleParent', 'minorChildren', 'otherEmployedMembers', 'surprise']);
  const before = accepted;
  const good: [string, unknown[]][] = Object.entries(variants).filter(([field]) => !household.has(field)).map(([field, values]) => [
    field,
    values.filter((v) => {
      const row = { ...base };
      if (v === undefined) delete row[field];
      else row[field] = v;
      return importRowBody.safeParse(row).success;
    }),
  ]);
  const missed: Record<string, unknown>[] = [];
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    const row: Record<string, unknown> = { ...base };
    for (const [field, values] of good) {
      if (!values.length || rand(3) !== 0) continue;
      const v = values[rand(values.length)];
      if (v === undefined) delete row[field];
      else row[field] = v;
    }
    rows.push([row, `good combination ${i}`]);
    if (!fastRowInput(row) && importRowBody.safeParse(row).success) missed.push(row);
  }
  agreeOn(t, rows, 'combinations of accepted values');
  t.ok(accepted - before > 2000, `most taken by the fast path (${accepted - before} of 3000)`, { missed: missed.slice(0, 3) });
});

t.test('the fast path takes the plain rows', async (t) => {
  t.ok(fastRowInput(base), 'a complete row');
  t.ok(fastRowInput({ idNumber: base.idNumber, name: 'x', communityCode: '320508001001', education: 'none' }), 'a minimal row');
  t.notOk(fastRowInput({ ...base, householdKey: 'H1' }), 'a row naming a household takes zod');
  t.ok(accepted > 2000 && accepted < checked, `some accepted (${accepted} of ${checked}), not all`);
});
