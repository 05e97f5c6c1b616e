import t from 'tap';
import { cityMonth, makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';
import { client, COMMUNITY, count, seeker } from '../fixtures.ts';

const person = (birthDate: string, gender: 'male' | 'female', more: Record<string, unknown> = {}) =>
  seeker({ idNumber: makeIdNumber('320508', birthDate, 61, gender), ...more });

t.test('the retirement scheme: male-60 for men, the configured default for women, a given one checked against the gender', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const man = await api.post('/v1/job-seekers', person('1980-02-02', 'male'));
  t.equal(man.json().retirementScheme, 'male-60');
  const woman = await api.post('/v1/job-seekers', person('1980-02-03', 'female'));
  t.equal(woman.json().retirementScheme, 'female-50', 'the shipped default: women workers');
  const cadre = await api.post('/v1/job-seekers', person('1980-02-04', 'female', { retirementScheme: 'female-55' }));
  t.equal(cadre.json().retirementScheme, 'female-55');

  for (const [birthDate, gender, scheme] of [['1980-02-05', 'male', 'female-55'], ['1980-02-06', 'female', 'male-60']] as const) {
    const wrong = await api.post('/v1/job-seekers', person(birthDate, gender, { retirementScheme: scheme }));
    t.equal(wrong.statusCode, 400, `${scheme} for a ${gender}`);
    t.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(wrong.json().errors[0].field, 'body.retirementScheme');
  }
  const unknown = await api.post('/v1/job-seekers', person('1980-02-07', 'female', { retirementScheme: 'female-60' }));
  t.equal(unknown.json().errors[0].field, 'body.retirementScheme', 'no such scheme');
  t.equal(await count(svc, 'job_seekers'), 3, 'nothing stored for the refused ones');

  const patched = await api.patch(`/v1/job-seekers/${man.json().id}`, { retirementScheme: 'female-50' }, { 'if-match': '*' });
  t.equal(patched.statusCode, 400);
  t.equal(patched.json().errors[0].field, 'body.retirementScheme');
  t.equal((await api.get(`/v1/job-seekers/${man.json().id}`)).json().retirementScheme, 'male-60', 'unchanged');
});

t.test('DEFAULT_FEMALE_RETIREMENT_SCHEME sets the scheme recorded for a woman registered without one', async (t) => {
  const svc = await build(t, { env: { DEFAULT_FEMALE_RETIREMENT_SCHEME: 'female-55' } });
  const api = client(svc);
  t.equal((await api.post('/v1/job-seekers', person('1980-03-03', 'female'))).json().retirementScheme, 'female-55');
  t.equal((await api.post('/v1/job-seekers', person('1980-03-04', 'male'))).json().retirementScheme, 'male-60');
});

t.test('4050 and working age end on the retirement date: a man of 70 and a woman worker of 58 are neither', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const categories = async (body: Record<string, unknown>) => {
    const res = await api.post('/v1/job-seekers', body);
    t.equal(res.statusCode, 201, res.body);
    return res.json().hardshipCategories;
  };
  t.same(await categories(person('1956-03-01', 'male')), [], 'a man of 70 retired in 2016');
  t.same(await categories(person('1968-05-01', 'female')), [], 'a woman worker of 58 retired in 2018');
  t.same(await categories(person('1968-05-02', 'female', { retirementScheme: 'female-55' })), [], 'a cadre of 58 retired in 2023');
  t.same(await categories(person('1985-05-01', 'female')), ['OLDER_4050'], 'a woman of 41: 4050 until 2039');

  // A woman born 1975-12-01 retires at 50 years 6 months (2026-06-01) as a worker, at 56 years 6 months (2032-06-01) as a cadre.
  const registered = await api.post('/v1/job-seekers', person('1975-12-01', 'female'));
  t.same(registered.json().hardshipCategories, [], 'retired as a worker');
  const corrected = await api.patch(`/v1/job-seekers/${registered.json().id}`, { retirementScheme: 'female-55' }, { 'if-match': '*' });
  t.equal(corrected.statusCode, 200, corrected.body);
  t.same(corrected.json().hardshipCategories, ['OLDER_4050'], 'a cadre: of working age and 4050 until 2032');
  t.equal(corrected.json().retirementDate, '2032-06-01');
});

