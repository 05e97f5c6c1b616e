import t from 'tap';
import { createMatcher, defaultMatchingConfig, type FactorName, type Match } from '../src/index.ts';
import { seeker, vacancy } from './fixtures.ts';

/** The one match of `s` against a single vacancy (fails the test when it is missing). */
function only(v = vacancy(), s = seeker(), config = {}): Match {
  const [m] = createMatcher([v], config).rankForSeeker(s);
  if (!m) throw new Error('no match');
  return m;
}

t.test('skills: exact skills count 1, a skill of the same family 0.5, no required skill is neutral', async (t) => {
  const v = vacancy({ skills: ['S008-01', 'S008-02', 'S009-01', 'S010-01'] });
  const m = only(v, seeker({ skills: ['S008-01', 'S009-07'] }));
  t.equal(m.factors.skills, (1 + 0.5 + 0.5 + 0) / 4, 'S008-02 and S009-01 earn family credit, S010-01 nothing');
  const reason = m.reasons.find((r) => r.code === 'skills')!;
  t.equal(reason.zh, '需要的 4 项技能具备 1 项，另有 2 项的相近技能');
  t.equal(reason.en, 'has 1 of the 4 required skills, and related skills for 2 more');

  const three = only(vacancy({ skills: ['S008-01', 'S008-05', 'S008-06', 'S013-01'] }), seeker({ skills: ['S008-01', 'S008-05', 'S013-01'] }));
  t.match(three.reasons.find((r) => r.code === 'skills'), { zh: '需要的 4 项技能具备 3 项，另有 1 项的相近技能', en: 'has 3 of the 4 required skills, and related skills for 1 more' });

  const none = only(vacancy({ skills: [] }));
  t.equal(none.factors.skills, 0.5);
  t.ok(none.reasons.some((r) => r.code === 'skills-none-required'));
  const missing = only(vacancy({ skills: ['S020-01', 'S020-02'], occupationCode: '4-09-01' }), seeker({ skills: ['S008-01'] }));
  t.equal(missing.factors.skills, 0);
  t.match(missing.reasons.find((r) => r.code === 'skills-missing'), { en: 'has none of the 2 required skills' });
});

t.test('occupation: exact 1, same group 0.6, same major group 0.3, otherwise 0; no wish is neutral', async (t) => {
  const cases: [string, number, string][] = [
    ['4-09-01', 1, 'occupation'],
    ['4-09-05', 0.6, 'occupation-group'],
    ['4-03-01', 0.3, 'occupation-major'],
    ['6-18-01', 0, 'occupation-other'],
  ];
  for (const [code, expected, reason] of cases) {
    const m = only(vacancy({ occupationCode: code, skills: ['S008-01'] }));
    t.equal(m.factors.occupation, expected, code);
    t.ok(m.reasons.some((r) => r.code === reason), `${code} explained as ${reason}`);
  }
  t.equal(only(vacancy(), seeker({ desiredOccupations: [] })).factors.occupation, 0.5);
});

t.test('age: 1 inside the limits, lower in the edge years', async (t) => {
  t.equal(only(vacancy({ minAge: 18, maxAge: 55 }), seeker({ age: 40 })).factors.age, 1);
  t.equal(only(vacancy({ minAge: 18, maxAge: 55 }), seeker({ age: 54 })).factors.age, 0.9);
  const edge = only(vacancy({ minAge: 18, maxAge: 55 }), seeker({ age: 55 }));
  t.equal(edge.factors.age, 0.8);
  t.ok(edge.reasons.some((r) => r.code === 'age-near-limit'));
  t.equal(only(vacancy({ minAge: 45, maxAge: 60 }), seeker({ age: 45 })).factors.age, 0.8);
});

t.test('wage: 1 up to the top of the range, falling above it, neutral when unknown', async (t) => {
  t.equal(only(vacancy({ wageMax: 4000 }), seeker({ expectedMonthlyWage: 2500 })).factors.wage, 1);
  t.equal(only(vacancy({ wageMax: 4000 }), seeker({ expectedMonthlyWage: 4000 })).factors.wage, 1);
  const above = only(vacancy({ wageMax: 4000 }), seeker({ expectedMonthlyWage: 5000 }));
  t.equal(above.factors.wage, 0.6);
  t.match(above.reasons.find((r) => r.code === 'wage-below'), { zh: '月薪最高 4000 元，低于期望的 5000 元', en: 'pays at most 4000 CNY a month, below the expected 5000' });
  t.equal(only(vacancy({ wageMax: 4000 }), seeker({ expectedMonthlyWage: 9000 })).factors.wage, 0);
  t.equal(only(vacancy(), seeker({ expectedMonthlyWage: null })).factors.wage, 0.5);
});

