import t from 'tap';
import { allocate, createMatcher, eligible, priorityTier, type Match } from '../src/index.ts';
import { seeker, vacancy } from './fixtures.ts';

t.test('hard constraints exclude full posts, wrong ages, too little schooling and posts reserved for others', async (t) => {
  const matcher = createMatcher([
    vacancy({ id: 'ok' }),
    vacancy({ id: 'full', headcountLeft: 0 }),
    vacancy({ id: 'too-old', maxAge: 44 }),
    vacancy({ id: 'too-young', minAge: 46 }),
    vacancy({ id: 'schooling', educationMin: 'senior-secondary' }),
    vacancy({ id: 'reserved-other', reservedFor: ['SINGLE_PARENT'] }),
    vacancy({ id: 'aid-base', aidBase: true }),
    // SPEC §3: community public-welfare posts are reserved for hardship groups, even when no category is named.
    vacancy({ id: 'welfare', kind: 'public-welfare' }),
  ]);
  t.same(matcher.rankForSeeker(seeker()).map((m) => m.vacancyId), ['ok']);
  const single = seeker({ hardshipCategories: ['SINGLE_PARENT'] });
  t.same(new Set(matcher.rankForSeeker(single).map((m) => m.vacancyId)), new Set(['ok', 'reserved-other', 'aid-base', 'welfare']));
  t.same(matcher.rankCandidates('reserved-other', [seeker({ id: 'a' }), { ...single, id: 'b' }]).map((c) => c.seekerId), ['b']);
  t.same(matcher.rankCandidates('welfare', [seeker({ id: 'a' }), { ...single, id: 'b' }]).map((c) => c.seekerId), ['b']);
  t.notOk(eligible(seeker(), vacancy({ kind: 'public-welfare' })), 'allocate keeps a public-welfare post from a seeker in no hardship group');
  t.ok(eligible(single, vacancy({ kind: 'public-welfare' })));
  t.same(matcher.rankCandidates('full', [seeker()]), []);
  t.same(matcher.rankCandidates('unknown', [seeker()]), []);
});

t.test('results are sorted by score, ties broken by vacancy id, ranked from 1, cut at k', async (t) => {
  // Identical posts tie exactly; ids decide.
  const vacancies = ['v-c', 'v-a', 'v-d', 'v-b'].map((id) => vacancy({ id }));
  vacancies.push(vacancy({ id: 'v-0-far', communityCode: '320583001001' }));
  const matcher = createMatcher(vacancies);
  const all = matcher.rankForSeeker(seeker());
  t.same(all.map((m) => m.vacancyId), ['v-a', 'v-b', 'v-c', 'v-d', 'v-0-far']);
  t.same(all.map((m) => m.rank), [1, 2, 3, 4, 5]);
  t.ok(all[3]!.score > all[4]!.score);
  t.same(matcher.rankForSeeker(seeker(), 2).map((m) => m.vacancyId), ['v-a', 'v-b']);
  t.same(matcher.rankForSeeker(seeker(), 0), []);
  t.throws(() => matcher.rankForSeeker(seeker(), -1), RangeError);
  t.equal(createMatcher(vacancies, { topK: 3 }).rankForSeeker(seeker()).length, 3, 'topK from the configuration');
});

t.test('candidatesFor ranks like rankForSeeker and explains on access', async (t) => {
  const vacancies = Array.from({ length: 30 }, (_, i) => vacancy({ id: `v-${String(i).padStart(2, '0')}`, wageMax: 3000 + 100 * i, maxAge: 50 + (i % 7) }));
  const matcher = createMatcher(vacancies);
  const s = seeker({ expectedMonthlyWage: 4500 });
  const plain = matcher.rankForSeeker(s, 25);
  const lazy = matcher.candidatesFor(s, 25);
  t.same(lazy.map((m) => [m.vacancyId, m.rank, m.score]), plain.map((m) => [m.vacancyId, m.rank, m.score]));
  t.same(lazy.map((m) => m.factors), plain.map((m) => m.factors));
  t.same(lazy.map((m) => m.reasons), plain.map((m) => m.reasons));
  t.same(JSON.parse(JSON.stringify(lazy)), JSON.parse(JSON.stringify(plain)));
  t.ok(matcher.stats().pairsScored >= 50);
});

