import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { rederiveDailyHardship } from '../src/maintenance/daily-hardship.ts';
import { build } from './helper.ts';
import { makeIdNumber } from '@reemploy/domain';
import { client, seeker } from './fixtures.ts';

t.test('the daily job re-derives what the calendar changes, once per day', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const today = new Date().toISOString().slice(0, 10);
  const lt = (await api.post('/v1/job-seekers', seeker({ unemployedSince: today }))).json();
  const hh = (await api.post('/v1/households', { communityCode: '320508024043', otherEmployedMembers: 1 })).json().id;
  const member = (await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head', unemployedSince: today }))).json();
  t.same(lt.hardshipCategories, []);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const first = await rederiveDailyHardship(svc.ctx, nextYear);
  t.same(first, { ran: true, changed: 2 });
  t.same((await api.get(`/v1/job-seekers/${lt.id}`)).json().hardshipCategories, ['LONG_TERM_UNEMPLOYED']);
  t.same((await api.get(`/v1/job-seekers/${member.id}`)).json().hardshipCategories, ['LONG_TERM_UNEMPLOYED']);
  const { rows } = await svc.ctx.database.pool.query("select count(*)::int as n from outbox where type = 'seeker.updated'");
  t.equal(rows[0].n, 2, 'matching hears of both');
  t.same(await rederiveDailyHardship(svc.ctx, nextYear), { ran: false, changed: 0 }, 'a second delivery the same day does nothing');
  t.same(await rederiveDailyHardship(svc.ctx, `${Number(today.slice(0, 4)) + 1}-12-31`), { ran: true, changed: 0 }, 'nothing more to change');
});

t.test('startWorkers schedules the daily job in Asia/Shanghai', async (t) => {
  const svc = await build(t);
  await svc.startWorkers();
  const queue = new Queue(queueNames.maintenance('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.teardown(() => queue.close());
  const schedulers = await queue.getJobSchedulers();
  t.match(schedulers.find((s) => s.key === 'hardship-daily'), { pattern: '10 0 * * *', tz: 'Asia/Shanghai' });
});

t.test('the daily job ends a zero-employment household whose only able member reaches retirement age', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  // A day a month ahead (never 29 February, so the birthday exists every year) and a man who turns 60 on it.
  const ahead = new Date(Date.now() + 30 * 86_400_000);
  if (ahead.getUTCMonth() === 1 && ahead.getUTCDate() === 29) ahead.setUTCDate(30);
  const day = ahead.toISOString().slice(0, 10);
  const birth = `${Number(day.slice(0, 4)) - 60}${day.slice(4)}`;
  const hh = (await api.post('/v1/households', { communityCode: '320508024043' })).json().id;
  const head = await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', birth, 41, 'male'), householdId: hh, relationship: 'head' }));
  t.equal(head.statusCode, 201, head.body);
  t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a man of 59, unemployed, able and willing');
  const run = await rederiveDailyHardship(svc.ctx, day);
  t.equal(run.ran, true);
  const after = (await api.get(`/v1/households/${hh}`)).json();
  t.same(after.hardshipCategories, [], 'at 60 he is past working age: nobody left who could work');
  t.equal(after.zeroEmployment, null, 'the offer clock stops');
  t.notOk((await api.get(`/v1/job-seekers/${head.json().id}`)).json().hardshipCategories.includes('ZERO_EMPLOYMENT_HOUSEHOLD'));
});

t.test('the daily job ends it for a woman at 55, and keeps a household that still has someone of working age', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const ahead = new Date(Date.now() + 30 * 86_400_000);
  if (ahead.getUTCMonth() === 1 && ahead.getUTCDate() === 29) ahead.setUTCDate(30);
  const day = ahead.toISOString().slice(0, 10);
  const born = (years: number) => `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
  const alone = (await api.post('/v1/households', { communityCode: '320508024043' })).json().id;
  await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', born(55), 42, 'female'), householdId: alone, relationship: 'head' }));
  const mixed = (await api.post('/v1/households', { communityCode: '320508024043' })).json().id;
  await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', born(55), 44, 'female'), householdId: mixed, relationship: 'head' }));
  await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', born(30), 46, 'male'), householdId: mixed, relationship: 'child' }));
  for (const hh of [alone, mixed]) t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD']);
  await rederiveDailyHardship(svc.ctx, day);
  t.same((await api.get(`/v1/households/${alone}`)).json().hardshipCategories, [], 'a woman of 55 is past working age');
  t.same((await api.get(`/v1/households/${mixed}`)).json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'her son of 30 still could work');
});

t.test("the daily job ends a single parent's category on the 18th birthday of her only registered child", async (t) => {
  const svc = await build(t);
  const api = client(svc);
  // Next 15 June the son turns 18; today he is 16 or 17.
  const year = new Date().getUTCFullYear() + 1;
  const hh = (await api.post('/v1/households', { communityCode: '320508024043', otherEmployedMembers: 1 })).json().id;
  const mother = (await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', '1985-05-05', 47, 'female'), householdId: hh, relationship: 'head', raisingAlone: true }))).json();
  const child = await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', `${year - 18}-06-15`, 48, 'male'), householdId: hh, relationship: 'child', parentIds: [mother.id] }));
  t.equal(child.statusCode, 201, child.body);
  t.ok((await api.get(`/v1/job-seekers/${mother.id}`)).json().hardshipCategories.includes('SINGLE_PARENT'), 'a son under 18');
  await rederiveDailyHardship(svc.ctx, `${year}-06-15`);
  t.notOk((await api.get(`/v1/job-seekers/${mother.id}`)).json().hardshipCategories.includes('SINGLE_PARENT'), 'a son of 18 is no minor child');
  t.notOk((await api.get(`/v1/households/${hh}`)).json().hardshipCategories.includes('SINGLE_PARENT'));
});
