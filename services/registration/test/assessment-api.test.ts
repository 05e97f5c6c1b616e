import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { build } from './helper.ts';
import { currentPeriod } from '../src/assessment/period.ts';

const COMMUNITY = '320508024043';

/** The assessment read from what registration's own routes record, not from fixtures. */
t.test('a household registered and re-employed through the API moves the criteria', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write', 'seekers:read', 'assessment:read'])}` };
  const post = async (url: string, payload: Record<string, unknown>) => {
    const res = await svc.app.inject({ method: 'POST', url, headers, payload });
    t.equal(res.statusCode, 201, res.body);
    return res.json();
  };
  const earlier = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const period = currentPeriod();

  const household = await post('/v1/households', { communityCode: COMMUNITY });
  const husband = await post('/v1/job-seekers', {
    idNumber: makeIdNumber('320508', '1972-04-01', 311, 'male'), name: '張建國', phone: '13812340001', communityCode: COMMUNITY,
    householdId: household.id, relationship: 'head', education: 'junior-secondary', skills: [],
  });
  const wife = await post('/v1/job-seekers', {
    idNumber: makeIdNumber('320508', '1976-09-09', 312, 'female'), name: '李秀蘭', phone: '13812340002', communityCode: COMMUNITY,
    householdId: household.id, relationship: 'spouse', education: 'junior-secondary', skills: [],
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

  await post(`/v1/job-seekers/${husband.id}/employment`, { status: 'employed', at: earlier(10), employerName: '人民商場' });
  const after = await assess();
  t.match(after['reemployment-rate'], { numerator: 1, denominator: 2, passed: false });
  t.match(after['dual-households-covered'], { numerator: 1, denominator: 1, passed: true }, 'the household stays in the base and is covered');
  t.match(after['zero-employment-households'], { numerator: 0, denominator: 1, passed: true }, 'identified this year, no longer left');
});
