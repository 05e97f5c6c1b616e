import t from 'tap';
import { cityMonth, makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';

const COMMUNITY = '320508024043';

/** The service with a caller that registers and assesses, and a POST that expects 201. */
async function writer(t: Parameters<typeof build>[0] & { equal(found: unknown, wanted: unknown, ...rest: [string]): unknown }) {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write', 'seekers:read', 'assessment:read'])}` };
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await svc.app.inject({ method: 'POST', url, headers, payload });
    t.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const earlier = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  return { svc, headers, post, earlier, period: cityMonth() };
}

/** The assessment read from what registration's own routes record, not from fixtures. */
t.test('a household registered and re-employed through the API moves the criteria', async (t) => {
  const { svc, headers, post, earlier, period } = await writer(t);

  const household = await post('/v1/households', { communityCode: COMMUNITY });
  const husband = await post('/v1/job-seekers', {
    idNumber: makeIdNumber('320508', '1972-04-01', 311, 'male'), name: '张建国', phone: '13812340001', communityCode: COMMUNITY,
    householdId: household.id, relationship: 'head', education: 'junior-secondary', skills: [],
  });
  const wife = await post('/v1/job-seekers', {
    idNumber: makeIdNumber('320508', '1976-09-09', 312, 'female'), name: '李秀兰', phone: '13812340002', communityCode: COMMUNITY,
    // A cadre, of working age until 2033-06-09 (as a worker she would retire on 2027-08-09).
    householdId: household.id, relationship: 'spouse', education: 'junior-secondary', skills: [], retirementScheme: 'female-55',
  });
  for (const seeker of [husband, wife]) {
    for (const kind of ['visit', 'info-collection', 'network-entry', 'guidance']) {
      await post(`/v1/job-seekers/${seeker.id}/service-records`, { kind, at: earlier(30), coordinatorId: 'c-7' });
    }
  }

  const assess = async () => {
    const res = await svc.app.inject({ method: 'GET', url: `/v1/assessments/communities/${COMMUNITY}?period=${period}`, headers });
    t.equal(res.statusCode, 200, res.body);
    return Object.fromEntries(res.json().criteria.map((c: { id: string }) => [c.id, c])) as Record<string, { numerator: number; denominator: number; passed: boolean }>;
  };
  const before = await assess();
  t.match(before['reemployment-rate'], { numerator: 0, denominator: 2, passed: false });
  t.match(before['reemployment-rate-4050'], { numerator: 0, denominator: 2 }, 'a man of 50+ and a woman of 40+');
  t.match(before['dual-households-covered'], { numerator: 0, denominator: 1, passed: false });
  t.match(before['visit-rate'], { numerator: 2, denominator: 2, passed: true });
  t.match(before['zero-employment-households'], { numerator: 1, denominator: 1, passed: false }, 'nobody at work yet');

  await post(`/v1/job-seekers/${husband.id}/employment`, { status: 'employed', at: earlier(10), employerName: '人民商场' });
  const after = await assess();
  t.match(after['reemployment-rate'], { numerator: 1, denominator: 2, passed: false });
  t.match(after['dual-households-covered'], { numerator: 1, denominator: 1, passed: true }, 'the household stays in the base and is covered');
  t.match(after['zero-employment-households'], { numerator: 0, denominator: 1, passed: true }, 'identified this year, no longer left');
});

t.test("a person who moved community keeps the year's service records in the new community's rates", async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write', 'seekers:read', 'assessment:read'])}` };
  const earlier = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const FORMER = '320508024001';
  const registered = await svc.app.inject({
    method: 'POST', url: '/v1/job-seekers', headers,
    payload: { idNumber: makeIdNumber('320508', '1985-03-03', 321, 'male'), name: '王磊', communityCode: FORMER, education: 'college' },
  });
  t.equal(registered.statusCode, 201, registered.body);
  const id = registered.json().id;
  for (const kind of ['visit', 'info-collection', 'network-entry', 'guidance']) {
    const res = await svc.app.inject({ method: 'POST', url: `/v1/job-seekers/${id}/service-records`, headers, payload: { kind, at: earlier(30), coordinatorId: 'c-9' } });
    t.equal(res.statusCode, 201, res.body);
  }
  const moved = await svc.app.inject({ method: 'PATCH', url: `/v1/job-seekers/${id}`, headers: { ...headers, 'if-match': '*' }, payload: { communityCode: COMMUNITY } });
  t.equal(moved.statusCode, 200, moved.body);

  const res = await svc.app.inject({ method: 'GET', url: `/v1/assessments/communities/${COMMUNITY}?period=${cityMonth()}`, headers });
  t.equal(res.statusCode, 200, res.body);
  const criteria = Object.fromEntries(res.json().criteria.map((c: { id: string }) => [c.id, c]));
  for (const id of ['visit-rate', 'info-collection-rate', 'network-entry-rate', 'guidance-rate']) {
    t.match(criteria[id], { numerator: 1, denominator: 1, passed: true }, `${id}: the records made in the former community count`);
  }
});