t.test('age limits far outside working life are ranked exactly as the usual ones', async (t) => {
  // The index orders its lists by age limit with a counting sort over the usual range and falls back to a comparison sort beyond it.
  for (const limits of [[50, 55, 60, 65], [50, 9_000, 2_000_000_000, 30]]) {
    const vacancies = Array.from({ length: 24 }, (_, i) => vacancy({ id: `v-${String(i).padStart(2, '0')}`, wageMax: 3000 + 100 * i, maxAge: limits[i % limits.length]! }));
    const s = seeker({ age: 45, expectedMonthlyWage: 4500 });
    const got = createMatcher(vacancies).rankForSeeker(s, 24);
    const expected = vacancies
      .filter((v) => eligible(s, v))
      .map((v) => createMatcher([v]).rankForSeeker(s, 1)[0]!)
      .sort((a, b) => b.score - a.score || (a.vacancyId < b.vacancyId ? -1 : 1));
    t.same(got.map((m) => [m.vacancyId, m.score]), expected.map((m) => [m.vacancyId, m.score]), `limits ${limits.join(', ')}`);
    t.equal(got.length, vacancies.filter((v) => v.maxAge >= 45).length, 'every post the seeker is young enough for, none other');
  }
});

t.test('rankCandidates: best seekers first, ties by seeker id', async (t) => {
  const matcher = createMatcher([vacancy({ id: 'v' })]);
  const seekers = [
    seeker({ id: 'c' }),
    seeker({ id: 'a' }),
    seeker({ id: 'far', communityCode: '320583001001' }),
    seeker({ id: 'b', hardshipCategories: ['OLDER_4050'] }),
    seeker({ id: 'too-old', age: 60 }),
  ];
  const ranked = matcher.rankCandidates('v', seekers);
  t.same(ranked.map((c) => c.seekerId), ['b', 'a', 'c', 'far']);
  t.same(ranked.map((c) => c.rank), [1, 2, 3, 4]);
  t.ok(ranked[0]!.reasons.some((r) => r.code === 'hardship'));
  t.same(matcher.rankCandidates('v', seekers, 2).map((c) => c.seekerId), ['b', 'a']);
});

t.test('priority tiers: zero-employment households, then dual households and single parents, then other hardship, then the rest', async (t) => {
  t.equal(priorityTier(['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD']), 0);
  t.equal(priorityTier(['DUAL_UNEMPLOYED']), 1);
  t.equal(priorityTier(['DUAL_LAID_OFF', 'OLDER_4050']), 1);
  t.equal(priorityTier(['SINGLE_PARENT']), 1);
  t.equal(priorityTier(['OLDER_4050']), 2);
  t.equal(priorityTier(['DISABLED', 'LONG_TERM_UNEMPLOYED']), 2);
  t.equal(priorityTier([]), 3);
});

