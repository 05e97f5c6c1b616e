import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { rederiveDailyHardship } from '../src/maintenance/daily-hardship.ts';
import { build } from './helper.ts';
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