t.test('a period outside the years 2000 to 2100 is a 400 naming it, wherever a period is taken', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['assessment:read', 'assessment:write'])}`, 'content-type': 'application/json' };
  for (const period of ['0000-01', '1999-12', '2101-01']) {
    for (const url of [
      `/v1/assessments/communities/${COMMUNITY}?period=${period}`,
      `/v1/ledgers/monthly?period=${period}&regionCode=320508`,
      `/v1/dashboard?period=${period}&regionCode=320508`,
      `/v1/assessments?period=${period}&regionCode=320508`,
    ]) {
      const res = await svc.app.inject({ method: 'GET', url, headers });
      t.equal(res.statusCode, 400, `${url}: ${res.body}`);
      t.equal(res.json().errors[0].field, 'query.period', url);
    }
    const applied = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers, payload: { period, communityCodes: [COMMUNITY] } });
    t.equal(applied.statusCode, 400, applied.body);
    t.equal(applied.json().errors[0].field, 'body.period');
  }
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from assessment_applications');
  t.equal(rows[0].n, 0, 'no application stored');
  const summary = await svc.app.inject({ method: 'GET', url: `/v1/assessments?period=${cityMonth()}&regionCode=320508`, headers });
  t.equal(summary.statusCode, 200, summary.body);
});

t.test('a couple out of work all year with a working son is not covered; re-employing one of the couple covers it, in the assessment and the ledger alike', async (t) => {
  const { svc, headers, post, earlier, period } = await writer(t);
  const person = (birthDate: string, gender: 'male' | 'female', n: number, extra: Record<string, unknown>) => ({
    idNumber: makeIdNumber('320508', birthDate, n, gender), name: '王建华', communityCode: COMMUNITY, education: 'junior-secondary', ...extra,
  });

  const household = await post('/v1/households', { communityCode: COMMUNITY });
  const husband = await post('/v1/job-seekers', person('1970-02-02', 'male', 401, { householdId: household.id, relationship: 'head' }));
  const wife = await post('/v1/job-seekers', person('1972-03-03', 'female', 402, { householdId: household.id, relationship: 'spouse' }));
  const son = await post('/v1/job-seekers', person('1996-04-04', 'male', 403, { householdId: household.id, relationship: 'child' }));
  await post(`/v1/job-seekers/${son.id}/employment`, { status: 'employed', at: earlier(30), employerName: '人民商场' });
  // Another dual couple whose working member is no job seeker (otherEmployedMembers).
  const other = await post('/v1/households', { communityCode: COMMUNITY, otherEmployedMembers: 1 });
  await post('/v1/job-seekers', person('1971-05-05', 'male', 404, { householdId: other.id, relationship: 'head' }));
  await post('/v1/job-seekers', person('1973-06-06', 'female', 405, { householdId: other.id, relationship: 'spouse' }));
  t.ok((await svc.app.inject({ url: `/v1/households/${household.id}`, headers })).json().hardshipCategories.includes('DUAL_UNEMPLOYED'));

  const covered = async () => {
    const res = await svc.app.inject({ url: `/v1/assessments/communities/${COMMUNITY}?period=${period}`, headers });
    t.equal(res.statusCode, 200, res.body);
    const ledger = await svc.app.inject({ url: `/v1/ledgers/monthly?period=${period}&regionCode=${COMMUNITY}`, headers });
    t.equal(ledger.statusCode, 200, ledger.body);
    const row = ledger.json().communities[0];
    const criterion = res.json().criteria.find((c: { id: string }) => c.id === 'dual-households-covered');
    t.same([row.dualHouseholds, row.dualHouseholdsCovered], [criterion.denominator, criterion.numerator], 'the ledger counts as the assessment does');
    return criterion;
  };
  t.match(await covered(), { numerator: 0, denominator: 2, passed: false }, 'a working son, or another working member, does not cover the couple');

  // The husband works for a while and loses the job again: re-employed in the period, so covered.
  await post(`/v1/job-seekers/${husband.id}/employment`, { status: 'employed', at: earlier(20), employerName: '长发商厦' });
  await post(`/v1/job-seekers/${husband.id}/employment`, { status: 'unemployed', at: earlier(10) });
  t.ok((await svc.app.inject({ url: `/v1/job-seekers/${wife.id}`, headers })).json().hardshipCategories.includes('DUAL_UNEMPLOYED'), 'dual again');
  t.match(await covered(), { numerator: 1, denominator: 2 }, 'one of the couple re-employed during the period');
});

t.test('registration through the system is network entry and information collection', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write', 'seekers:read', 'assessment:read'])}` };
  const registered = await svc.app.inject({
    method: 'POST', url: '/v1/job-seekers', headers,
    payload: { idNumber: makeIdNumber('320508', '1980-08-08', 411, 'female'), name: '刘芳', communityCode: COMMUNITY, education: 'college' },
  });
  t.equal(registered.statusCode, 201, registered.body);
  const res = await svc.app.inject({ url: `/v1/assessments/communities/${COMMUNITY}?period=${cityMonth()}`, headers });
  const criteria = Object.fromEntries(res.json().criteria.map((c: { id: string }) => [c.id, c]));
  for (const id of ['info-collection-rate', 'network-entry-rate']) t.match(criteria[id], { numerator: 1, denominator: 1, passed: true }, `${id}: no redundant record needed`);
  t.match(criteria['visit-rate'], { numerator: 0, denominator: 1 }, 'a visit is still a visit');
});