t.test('proximity: community > street > district > city > elsewhere', async (t) => {
  const cases: [string, number, string, string][] = [
    ['320508024043', 1, '同一社区', 'same community'],
    ['320508024001', 0.75, '同一街道', 'same street'],
    ['320508017003', 0.5, '同一区', 'same district'],
    ['320583001001', 0.25, '同一城市', 'same city'],
    ['320102001001', 0, '不在同一城市', 'in another city'],
  ];
  for (const [code, expected, zh, en] of cases) {
    // The seeker's skill reaches the vacancy wherever it is (a rare key is read city-wide).
    const m = only(vacancy({ communityCode: code }));
    t.equal(m.factors.proximity, expected, code);
    t.ok(m.reasons.some((r) => r.zh === zh && r.en === en), en);
  }
});

t.test('priority: hardship × reserved, public-welfare and regular posts', async (t) => {
  const single = seeker({ hardshipCategories: ['SINGLE_PARENT', 'OLDER_4050'] });
  const reserved = only(vacancy({ reservedFor: ['SINGLE_PARENT', 'ZERO_EMPLOYMENT_HOUSEHOLD'] }), single);
  t.equal(reserved.factors.priority, 1);
  t.same(reserved.reasons[0], { code: 'reserved', zh: '为单亲家庭保留', en: 'reserved for single parents' });
  const both = only(vacancy({ reservedFor: ['SINGLE_PARENT', 'OLDER_4050'] }), single);
  t.same(both.reasons[0], { code: 'reserved', zh: '为单亲家庭、4050 人员保留', en: 'reserved for single parents and older workers (4050)' });
  const base = only(vacancy({ aidBase: true }), single);
  t.equal(base.factors.priority, 1);
  t.same(base.reasons[0], { code: 'aid-base', zh: '再就业援助基地的岗位', en: 'post of a re-employment assistance base' }, 'open to every hardship group: no category named');
  t.notOk(base.reasons.some((r) => r.code === 'reserved'));
  const welfare = only(vacancy({ kind: 'public-welfare' }), single);
  t.equal(welfare.factors.priority, 0.8);
  t.ok(welfare.reasons.some((r) => r.code === 'public-welfare' && r.zh.includes('公益性岗位')));
  t.equal(only(vacancy(), single).factors.priority, 0.3);
  t.same(createMatcher([vacancy({ kind: 'public-welfare' })]).rankForSeeker(seeker()), [], 'a public-welfare post is for hardship groups only');
});

t.test('the score is the weighted sum of the factors, with the weights taken from the configuration', async (t) => {
  const v = vacancy({ skills: ['S008-01', 'S009-01', 'S020-01'], communityCode: '320508024001', occupationCode: '4-09-05', wageMax: 3200 });
  const s = seeker({ hardshipCategories: ['OLDER_4050'], age: 54 });
  const m = only(v, s);
  const w = defaultMatchingConfig.weights;
  let sum = 0;
  for (const name of Object.keys(w) as FactorName[]) sum += w[name] * m.factors[name];
  t.ok(Math.abs(m.score - sum) < 1e-3, `${m.score} ≈ ${sum}`);
  t.ok(m.score > 0 && m.score < 1);

  const proximityOnly = only(v, s, { weights: { skills: 0, occupation: 0, age: 0, wage: 0, proximity: 1, priority: 0 } });
  t.equal(proximityOnly.score, 0.75);
  // Weights need not sum to 1: the score is normalised.
  const doubled = only(v, s, { weights: Object.fromEntries(Object.entries(w).map(([k, x]) => [k, 2 * x])) as Record<FactorName, number> });
  t.equal(doubled.score, m.score);
  t.throws(() => createMatcher([], { weights: { ...w, age: -1 } }), RangeError);
  t.throws(() => createMatcher([], { topK: 0 }), RangeError);
});

t.test('every reason is bilingual and plain', async (t) => {
  const m = only(vacancy({ reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD'] }), seeker({ hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] }));
  t.ok(m.reasons.length >= 5);
  for (const r of m.reasons) {
    t.match(r, { code: /^[a-z-]+$/, zh: /[\u4e00-\u9fff]/, en: /^[a-z0-9]/i });
  }
  t.same(m.reasons[0], { code: 'reserved', zh: '为零就业家庭保留', en: 'reserved for zero-employment households' });
});