t.test("the re-employment rates count people of working age on the period's last day", async (t) => {
  const svc = await build(t);
  const api = client(svc, ['seekers:read', 'seekers:write', 'assessment:read']);
  const register = async (birthDate: string, gender: 'male' | 'female') => {
    const res = await api.post('/v1/job-seekers', person(birthDate, gender, { communityCode: COMMUNITY }));
    t.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const retiredMan = await register('1956-03-01', 'male');
  await register('1968-05-01', 'female');
  const olderMan = await register('1972-05-05', 'male');
  await register('1990-05-05', 'female');
  const earlier = new Date(Date.now() - 10 * 60_000).toISOString();
  for (const id of [retiredMan, olderMan]) {
    const hired = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: earlier, employerName: '人民商场' });
    t.equal(hired.statusCode, 201, hired.body);
  }
  const period = cityMonth();
  const res = await api.get(`/v1/assessments/communities/${COMMUNITY}?period=${period}`);
  t.equal(res.statusCode, 200, res.body);
  const criteria = Object.fromEntries(res.json().criteria.map((c: { id: string }) => [c.id, c]));
  t.match(criteria['reemployment-rate'], { numerator: 1, denominator: 2 }, 'the two of working age, one re-employed');
  t.match(criteria['reemployment-rate-4050'], { numerator: 1, denominator: 1 }, 'the man of 54 alone is 4050');
  const ledger = (await api.get(`/v1/ledgers/monthly?period=${period}&regionCode=${COMMUNITY}`)).json();
  t.match(ledger.communities.find((r: { regionCode: string }) => r.regionCode === COMMUNITY), { reemployedThisMonth: 2, reemployed4050: 1 });
});

t.test('the bulk import records the scheme as POST does, alone or in a household', async (t) => {
  const svc = await build(t);
  const rows = [
    person('1975-12-01', 'female'),
    person('1975-12-02', 'female', { retirementScheme: 'female-55' }),
    person('1975-12-03', 'male', { retirementScheme: 'female-55' }),
    person('1975-12-04', 'female', { retirementScheme: 'female-55', householdKey: 'H-1', relationship: 'head' }),
    person('1975-12-05', 'male', { householdKey: 'H-1', relationship: 'spouse' }),
  ];
  const upload = (lines: object[]) =>
    svc.app.inject({
      method: 'POST', url: '/v1/job-seekers/import', payload: lines.map((l) => JSON.stringify(l)).join('\n'),
      headers: { authorization: `Bearer ${svc.token(['seekers:read', 'seekers:write'])}`, 'content-type': 'application/x-ndjson' },
    });
  const res = await upload(rows);
  t.equal(res.statusCode, 200, res.body);
  const report = res.json().report;
  t.same(report.map((r: { status: string }) => r.status), ['created', 'created', 'failed', 'created', 'created']);
  t.equal(report[2].errors[0].field, 'retirementScheme');
  const api = client(svc);
  const read = async (i: number) => (await api.get(`/v1/job-seekers/${report[i].id}`)).json();
  t.match(await read(0), { retirementScheme: 'female-50', hardshipCategories: [] }, 'a worker retired in 2026');
  t.match(await read(1), { retirementScheme: 'female-55', hardshipCategories: ['OLDER_4050'] }, 'a cadre, 4050 until 2032');
  t.match(await read(3), { retirementScheme: 'female-55' }, 'in a household');
  t.ok((await read(3)).hardshipCategories.includes('OLDER_4050'));
  t.match(await read(4), { retirementScheme: 'male-60' });

  const again = await upload([{ ...rows[0], retirementScheme: 'female-55' }]);
  t.match(again.json(), { updated: 1 });
  t.match(await read(0), { retirementScheme: 'female-55', hardshipCategories: ['OLDER_4050'] }, 'a re-upload corrects it and re-derives');
});
