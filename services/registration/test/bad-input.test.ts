import t from 'tap';
import { randomUUID } from 'node:crypto';
import { makeIdNumber } from '@reemploy/domain';
import { build } from './helper.ts';
import { ALL, COMMUNITY, client, count, seeker } from './fixtures.ts';

const valid = makeIdNumber('320508', '1985-03-12', 123, 'male');
const yearsAgo = (n: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.toISOString().slice(0, 10);
};
const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');

/** Each case: the payload change, the field the problem must name, and what the message must say. */
const cases: [string, Record<string, unknown>, string, RegExp?][] = [
  ['too short', { idNumber: valid.slice(0, 17) }, 'body.idNumber', /18 characters/],
  ['too long', { idNumber: valid + '1' }, 'body.idNumber', /18 characters/],
  ['wrong check character', { idNumber: wrongCheck }, 'body.idNumber', /check character/],
  ['a 15-digit legacy number', { idNumber: '320508850312123' }, 'body.idNumber', /18-digit/],
  ['an impossible birth date', { idNumber: makeIdNumber('320508', '1985-02-30', 123, 'male') }, 'body.idNumber', /not a real date/],
  ['a future birth date', { idNumber: makeIdNumber('320508', '2099-01-01', 123, 'male') }, 'body.idNumber', /future/],
  ['full-width digits', { idNumber: valid.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) }, 'body.idNumber', /full-width/],
  ['under 16', { idNumber: makeIdNumber('320508', yearsAgo(15), 123, 'female') }, 'body.idNumber', /under 16/],
  ['an unknown community', { communityCode: '320508024999' }, 'body.communityCode', /not a known community/],
  ['a malformed community', { communityCode: '3205' }, 'body.communityCode'],
  ['an unknown household', { householdId: randomUUID(), relationship: 'head' }, 'body.householdId', /not a known household/],
  ['an education out of range', { education: 'kindergarten' }, 'body.education'],
  ['a relationship out of range', { relationship: 'cousin' }, 'body.relationship'],
  ['unemployedSince in the future', { unemployedSince: yearsAgo(-1) }, 'body.unemployedSince', /future/],
  ['a phone that is not a mainland number', { phone: '+44 20 7946 0958' }, 'body.phone', /mainland/],
  ['a phone one digit short', { phone: '1381234567' }, 'body.phone', /mainland/],
  ['too many skills', { skills: Array.from({ length: 51 }, (_, i) => `S${String(i).padStart(3, '0')}-01`) }, 'body.skills'],
  ['too many desired occupations', { desiredOccupations: Array.from({ length: 21 }, () => '4-03-01') }, 'body.desiredOccupations'],
  ['a malformed skill code', { skills: ['cooking'] }, 'body.skills.0'],
  ['a negative wage', { expectedMonthlyWage: -1 }, 'body.expectedMonthlyWage'],
  ['an unknown property', { salary: 1 }, 'body.salary'],
  ['hardship categories typed in (they are derived)', { hardshipCategories: ['DISABLED'] }, 'body.hardshipCategories'],
  ['a gender typed in (it comes from the identity number)', { gender: 'male' }, 'body.gender'],
];

t.test('each bad input is a 4xx problem naming the field, and nothing is stored', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  for (const [label, change, field, message] of cases) {
    const res = await api.post('/v1/job-seekers', seeker({ idNumber: valid, ...change }));
    t.equal(res.statusCode, 400, `${label}: ${res.body}`);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', label);
    const error = res.json().errors?.find((e: { field: string }) => e.field === field);
    t.ok(error, `${label} names ${field}: ${JSON.stringify(res.json().errors)}`);
    if (message) t.match(error?.message, message, label);
    t.notOk(res.body.includes(valid), `${label}: the identity number is not echoed`);
  }
  t.equal(await count(svc, 'job_seekers'), 0);
  t.equal(await count(svc, 'outbox'), 0);
});

t.test('a community outside the caller regions is 403 naming the field', async (t) => {
  const svc = await build(t);
  const res = await client(svc, ALL, ['320506']).post('/v1/job-seekers', seeker({ communityCode: COMMUNITY }));
  t.equal(res.statusCode, 403);
  t.equal(res.json().errors[0].field, 'body.communityCode');
  const hh = await client(svc, ALL, ['320506']).post('/v1/households', { communityCode: COMMUNITY });
  t.equal(hh.statusCode, 403);
  t.equal(await count(svc, 'job_seekers'), 0);
  t.equal(await count(svc, 'households'), 0);
});

t.test('a lower-case x is accepted and normalised to X, so the same person cannot register twice', async (t) => {
  const svc = await build(t);
  let n = 0;
  let id = '';
  while (!id.endsWith('X')) id = makeIdNumber('320508', '1980-06-01', n++, 'female');
  const api = client(svc);
  const lower = await api.post('/v1/job-seekers', seeker({ idNumber: id.toLowerCase() }));
  t.equal(lower.statusCode, 201, lower.body);
  t.equal(lower.json().idNumber, id, 'stored and shown with an upper-case X');
  const upper = await api.post('/v1/job-seekers', seeker({ idNumber: id }));
  t.equal(upper.statusCode, 409);
  t.equal(upper.json().existingId, lower.json().id);
});

t.test('household bad input: a second spouse, counts and flags out of range, unknown household', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
  t.equal((await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'spouse' }))).statusCode, 201);
  const second = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'spouse' }));
  t.equal(second.statusCode, 400);
  t.equal(second.json().errors[0].field, 'body.relationship');
  for (const [body, field] of [
    [{ communityCode: COMMUNITY, minorChildren: -1 }, 'body.minorChildren'],
    [{ communityCode: COMMUNITY, otherEmployedMembers: 99 }, 'body.otherEmployedMembers'],
    [{ communityCode: COMMUNITY, singleParent: 'yes' }, 'body.singleParent'],
    [{ communityCode: '320508024999' }, 'body.communityCode'],
  ] as const) {
    const res = await api.post('/v1/households', body);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.equal(res.json().errors[0].field, field);
  }
  t.equal(await count(svc, 'households'), 1);
  t.equal(await count(svc, 'job_seekers'), 1);
  t.equal((await api.get(`/v1/households/${randomUUID()}`)).statusCode, 404);
  t.equal((await api.get('/v1/households/not-a-uuid')).json().errors[0].field, 'params.id');
});
