import { randomUUID } from 'node:crypto';
import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames, type Envelope } from '@reemploy/events';
import { applyEvent } from '@reemploy/messaging';
import { eventually, relayed } from '@reemploy/runtime/testing';
import { jobPostings } from '../src/definition.ts';
import { build } from './helper.ts';
import { auth, createEmployer, createVacancy, outboxTypes, type Svc } from './fixtures.ts';

function hired(vacancyId: string, referralId: string = randomUUID(), envelopeId = randomUUID()): Envelope {
  return {
    id: envelopeId,
    type: 'referral.hired',
    version: 1,
    producer: 'matching',
    seq: 1,
    subject: referralId,
    occurredAt: new Date().toISOString(),
    payload: {
      referralId,
      seekerId: randomUUID(),
      vacancyId,
      householdId: null,
      employerId: null,
      hardshipCategories: ['OLDER_4050'],
      aidBaseId: null,
      reservedPostId: null,
      at: new Date().toISOString(),
    },
  };
}

async function vacancyRow(svc: Svc, id: string) {
  const { rows } = await svc.ctx.database.pool.query('select headcount_left, status, status_reason from vacancies where id = $1', [id]);
  return rows[0];
}

t.test('a hire takes one post once, however often it is delivered; the last one fills the vacancy', async (t) => {
  const svc = await build(t);
  const v = await createVacancy(svc, await createEmployer(svc), { headcount: 2 });
  const handlers = jobPostings.eventHandlers!(svc.ctx);
  const first = hired(v.id);

  t.equal(await applyEvent(svc.ctx.db, handlers, first), true);
  t.equal(await applyEvent(svc.ctx.db, handlers, first), false, 'the same envelope again is ignored');
  const referralId = (first.payload as { referralId: string }).referralId;
  await applyEvent(svc.ctx.db, handlers, hired(v.id, referralId));
  t.match(await vacancyRow(svc, v.id), { headcount_left: 1, status: 'open' }, 'the same referral in another envelope is ignored too');

  await applyEvent(svc.ctx.db, handlers, hired(v.id));
  t.match(await vacancyRow(svc, v.id), { headcount_left: 0, status: 'filled' });
  t.same(await outboxTypes(svc, v.id), ['vacancy.created', 'vacancy.updated', 'vacancy.closed']);
  const { rows } = await svc.ctx.database.pool.query(`select payload from outbox where type = 'vacancy.closed'`);
  t.match(rows[0].payload, { vacancyId: v.id, status: 'filled', headcountLeft: 0, headcount: 2 });

  // A late hire on a filled vacancy is recorded but cannot go below zero.
  await applyEvent(svc.ctx.db, handlers, hired(v.id));
  t.match(await vacancyRow(svc, v.id), { headcount_left: 0, status: 'filled' });
  const read = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${v.id}`, headers: auth(svc) });
  t.match(read.json(), { status: 'filled', headcountLeft: 0 });

  t.equal(await applyEvent(svc.ctx.db, handlers, hired(randomUUID())), true, 'a hire for an unknown vacancy is acknowledged and ignored');
});

t.test('over the real queue: a hire delivered twice decrements once, and vacancy events reach their consumers', async (t) => {
  const svc = await build(t);
  const workers = await svc.startWorkers();
  const v = await createVacancy(svc, await createEmployer(svc), { headcount: 3 });
  await workers.flushOutbox();

  const matchingQueue = new Queue(queueNames.events('matching'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  const ownQueue = new Queue(queueNames.events('job-postings'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(async () => {
    await matchingQueue.close();
    await ownQueue.close();
  });
  const { rows } = await svc.ctx.database.pool.query(`select id from outbox where type = 'vacancy.created'`);
  const published = await eventually(async () => (await matchingQueue.getJob(rows[0].id)) ?? undefined);
  t.equal(published.data.payload.vacancyId, v.id, 'vacancy.created is on matching’s queue');

  const envelope = hired(v.id);
  // Two jobs carrying the same envelope: what a redelivery after a lost acknowledgement looks like.
  await ownQueue.add('referral.hired', relayed(svc.ctx, envelope), { jobId: `${envelope.id}-a` });
  await ownQueue.add('referral.hired', relayed(svc.ctx, envelope), { jobId: `${envelope.id}-b` });
  await eventually(async () => ((await ownQueue.getJobCounts('completed')).completed === 2 ? true : undefined));
  t.match(await vacancyRow(svc, v.id), { headcount_left: 2, status: 'open' });
  const { rows: hires } = await svc.ctx.database.pool.query('select count(*)::int as n from vacancy_hires');
  t.equal(hires[0].n, 1);
});
