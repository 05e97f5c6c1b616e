import { randomUUID } from 'node:crypto';
import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames, type Envelope, type ServiceName } from '@reemploy/events';
import { eventually, relayed, testQueuePrefix } from '@reemploy/runtime/testing';
import { build as buildJobPostings } from '../../job-postings/test/helper.ts';
import { createEmployer, createVacancy } from '../../job-postings/test/fixtures.ts';
import { build } from './helper.ts';
import { auth, basePayload, hirePayload, READ, WRITE } from './support.ts';

t.test('vacancies published by job-postings can be reserved; a hire fills the post and job-postings’ new headcount arrives', async (t) => {
  const queuePrefix = testQueuePrefix();
  const postings = await buildJobPostings(t, { queuePrefix, env: { MAX_EVENT_LOOP_DELAY_MS: '60000' } });
  const bases = await build(t, { queuePrefix });
  await postings.startWorkers();
  await bases.startWorkers();
  const city = auth(bases.token([READ, WRITE]));
  const base = (await bases.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload() })).json();

  const vacancy = await createVacancy(postings, await createEmployer(postings), { headcount: 2, source: 'aid-base' });
  const reserve = (quota: number) =>
    bases.app.inject({ method: 'POST', url: `/v1/aid-bases/${base.id}/reserved-posts`, headers: city, payload: { vacancyId: vacancy.id, reservedFor: ['OLDER_4050'], quota } });
  const reserved = await eventually(async () => {
    const res = await reserve(1);
    return res.statusCode === 201 ? res.json() : undefined;
  }, 15_000);
  t.match(reserved.vacancy, { headcount: 2, headcountLeft: 2, status: 'open' });

  // matching's relay sends one hire to both consumers.
  const hire = hirePayload(vacancy.id, { hardshipCategories: ['OLDER_4050'] });
  const envelope: Envelope = { id: randomUUID(), type: 'referral.hired', version: 1, producer: 'matching', seq: 1, subject: hire.referralId, occurredAt: new Date().toISOString(), payload: hire };
  for (const consumer of ['job-postings', 'assistance-bases'] as ServiceName[]) {
    const queue = new Queue(queueNames.events(consumer), { connection: bases.ctx.redis, prefix: queuePrefix });
    await queue.add(envelope.type, relayed(bases.ctx, envelope), { jobId: envelope.id });
    await queue.close();
  }
  const post = await eventually(async () => {
    const res = await bases.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts/${reserved.id}`, headers: city });
    const body = res.json();
    return body.status === 'filled' && body.vacancy.headcountLeft === 1 ? body : undefined;
  }, 15_000);
  t.match(post, { filled: 1, quota: 1, remaining: 0 });
  const figures = (await bases.app.inject({ url: `/v1/aid-bases/${base.id}`, headers: city })).json();
  t.match(figures.placements, { total: 1, byCategory: { OLDER_4050: 1 } });
});