t.test('allocate: capacity ceil(c·h), tiers served first, reserved posts only to their groups', async (t) => {
  const post = vacancy({ id: 'post', headcountLeft: 1 });
  const welfare = vacancy({ id: 'welfare', headcountLeft: 1, kind: 'public-welfare', reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD'] });
  const seekers = [
    seeker({ id: 'regular-1' }),
    seeker({ id: 'regular-2' }),
    seeker({ id: 'zero', hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] }),
    seeker({ id: 'older', hardshipCategories: ['OLDER_4050'] }),
  ];
  const matcher = createMatcher([post, welfare]);
  const candidates = new Map(seekers.map((s) => [s.id, matcher.candidatesFor(s, 10)]));
  // Forge a reserved post into an ineligible seeker's candidates: allocate must not trust it.
  candidates.get('regular-1')!.unshift({ vacancyId: 'welfare', rank: 1, score: 1, factors: {} as Match['factors'], reasons: [] });
  const lists = allocate(seekers, candidates, [post, welfare], { capacityFactor: 2 });
  const holders = (id: string) => [...lists].filter(([, l]) => l.some((m) => m.vacancyId === id)).map(([s]) => s).sort();
  t.same(holders('post'), ['older', 'zero'], 'two places (2 × 1), taken by the two hardship tiers');
  t.same(holders('welfare'), ['zero']);
  t.same(lists.get('regular-1'), []);
  t.same(lists.get('zero')!.map((m) => m.rank), [1, 2]);
  t.same([...lists.keys()], seekers.map((s) => s.id), 'every seeker has a list, in input order');
  const wider = allocate(seekers, candidates, new Map([[post.id, post], [welfare.id, welfare]]), { capacityFactor: 2.5 });
  t.equal([...wider.values()].filter((l) => l.some((m) => m.vacancyId === 'post')).length, 3, 'ceil(2.5 × 1) = 3');
  t.equal(allocate(seekers, candidates, [post, welfare], { topK: 1 }).get('zero')!.length, 1, 'at most topK each');
});

t.test('allocate: inside a tier, everyone gets a first choice before anyone a second', async (t) => {
  const vacancies = ['x', 'y'].map((id) => vacancy({ id, headcountLeft: 1 }));
  const seekers = [seeker({ id: 'p' }), seeker({ id: 'q' })];
  const matcher = createMatcher(vacancies);
  const candidates = new Map(seekers.map((s) => [s.id, matcher.candidatesFor(s, 5)]));
  const lists = allocate(seekers, candidates, vacancies, { capacityFactor: 1 });
  t.same(lists.get('p')!.map((m) => m.vacancyId), ['x']);
  t.same(lists.get('q')!.map((m) => m.vacancyId), ['y']);
});

t.test('a pair that ties the floor only once rounded is still scored: the heap floor never drops a tie it would win', async (t) => {
  // Skills count 1 and proximity a hair: the same community scores 1, the same street 0.9999997, which rounds to 1.
  const weights = { skills: 1, occupation: 0, age: 0, wage: 0, proximity: 1.2e-6, priority: 0 };
  const matcher = createMatcher(
    [vacancy({ id: 'v-b' }), vacancy({ id: 'v-a', communityCode: '320508024001' })],
    { weights, topK: 1 },
  );
  // v-b (same community) is read first and sets the floor at 1; v-a ties it after rounding and wins by id.
  const [best] = matcher.rankForSeeker(seeker());
  t.equal(best?.vacancyId, 'v-a');
  t.equal(best?.score, 1);
});

t.test('skills scored from the row itself and from the shared list agree with pairFit, whatever their number', async (t) => {
  const { defaultMatchingConfig, pairFit, scoreOf } = await import('../src/index.ts');
  // 0 to 12 distinct skills (the row holds up to 8), some the seeker has, some of a family he has, some neither, one repeated.
  const pool = ['S008-01', 'S008-02', 'S008-05', 'S011-01', 'S011-03', 'S020-04', 'S020-05', 'S031-01', 'S031-02', 'S040-01', 'S040-02', 'S050-09', 'S008-01'];
  const vacancies = Array.from({ length: 14 }, (_, n) => vacancy({ id: `v-${String(n).padStart(2, '0')}`, skills: pool.slice(0, n), wageMax: 3000 + 50 * n }));
  const s = seeker({ skills: ['S008-01', 'S011-02', 'S031-01', 'S050-09'] });
  const expected = (list: typeof vacancies) =>
    list.map((v) => ({ id: v.id, score: scoreOf(pairFit(s, v).factors, defaultMatchingConfig.weights) })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const inline = createMatcher(vacancies).rankForSeeker(s, 14);
  t.same(inline.map((m) => ({ id: m.vacancyId, score: m.score })), expected(vacancies), 'up to 8 skills in the row, more from the list');
  // More distinct skill codes than 16 bits can number: no row holds its skills, every vacancy reads the shared list.
  const code = (i: number) => `S${String(100 + (i % 800)).padStart(3, '0')}-${String(Math.floor(i / 800)).padStart(2, '0')}`;
  const many = Array.from({ length: 70 }, (_, n) => vacancy({ id: `w-${n}`, maxAge: 30, skills: Array.from({ length: 1000 }, (_, i) => code(1000 * n + i)) }));
  const shared = createMatcher([...vacancies, ...many]).rankForSeeker(s, 15);
  t.same(shared.map((m) => ({ id: m.vacancyId, score: m.score })), expected(vacancies), 'the same scores either way');
});
