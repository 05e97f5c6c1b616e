import t from 'tap';
import { build } from '../helper.ts';
import { addCohort, addSeeker, serveCommunity } from './fixtures.ts';

const WRITE = ['assessment:read', 'assessment:write'];

type Svc = Awaited<ReturnType<typeof build>>;

function headers(svc: Svc, scopes: string[], regions = ['3205']) {
  return { authorization: `Bearer ${svc.token(scopes, regions)}` };
}

/** Twelve communities over three districts of Suzhou: passing ones re-employ 80%, failing ones 50%. */
const COMMUNITIES: [string, boolean][] = [
  ['320508024043', true], ['320508024001', true], ['320508024002', false], ['320508017003', true], ['320508017004', true],
  ['320505001002', true], ['320505001003', false], ['320505001004', true], ['320505002004', true],
  ['320506001012', false], ['320506001013', true], ['320506001014', true],
];

t.test('applications, the city summary, and reproducible stored samples', async (t) => {
  const svc = await build(t);
  for (const [code, passing] of COMMUNITIES) {
    await addCohort(svc.ctx, code, 10, passing ? 8 : 5);
    await serveCommunity(svc.ctx, code);
  }
  // A community that would pass but did not apply is not assessed.
  await addCohort(svc.ctx, '320508024099', 10, 10);
  await serveCommunity(svc.ctx, '320508024099');

  const street = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: headers(svc, WRITE, ['320508024']), payload: { period: '2025-12', communityCodes: ['320508024043', '320508024001', '320508024002'] } });
  t.equal(street.statusCode, 201, street.body);
  t.equal(street.json().items.length, 3);
  const outside = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: headers(svc, WRITE, ['320508024']), payload: { period: '2025-12', communityCodes: ['320505001002'] } });
  t.equal(outside.statusCode, 403);
  t.equal(outside.json().errors?.[0]?.field ?? 'body.communityCodes.0', 'body.communityCodes.0');
  const rest = COMMUNITIES.slice(3).map(([c]) => c);
  const city = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: headers(svc, WRITE), payload: { period: '2025-12', communityCodes: [...rest, '320508024043'] } });
  t.equal(city.statusCode, 201);
  t.equal(city.json().items.find((a: { communityCode: string }) => a.communityCode === '320508024043').appliedBy, 'test-system', 'applying twice keeps the first application');
  const unknown = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: headers(svc, WRITE), payload: { period: '2025-12', communityCodes: ['320508024043', '320508024999'] } });
  t.equal(unknown.statusCode, 400);
  t.equal(unknown.json().errors[0].field, 'body.communityCodes.1');
  const noWrite = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: headers(svc, ['assessment:read']), payload: { period: '2025-12', communityCodes: rest } });
  t.equal(noWrite.statusCode, 403);

  const summary = await svc.app.inject({ method: 'GET', url: '/v1/assessments?period=2025-12&regionCode=3205', headers: headers(svc, ['assessment:read']) });
  t.equal(summary.statusCode, 200, summary.body);
  const s = summary.json();
  t.equal(s.assessed, 12, 'only applicants are assessed');
  t.equal(s.passed, 9);
  t.equal(s.passRate, 0.75);
  t.same(s.rows.map((r: { regionCode: string; assessed: number; passed: number }) => [r.regionCode, r.assessed, r.passed]), [['320505', 4, 3], ['320506', 3, 2], ['320508', 5, 4]]);
  t.ok(s.rows.every((r: { name: string | null }) => r.name), 'district names come from the regions');
  t.same(s.failedCriteria, [{ id: 'reemployment-rate', communities: 3 }]);

  const district = (await svc.app.inject({ method: 'GET', url: '/v1/assessments?period=2025-12&regionCode=320508', headers: headers(svc, ['assessment:read']) })).json();
  t.same(district.rows.map((r: { regionCode: string }) => r.regionCode), ['320508017', '320508024']);
  const narrow = (await svc.app.inject({ method: 'GET', url: '/v1/assessments?period=2025-12&regionCode=3205', headers: headers(svc, ['assessment:read'], ['320505']) })).json();
  t.equal(narrow.assessed, 4, 'a district officer asking for the city sees only their district');
  const none = await svc.app.inject({ method: 'GET', url: '/v1/assessments?period=2025-12&regionCode=320508', headers: headers(svc, ['assessment:read'], ['320505']) });
  t.equal(none.statusCode, 404);
  const otherPeriod = (await svc.app.inject({ method: 'GET', url: '/v1/assessments?period=2025-11&regionCode=3205', headers: headers(svc, ['assessment:read']) })).json();
  t.match(otherPeriod, { assessed: 0, passed: 0, passRate: null });

  // Samples: the same seed draws the same communities; another seed another draw; both stored.
  const draw = (seed: string, extra: Record<string, unknown> = { count: 6 }) =>
    svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: headers(svc, WRITE), payload: { kind: 'communities', period: '2025-12', regionCode: '3205', seed, ...extra } });
  const a = await draw('audit-2025');
  t.equal(a.statusCode, 201, a.body);
  const b = await draw('audit-2025');
  t.not(a.json().id, b.json().id);
  t.same(b.json().communities, a.json().communities, 'same seed, same sample');
  t.equal(a.json().communities.length, 6);
  t.same(a.json().strata, [
    { stratum: '320505', population: 4, drawn: 2 },
    { stratum: '320506', population: 3, drawn: 1 },
    { stratum: '320508', population: 5, drawn: 3 },
  ], 'quotas 2, 1.5, 2.5: the tied remainder goes to the larger district');
  t.ok(a.json().communities.every((c: string) => COMMUNITIES.some(([code]) => code === c)), 'only applicants are drawn');
  const seeds = new Set<string>();
  for (const seed of ['s1', 's2', 's3', 's4']) seeds.add((await draw(seed)).json().communities.join());
  t.ok(seeds.size > 1, 'other seeds, other samples');
  const fraction = await draw('audit-2025', { fraction: 0.147 });
  t.equal(fraction.json().communities.length, 2, '14.7% of 12 rounds to 2');
  t.equal((await draw('x', { count: 2, fraction: 0.5 })).statusCode, 400);
  t.equal((await draw('x', {})).statusCode, 400);
  const stored = await svc.app.inject({ method: 'GET', url: a.headers.location as string, headers: headers(svc, ['assessment:read']) });
  t.same(stored.json().communities, a.json().communities);
  t.equal((await svc.app.inject({ method: 'GET', url: a.headers.location as string, headers: headers(svc, ['assessment:read'], ['320600']) })).statusCode, 404);

  // Phone survey: ~1% of the sampled communities' registered unemployed, masked without pii:read.
  for (const code of a.json().communities as string[]) {
    for (let i = 0; i < 45; i += 1) await addSeeker(svc.ctx, { community: code, name: '李建国', phone: '13912345678' });
  }
  const survey = await svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: headers(svc, WRITE), payload: { kind: 'phone-survey', sampleId: a.json().id, seed: 'phone-2025' } });
  t.equal(survey.statusCode, 201, survey.body);
  const sv = survey.json();
  t.ok(sv.population >= 270, 'the registered unemployed of the sampled communities');
  const contactsOf = async (id: string, scopes: string[]) =>
    (await svc.app.inject({ method: 'GET', url: `/v1/assessments/samples/${id}/contacts?limit=500`, headers: headers(svc, scopes) })).json().items as {
      seekerId: string;
      communityCode: string;
      name: string;
      phone: string | null;
    }[];
  const contacts = await contactsOf(sv.id, ['assessment:read', 'seekers:read']);
  t.equal(contacts.length, Math.round(sv.population * 0.01));
  // Some fixture people have no phone: a contact without one is still masked by name.
  t.ok(contacts.every((c) => !c.name.includes('建国') && (c.phone === null || /^\d{3}\*{4}\d{4}$/.test(c.phone))), 'masked');
  t.ok(contacts.every((c) => a.json().communities.includes(c.communityCode)));
  const again = await svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: headers(svc, WRITE), payload: { kind: 'phone-survey', sampleId: a.json().id, seed: 'phone-2025' } });
  const revealed = await contactsOf(again.json().id, ['assessment:read', 'seekers:read', 'pii:read']);
  t.same(revealed.map((c) => c.seekerId), contacts.map((c) => c.seekerId), 'same seed, same people');
  t.ok(revealed.every((c) => c.name === '李建国' || c.name === '张伟'), 'revealed with pii:read');
  t.ok(revealed.some((c) => c.phone === '13912345678'));
  t.notOk(survey.body.includes('13912345678'));
});
