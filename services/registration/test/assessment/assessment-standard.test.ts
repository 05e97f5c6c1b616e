import t from 'tap';
import { build } from '../helper.ts';
import { addCohort, addHousehold, addSeeker, changeStatus, recategorise, serve, serveCommunity } from './fixtures.ts';

const READ = ['assessment:read'];
const ADMIN = ['assessment:read', 'assessment:admin'];

type Svc = Awaited<ReturnType<typeof build>>;

async function assess(svc: Svc, code: string, period = '2025-12', regions = ['3205']) {
  const res = await svc.app.inject({ method: 'GET', url: `/v1/assessments/communities/${code}?period=${period}`, headers: { authorization: `Bearer ${svc.token(READ, regions)}` } });
  return res;
}

async function criterion(svc: Svc, code: string, id: string, period = '2025-12') {
  const res = await assess(svc, code, period);
  if (res.statusCode !== 200) throw new Error(res.body);
  const body = res.json();
  return { ...body.criteria.find((c: { id: string }) => c.id === id), communityPassed: body.passed, standard: body.standard };
}

t.test('each criterion at its boundary, over the year up to the period', async (t) => {
  const svc = await build(t);
  const ctx = svc.ctx;

  // Re-employment: 799 of 1000 is 79.9% and fails; 800 of 1000 passes.
  await addCohort(ctx, '320508001001', 1000, 799);
  await addCohort(ctx, '320508001002', 1000, 800);
  for (const c of ['320508001001', '320508001002']) await serveCommunity(ctx, c);
  t.match(await criterion(svc, '320508001001', 'reemployment-rate'), { actual: 79.9, numerator: 799, denominator: 1000, target: 80, passed: false, communityPassed: false });
  t.match(await criterion(svc, '320508001002', 'reemployment-rate'), { actual: 80, numerator: 800, passed: true, communityPassed: true });
  t.match(await criterion(svc, '320508001002', 'reemployment-rate', '2025-05'), { numerator: 0, denominator: 1000, passed: false }, 'hires in June do not count in May');

  // 4050: women of 45 at the end of 2025; 17 of 20 is 85% and passes, 16 of 20 fails (while 80% overall passes).
  await addCohort(ctx, '320508001003', 20, 17, undefined, { gender: 'female', birthDate: '1980-03-01' });
  await addCohort(ctx, '320508001004', 20, 16, undefined, { gender: 'female', birthDate: '1980-03-01' });
  for (const c of ['320508001003', '320508001004']) await serveCommunity(ctx, c);
  t.match(await criterion(svc, '320508001003', 'reemployment-rate-4050'), { numerator: 17, denominator: 20, actual: 85, passed: true, communityPassed: true });
  const d = await criterion(svc, '320508001004', 'reemployment-rate-4050');
  t.match(d, { numerator: 16, denominator: 20, actual: 80, passed: false, communityPassed: false });
  t.match(await criterion(svc, '320508001004', 'reemployment-rate'), { actual: 80, passed: true });
  // A man of 45 is not in the 4050 group; a woman turns 40 during the year and is.
  await addSeeker(ctx, { community: '320508001005', gender: 'male', birthDate: '1980-01-01' });
  await addSeeker(ctx, { community: '320508001005', gender: 'female', birthDate: '1985-12-31' });
  t.match(await criterion(svc, '320508001005', 'reemployment-rate-4050'), { denominator: 1 });

  // Dual households: both must have someone at work by the end; one that got work in June still counts.
  const covered = await addHousehold(ctx, { community: '320508002001', categories: ['DUAL_UNEMPLOYED'] });
  const husband = await addSeeker(ctx, { community: '320508002001', householdId: covered, relationship: 'head' });
  await addSeeker(ctx, { community: '320508002001', householdId: covered, relationship: 'spouse' });
  await changeStatus(ctx, husband, 'employed', '2025-06-01T09:00:00+08:00');
  await recategorise(ctx, covered, [], '2025-06-01T09:00:00+08:00');
  const open = await addHousehold(ctx, { community: '320508002001', categories: ['SINGLE_PARENT'] });
  await addSeeker(ctx, { community: '320508002001', householdId: open, relationship: 'head' });
  t.match(await criterion(svc, '320508002001', 'dual-households-covered'), { numerator: 1, denominator: 2, actual: 50, passed: false });
  // Another working member who is not of the couple does not cover it.
  await addHousehold(ctx, { community: '320508002002', categories: ['DUAL_LAID_OFF'], otherEmployedMembers: 1 });
  t.match(await criterion(svc, '320508002002', 'dual-households-covered'), { numerator: 0, denominator: 1, actual: 0, passed: false });
  t.match(await criterion(svc, '320508002001', 'dual-households-covered', '2025-05'), { numerator: 0, denominator: 2 }, 'in May nobody was at work yet');

  // Zero-employment households: one left fails; one resolved during the year passes but is counted.
  await addHousehold(ctx, { community: '320508003001', categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] });
  t.match(await criterion(svc, '320508003001', 'zero-employment-households'), { kind: 'max-count', actual: 1, numerator: 1, denominator: 1, target: 0, passed: false });
  const resolved = await addHousehold(ctx, { community: '320508003002', categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] });
  await recategorise(ctx, resolved, [], '2025-07-01T09:00:00+08:00');
  t.match(await criterion(svc, '320508003002', 'zero-employment-households'), { actual: 0, denominator: 1, passed: true });
  t.match(await criterion(svc, '320508003002', 'zero-employment-households', '2025-06'), { actual: 1, passed: false });
  // Resolved before the year began: not this year's concern.
  const old = await addHousehold(ctx, { community: '320508003003', categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], createdAt: '2024-01-01T00:00:00+08:00' });
  await recategorise(ctx, old, [], '2024-08-01T00:00:00+08:00');
  t.match(await criterion(svc, '320508003003', 'zero-employment-households'), { denominator: 0, passed: true });

  // Service rates: one of ten not visited fails (90%); the unable are in the service base, not the re-employment base.
  await addCohort(ctx, '320508004001', 10, 8);
  await addSeeker(ctx, { community: '320508004001', ableToWork: false });
  await serveCommunity(ctx, '320508004001', ['info-collection', 'network-entry', 'guidance']);
  await serveCommunity(ctx, '320508004001', ['visit'], 1);
  t.match(await criterion(svc, '320508004001', 'visit-rate'), { numerator: 10, denominator: 11, actual: 90.9, passed: false });
  t.match(await criterion(svc, '320508004001', 'guidance-rate'), { numerator: 11, denominator: 11, passed: true });
  t.match(await criterion(svc, '320508004001', 'reemployment-rate'), { numerator: 8, denominator: 10 });
  // Visits from last year do not count this year.
  await addCohort(ctx, '320508004002', 2, 2);
  await serveCommunity(ctx, '320508004002', ['visit'], 0, '2024-12-20T09:00:00+08:00');
  t.match(await criterion(svc, '320508004002', 'visit-rate'), { numerator: 0, denominator: 2, passed: false });

  // Withdrawn by the end: out of every base.
  const gone = await addSeeker(ctx, { community: '320508004003' });
  await changeStatus(ctx, gone, 'withdrawn', '2025-02-01T00:00:00+08:00');
  t.match(await criterion(svc, '320508004003', 'visit-rate'), { denominator: 0, actual: null, passed: true });

  // Region scope and input checks.
  t.equal((await assess(svc, '320508001001', '2025-12', ['320505'])).statusCode, 404);
  const bad = await assess(svc, '320508001001', '2025-13');
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().errors[0].field, 'query.period');
  t.equal((await svc.app.inject({ method: 'GET', url: '/v1/assessments/communities/320508001001?period=2025-12' })).statusCode, 401);
  t.equal((await assess(svc, '320508999999')).statusCode, 404, 'unknown and empty');
  t.equal((await assess(svc, '320508017003')).statusCode, 200, 'a real community with nobody registered is assessed');
});

