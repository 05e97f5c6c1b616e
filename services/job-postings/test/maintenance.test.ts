import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { eventually } from '@reemploy/runtime/testing';
import { cityDate } from '@reemploy/domain';
import { MAINTENANCE_JOB, runDailyMaintenance } from '../src/maintenance/service.ts';
import { build } from './helper.ts';
import { createEmployer, createVacancy, outboxTypes, type Svc } from './fixtures.ts';

async function status(svc: Svc, id: string) {
  const { rows } = await svc.ctx.database.pool.query('select status, status_reason from vacancies where id = $1', [id]);
  return rows[0];
}

/** Moves a vacancy's clock back: what time passing would do. */
async function age(svc: Svc, id: string, set: string) {
  await svc.ctx.database.pool.query(`update vacancies set ${set} where id = $1`, [id]);
}

t.test('the daily job expires vacancies past validUntil, unpublishes those unrefreshed for 90 days, once a day', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const past = await createVacancy(svc, employerId, { title: '过期岗位' });
  const stale = await createVacancy(svc, employerId, { title: '陈旧岗位' });
  const fresh = await createVacancy(svc, employerId, { title: '新鲜岗位' });
  const closed = await createVacancy(svc, employerId, { title: '已关闭岗位' });
  await age(svc, past.id, `valid_until = now() - interval '1 minute'`);
  await age(svc, stale.id, `refreshed_at = now() - interval '91 days'`);
  await age(svc, fresh.id, `refreshed_at = now() - interval '89 days'`);
  await age(svc, closed.id, `status = 'closed', valid_until = now() - interval '1 day'`);

  const first = await runDailyMaintenance(svc.ctx);
  t.match(first, { ran: true, expired: 1, unpublished: 1, day: cityDate(new Date()) });
  t.match(await status(svc, past.id), { status: 'expired', status_reason: 'past validUntil' });
  t.match(await status(svc, stale.id), { status: 'closed', status_reason: 'not refreshed for 90 days' });
  t.match(await status(svc, fresh.id), { status: 'open' });
  t.match(await status(svc, closed.id), { status: 'closed' }, 'a closed vacancy does not become expired');
  t.same(await outboxTypes(svc, past.id), ['vacancy.created', 'vacancy.closed']);
  const { rows } = await svc.ctx.database.pool.query(`select payload from outbox where type = 'vacancy.closed' and subject = $1`, [past.id]);
  t.equal(rows[0].payload.status, 'expired');

  await age(svc, fresh.id, `refreshed_at = now() - interval '100 days'`);
  t.match(await runDailyMaintenance(svc.ctx), { ran: false }, 'a second run the same day does nothing');
  t.match(await status(svc, fresh.id), { status: 'open' });
  const tomorrow = await runDailyMaintenance(svc.ctx, new Date(Date.now() + 86_400_000));
  t.match(tomorrow, { ran: true, unpublished: 1 });
  t.match(await status(svc, fresh.id), { status: 'closed' });
});

t.test('startWorkers schedules the job in Shanghai time and the worker runs it', async (t) => {
  const svc = await build(t);
  const v = await createVacancy(svc, await createEmployer(svc));
  await age(svc, v.id, `valid_until = now() - interval '1 minute'`);
  await svc.startWorkers();
  const queue = new Queue(queueNames.maintenance('job-postings'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => queue.close());
  const scheduler = await queue.getJobScheduler(MAINTENANCE_JOB);
  t.match(scheduler, { pattern: '30 0 * * *', tz: 'Asia/Shanghai' });
  await queue.add(MAINTENANCE_JOB, {});
  await eventually(async () => ((await status(svc, v.id)).status === 'expired' ? true : undefined));
  t.pass('the queued job expired the vacancy');
});
