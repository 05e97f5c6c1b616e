import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { rederiveDailyHardship } from '../src/maintenance/daily-hardship.ts';
import { build } from './helper.ts';
import { cityDate, makeIdNumber } from '@reemploy/domain';
import { client, seeker } from './fixtures.ts';

t.test('the daily job re-derives what the calendar changes, once per day', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const today = cityDate();
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

t.test('the daily job ends a zero-employment household on the retirement date of its only able member, as reformed', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  // Born 1972-06-10: 60 on 2032-06-10, but retiring at 61 years 11 months, on 2034-05-10.
  const hh = (await api.post('/v1/households', { communityCode: '320508024043' })).json().id;
  const head = await api.post('/v1/job-seekers', seeker({ idNumber: makeIdNumber('320508', '1972-06-10', 41, 'male'), householdId: hh, relationship: 'head' }));
  t.equal(head.statusCode, 201, head.body);
  t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a man of 54, unemployed, able and willing');
  await rederiveDailyHardship(svc.ctx, '2034-05-09');
  t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'at 61, the day before his retirement date, he could still work');
  t.ok((await api.get(`/v1/job-seekers/${head.json().id}`)).json().hardshipCategories.includes('OLDER_4050'), 'and is still 4050');
  const run = await rederiveDailyHardship(svc.ctx, '2034-05-10');
  t.equal(run.ran, true);
  const after = (await api.get(`/v1/households/${hh}`)).json();
  t.same(after.hardshipCategories, [], 'from his retirement date nobody is left who could work');
  t.equal(after.zeroEmployment, null, 'the offer clock stops');
  t.same((await api.get(`/v1/job-seekers/${head.json().id}`)).json().hardshipCategories, ['LONG_TERM_UNEMPLOYED'], 'neither 4050 nor zero-employment any more');
});

t.test("the daily job ends it on a woman's retirement date by her scheme, and keeps a household with someone of working age", async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const household = async (...members: Record<string, unknown>[]) => {
    const id = (await api.post('/v1/households', { communityCode: '320508024043' })).json().id;
    for (const [i, m] of members.entries()) {
      const res = await api.post('/v1/job-seekers', seeker({ ...m, householdId: id, relationship: i === 0 ? 'head' : 'child' }));
      t.equal(res.statusCode, 201, res.body);
    }
    return id;
  };
  // A cadre born 1975-09-20 retires at 56 years 6 months (2032-03-20); a worker born 1982-05-15 at 53 years 9 months (2036-02-15).
  const cadre = await household({ idNumber: makeIdNumber('320508', '1975-09-20', 42, 'female'), retirementScheme: 'female-55' });
  const worker = await household({ idNumber: makeIdNumber('320508', '1982-05-15', 43, 'female') });
  const mixed = await household({ idNumber: makeIdNumber('320508', '1975-09-20', 44, 'female'), retirementScheme: 'female-55' }, { idNumber: makeIdNumber('320508', '2002-01-01', 46, 'male') });
  const categories = async (hh: string) => (await api.get(`/v1/households/${hh}`)).json().hardshipCategories;
  await rederiveDailyHardship(svc.ctx, '2032-03-19');
  t.same(await categories(cadre), ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a cadre of 56 before her retirement date');
  await rederiveDailyHardship(svc.ctx, '2032-03-20');
  t.same(await categories(cadre), [], 'from her retirement date');
  t.same(await categories(mixed), ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'her son of 30 still could work');
  await rederiveDailyHardship(svc.ctx, '2036-02-14');
  t.same(await categories(worker), ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a worker (the default scheme) the day before her retirement date');
  await rederiveDailyHardship(svc.ctx, '2036-02-15');
  t.same(await categories(worker), [], 'from her retirement date');
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