t.test('a changed standard applies to later assessments only, with its history kept', async (t) => {
  const svc = await build(t);
  const community = '320508024043';
  await addCohort(svc.ctx, community, 20, 15); // 75%
  await serveCommunity(svc.ctx, community);

  const first = (await assess(svc, community, '2025-11')).json();
  t.match(first, { communityType: 'old-city', standard: { communityType: 'old-city', version: 1 }, passed: false });

  const admin = { authorization: `Bearer ${svc.token(ADMIN)}` };
  const current = await svc.app.inject({ method: 'GET', url: '/v1/assessment-standards/old-city', headers: admin });
  t.equal(current.statusCode, 200);
  const targets = { ...current.json().targets, 'reemployment-rate': 70 };

  const reader = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { authorization: `Bearer ${svc.token(READ)}`, 'if-match': current.headers.etag as string }, payload: { targets } });
  t.equal(reader.statusCode, 403, 'only the admin scope changes a standard');
  const noMatch = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: admin, payload: { targets } });
  t.equal(noMatch.statusCode, 428);
  const invalid = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': current.headers.etag as string }, payload: { targets: { ...targets, 'visit-rate': 120 } } });
  t.equal(invalid.statusCode, 400);
  t.equal(invalid.json().errors[0].field, 'body.targets.visit-rate');
  const unknown = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': current.headers.etag as string }, payload: { targets: { ...targets, bogus: 1 } } });
  t.equal(unknown.statusCode, 400);

  const changed = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': current.headers.etag as string }, payload: { targets, note: '2026 pilot' } });
  t.equal(changed.statusCode, 200, changed.body);
  t.match(changed.json(), { communityType: 'old-city', version: 2, note: '2026 pilot', targets: { 'reemployment-rate': 70 } });
  const stale = await svc.app.inject({ method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': current.headers.etag as string }, payload: { targets } });
  t.equal(stale.statusCode, 412);

  const again = (await assess(svc, community, '2025-11')).json();
  t.match(again, { standard: { version: 1 }, passed: false }, 'the assessment already made keeps its standard');
  t.equal(again.criteria[0].target, 80);
  t.equal(again.firstAssessedAt, first.firstAssessedAt);

  const later = (await assess(svc, community, '2025-12')).json();
  t.match(later, { standard: { version: 2 }, passed: true }, 'a later assessment uses the new standard');
  t.equal(later.criteria[0].target, 70);

  const list = await svc.app.inject({ method: 'GET', url: '/v1/assessment-standards', headers: admin });
  const oldCity = list.json().items.find((i: { communityType: string }) => i.communityType === 'old-city');
  t.same(oldCity.history.map((h: { version: number }) => h.version), [2, 1]);
  t.equal(oldCity.history[1].targets['reemployment-rate'], 80);
  const town = list.json().items.find((i: { communityType: string }) => i.communityType === 'town');
  t.equal(town.current.version, 1, 'other types unchanged');

  // Per community type: a community typed town is held to the town standard, not the changed old-city one.
  const townCommunity = '320508024001';
  await svc.ctx.database.pool.query(`update regions set community_type = 'town' where code = $1`, [townCommunity]);
  await addCohort(svc.ctx, townCommunity, 20, 15); // 75%
  await serveCommunity(svc.ctx, townCommunity);
  const townAssessment = (await assess(svc, townCommunity, '2025-12')).json();
  t.match(townAssessment, { communityType: 'town', standard: { communityType: 'town', version: 1 }, passed: false });
  t.equal(townAssessment.criteria[0].target, 80, 'the town target, not old-city’s 70');
});

