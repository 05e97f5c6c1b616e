/**
 * Issue #18, finding 1: the identity-number mask (320508********123X) hides
 * exactly the birth date, so the birth date is shown only with pii:read, and
 * no answer about a person depends on it more finely than the age a caller sees.
 */
import t from 'tap';
import { ageAt, ageBand, makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';
import { ALL, client, COMMUNITY } from '../fixtures.ts';

const MASKED = ALL.filter((s) => s !== 'pii:read');
const DAY = 86_400_000;

/** YYYY-MM-DD of a date `days` from the given one. */
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

t.test('without pii:read no answer about a seeker carries the birth date: age and age band stand in for it', async (t) => {
  const svc = await build(t);
  const masked = client(svc, MASKED);
  const birthDate = '1974-11-27';
  const idNumber = makeIdNumber('320508', birthDate, 881, 'male');
  const household = (await masked.post('/v1/households', { communityCode: COMMUNITY })).json().id as string;
  const created = await masked.post('/v1/job-seekers', { idNumber, name: '陈建军', phone: '13912340077', communityCode: COMMUNITY, education: 'primary', householdId: household, relationship: 'head' });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const read = await masked.get(`/v1/job-seekers/${id}`);
  const changed = await masked.patch(`/v1/job-seekers/${id}`, { expectedMonthlyWage: 4200 }, { 'if-match': String(read.headers.etag) });
  t.equal(changed.statusCode, 200, changed.body);
  const employed = await masked.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: new Date(Date.now() - 60_000).toISOString(), employerName: '人民商场' });
  t.equal(employed.statusCode, 201, employed.body);
  const answers = {
    'POST /v1/job-seekers': created.json(),
    'GET /v1/job-seekers/:id': read.json(),
    'GET /v1/job-seekers': (await masked.get('/v1/job-seekers')).json().items[0],
    'PATCH /v1/job-seekers/:id': changed.json(),
    'POST /v1/job-seekers/:id/employment': employed.json(),
  };
  for (const [route, seeker] of Object.entries(answers)) {
    t.notOk('birthDate' in seeker, `${route}: no birthDate`);
    t.equal(seeker.idNumber, idNumber.slice(0, 6) + '********' + idNumber.slice(14), `${route}: the number masked`);
    t.equal(seeker.age, ageAt(birthDate), `${route}: age`);
    t.equal(seeker.ageBand, ageBand(ageAt(birthDate)), `${route}: age band`);
    t.notOk(JSON.stringify(seeker).includes('19741127') || JSON.stringify(seeker).includes('1974-11-27'), `${route}: the date in no other field`);
  }

  const revealed = (await client(svc, ALL).get(`/v1/job-seekers/${id}`)).json();
  t.equal(revealed.birthDate, birthDate, 'with pii:read the birth date is shown');
  t.equal(revealed.idNumber, idNumber);
});

t.test('dates about a person are checked against what their age tells, so probing them does not find the birth date', async (t) => {
  const svc = await build(t);
  const masked = client(svc, MASKED);
  // Born half a year from today's month and day, so that the age has long been what it is.
  const today = new Date().toISOString().slice(0, 10);
  const birthDate = shift(`${Number(today.slice(0, 4)) - 40}${today.slice(4)}`, -180);
  const id = (await masked.post('/v1/job-seekers', { idNumber: makeIdNumber('320508', birthDate, 417, 'male'), name: '陈建军', communityCode: COMMUNITY, education: 'primary' })).json().id as string;
  const age = (await masked.get(`/v1/job-seekers/${id}`)).json().age as number;
  // The latest birth date that age allows: today, `age` years back.
  const bound = `${Number(today.slice(0, 4)) - age}${today.slice(4)}`;
  t.ok(bound > shift(birthDate, 30), 'the bound lies well after the birth date');

  const answers = async (date: string) => {
    const etag = String((await masked.get(`/v1/job-seekers/${id}`)).headers.etag);
    const at = `${date}T12:00:00+08:00`;
    return [
      (await masked.patch(`/v1/job-seekers/${id}`, { unemployedSince: date }, { 'if-match': etag })).statusCode,
      (await masked.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at, coordinatorId: 'c-1' })).statusCode,
    ];
  };
  // The day before and days after the real birth date answer alike: all before what the age allows.
  // (A day's margin at the bound: whichever calendar, UTC or the city's, the age is counted in.)
  for (const date of [shift(birthDate, -1), birthDate, shift(birthDate, 1), shift(birthDate, 30), shift(bound, -2)]) {
    t.same(await answers(date), [400, 400], `${date}: refused like any date before ${bound}`);
  }
  const change = await masked.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: `${shift(birthDate, 1)}T12:00:00+08:00`, employerName: '人民商场' });
  t.equal(change.statusCode, 400, 'an employment change the day after the birth date is refused too');
  t.equal(change.json().errors[0].field, 'body.at');
  t.same(await answers(shift(bound, 1)), [200, 201], `after ${bound}, the latest birth date the age allows, dates are accepted`);
});
