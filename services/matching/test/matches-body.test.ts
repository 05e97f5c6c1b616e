import fc from 'fast-check';
import t from 'tap';
import { createMatcher, type Match, type Reason, type SeekerInput, type VacancyInput } from '@reemploy/matching-engine';
import { matchesView } from '../src/matches/schemas.ts';
import { seekerMatchesJson } from '../src/matcher/thread.ts';
import { matchesBySchema } from './fixtures.ts';

type Row = Parameters<typeof seekerMatchesJson>[0];

/** What the route's compiled schema writes for the same answer (with `check`, zod too). */
function expected(row: Row, active: boolean, items: Match[], check = false): string {
  return matchesBySchema({ seekerId: row.seeker_id, communityCode: row.community_code, active, unjustifiedDeclinesThisYear: row.declines, items }, check);
}

const row = (seekerId: string, communityCode: string, declines: number) => ({ seeker_id: seekerId, community_code: communityCode, declines }) as Row;

t.test('the hand-written body of GET matches is byte for byte what its response schema writes', async () => {
  // Text that needs escaping (quotes, backslashes, control characters, lone surrogates) and
  // numbers of every shape; reasons shared between matches, as the engine shares them.
  const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u2028', '区', '\ud800', '😀', ' '), maxLength: 12 });
  const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 5e-7, 0.1 + 0.2));
  const reason = fc.record({ code: text, zh: text, en: text }).map((r): Reason => Object.freeze(r));
  await fc.assert(
    fc.property(
      text, text, fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.array(reason, { minLength: 1, maxLength: 5 }),
      fc.array(fc.record({ vacancyId: text, rank: fc.integer({ min: 1, max: 100 }), score: number, factors: fc.record({ skills: number, occupation: number, age: number, wage: number, proximity: number, priority: number }), picks: fc.array(fc.nat(), { maxLength: 7 }) }), { maxLength: 6 }),
      (seekerId, community, declines, active, shared, drawn) => {
        const items: Match[] = drawn.map(({ picks, ...m }) => ({ ...m, reasons: picks.map((p) => shared[p % shared.length]!) }));
        const r = row(seekerId, community, declines);
        // Twice: the second time the reasons' text comes from the memo.
        return seekerMatchesJson(r, active, items) === expected(r, active, items) && seekerMatchesJson(r, active, items) === expected(r, active, items);
      },
    ),
    { numRuns: 300 },
  );
});

t.test('real rankings written as the body satisfy the documented schema and keep the engine\'s values', async (t) => {
  const vacancies: VacancyInput[] = Array.from({ length: 30 }, (_, i) => ({
    id: crypto.randomUUID(), occupationCode: i % 2 ? '4-03-01' : '4-04-02', skills: i % 3 ? ['S012-03'] : [], minAge: 16, maxAge: 60, educationMin: 'none',
    wageMin: 2000, wageMax: 3000 + i * 100, headcountLeft: 1, communityCode: i % 4 ? '320508024043' : '320505001001', kind: i % 5 ? 'regular' : 'public-welfare',
    reservedFor: i % 7 ? [] : ['SINGLE_PARENT'], aidBase: false,
  }));
  const seeker: SeekerInput = {
    id: crypto.randomUUID(), age: 45, gender: 'female', education: 'junior-secondary', skills: ['S012-01'], desiredOccupations: ['4-03-01'],
    expectedMonthlyWage: 4500, communityCode: '320508024043', hardshipCategories: ['SINGLE_PARENT', 'OLDER_4050'],
  };
  const items = createMatcher(vacancies).rankForSeeker(seeker, 20);
  t.equal(items.length, 20);
  const body = seekerMatchesJson(row(seeker.id, seeker.communityCode, 2), true, items);
  t.equal(body, expected(row(seeker.id, seeker.communityCode, 2), true, items, true), 'what the schema writes, zod agreeing');
  const parsed = matchesView.parse(JSON.parse(body));
  t.same(parsed.items.map((m) => [m.vacancyId, m.score, m.reasons.map((r) => r.code)]), items.map((m) => [m.vacancyId, m.score, m.reasons.map((r) => r.code)]));
  t.ok(parsed.items.some((m) => m.reasons.some((r) => r.code === 'wage-below')), 'reasons made per pair (pay below the expected wage) are written too');
  t.ok(parsed.items.some((m) => m.reasons.some((r) => r.code === 'reserved')), 'and the shared ones');
  t.equal(parsed.unjustifiedDeclinesThisYear, 2);
});