t.test('information collection and network entry: registration counts; a yearly re-collection is the standard’s choice', async (t) => {
  const svc = await build(t);
  const ctx = svc.ctx;
  const rates = async (code: string, period = '2025-06') => {
    const info = await criterion(svc, code, 'info-collection-rate', period);
    const entry = await criterion(svc, code, 'network-entry-rate', period);
    return { info: [info.numerator, info.denominator, info.standard.version], entry: [entry.numerator, entry.denominator] };
  };
  // Registered through the system in December 2024, no record since.
  const onceOnly = '320508024043';
  await addSeeker(ctx, { community: onceOnly });
  t.same(await rates(onceOnly), { info: [1, 1, 1], entry: [1, 1] }, 'the report’s standard: registered last year, entered and collected');

  const admin = { authorization: `Bearer ${svc.token(ADMIN)}` };
  const current = await svc.app.inject({ method: 'GET', url: '/v1/assessment-standards/old-city', headers: admin });
  t.same(current.json().collection, { yearlyRecollection: false });
  const yearly = await svc.app.inject({
    method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': current.headers.etag as string },
    payload: { targets: current.json().targets, collection: { yearlyRecollection: true }, note: 'collect again every year' },
  });
  t.equal(yearly.statusCode, 200, yearly.body);
  t.match(yearly.json(), { version: 2, collection: { yearlyRecollection: true } });

  // Under the new version: last year's registration alone no longer counts; a record this year, or registering this year, does.
  const yearlyCommunity = '320508024001';
  await addSeeker(ctx, { community: yearlyCommunity });
  const recorded = await addSeeker(ctx, { community: yearlyCommunity });
  await serve(ctx, [recorded], ['info-collection'], '2025-03-01T09:00:00+08:00');
  await addSeeker(ctx, { community: yearlyCommunity, createdAt: '2025-02-01T09:00:00+08:00' });
  t.same(await rates(yearlyCommunity), { info: [2, 3, 2], entry: [1, 3] }, 'a record of each kind, or this year’s registration');
  t.same(await rates(onceOnly), { info: [1, 1, 1], entry: [1, 1] }, 'an assessment already made keeps its standard');

  // A later change of targets alone keeps the collection rule.
  const latest = await svc.app.inject({ method: 'GET', url: '/v1/assessment-standards/old-city', headers: admin });
  const targetsOnly = await svc.app.inject({
    method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': latest.headers.etag as string },
    payload: { targets: { ...latest.json().targets, 'visit-rate': 95 } },
  });
  t.match(targetsOnly.json(), { version: 3, collection: { yearlyRecollection: true } });
  const bad = await svc.app.inject({
    method: 'PUT', url: '/v1/assessment-standards/old-city', headers: { ...admin, 'if-match': targetsOnly.headers.etag as string },
    payload: { targets: latest.json().targets, collection: { yearlyRecollection: 'yes' } },
  });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().errors[0].field, 'body.collection.yearlyRecollection');
});
