import t from 'tap';
import { ageAt, makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';

const WRITE = ['seekers:write', 'seekers:read'];

function seeker(overrides: Record<string, unknown> = {}) {
  return {
    idNumber: makeIdNumber('320508', '1975-03-12', 123, 'female'),
    // A cadre: of working age until 56 years and 4 months (2031-07-12).
    retirementScheme: 'female-55',
    name: '王秀英',
    phone: '13812345678',
    communityCode: '320508024043',
    education: 'junior-secondary',
    skills: [],
    ...overrides,
  };
}

t.test('registers a seeker, derives age and gender, masks PII without pii:read', async (t) => {
  const svc = await build(t);
  const token = svc.token(WRITE, ['320508']);
  const res = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { authorization: `Bearer ${token}` }, payload: seeker() });
  t.equal(res.statusCode, 201, res.body);
  const body = res.json();
  t.equal(body.gender, 'female');
  t.notOk('birthDate' in body, 'the birth date only with pii:read (the mask hides it)');
  t.equal(body.age, ageAt('1975-03-12'));
  t.equal(body.ageBand, '50-59', 'a woman born in 1975 (50-59 until 2035)');
  t.equal(body.status, 'unemployed');
  t.same(body.hardshipCategories, ['OLDER_4050'], 'derived: a woman over 40 before her retirement date, not in a household');
  t.equal(body.retirementScheme, 'female-55');
  t.notOk('retirementDate' in body, 'no retirement date without pii:read: it gives away the birth date');
  t.match(body.idNumber, /^320508\*{8}\d{3}[\dX]$/);
  t.equal(body.phone, '138****5678');
  t.equal(body.name, '王**');
  t.equal(res.headers.location, `/v1/job-seekers/${body.id}`);

  const reveal = svc.token(['seekers:read', 'pii:read'], ['320508']);
  const read = await svc.app.inject({ method: 'GET', url: `/v1/job-seekers/${body.id}`, headers: { authorization: `Bearer ${reveal}` } });
  t.equal(read.statusCode, 200);
  t.equal(read.json().idNumber, seeker().idNumber);
  t.equal(read.json().birthDate, '1975-03-12');
  t.equal(read.json().phone, '13812345678');
  t.equal(read.json().retirementDate, '2031-07-12', 'with pii:read');

  const raw = await svc.ctx.database.pool.query('select * from job_seekers');
  const dump = JSON.stringify(raw.rows);
  t.notOk(dump.includes(seeker().idNumber), 'no plaintext identity number at rest');
  t.notOk(dump.includes('13812345678'), 'no plaintext phone at rest');
});

t.test('the same person twice is a 409 naming the existing record', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(WRITE, ['320508'])}` };
  const first = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seeker() });
  const again = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seeker({ idNumber: seeker().idNumber.toLowerCase() }) });
  t.equal(again.statusCode, 409);
  t.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(again.json().existingId, first.json().id);
});

t.test('a community outside the caller regions is refused and nothing is stored', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(WRITE, ['320506'])}` };
  const res = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seeker() });
  t.equal(res.statusCode, 403);
  t.equal(res.json().errors[0].field, 'body.communityCode');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 0);
});

t.test('a read outside the caller regions is a 404', async (t) => {
  const svc = await build(t);
  const created = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { authorization: `Bearer ${svc.token(WRITE)}` }, payload: seeker() });
  const res = await svc.app.inject({ method: 'GET', url: `/v1/job-seekers/${created.json().id}`, headers: { authorization: `Bearer ${svc.token(WRITE, ['320506'])}` } });
  t.equal(res.statusCode, 404);
});

t.test("unemployedSince is a date in the city: today in Suzhou is not in the future, and is the default", async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(WRITE, ['320508'])}` };
  // From 16:00 to 24:00 UTC, Suzhou (UTC+8) is already on the next calendar day.
  const suzhouToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const given = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seeker({ unemployedSince: suzhouToday }) });
  t.equal(given.statusCode, 201, given.body);
  t.equal(given.json().unemployedSince, suzhouToday);
  const defaulted = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seeker({ idNumber: makeIdNumber('320508', '1980-05-05', 7, 'male'), retirementScheme: 'male-60' }) });
  t.equal(defaulted.statusCode, 201, defaulted.body);
  t.equal(defaulted.json().unemployedSince, suzhouToday, 'the registration date in Suzhou');
});
