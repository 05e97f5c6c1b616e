/**
 * Consumers apply only events an outbox relay signed (EVENT_SIGNING_KEY). A
 * job put on an event queue any other way — through the queue dashboard, or
 * by anyone who can reach Redis — fails at once and changes nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { Queue, type Job } from 'bullmq';
import { queueNames, type Envelope, type EventPayload, type ServiceName } from '@reemploy/events';
import { recordEvent, signEnvelope, startOutboxRelay } from '@reemploy/messaging';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { createEmployer, createVacancy } from '../../services/job-postings/test/fixtures.ts';
import { post, seekerPayload } from '../helper.ts';
import { sample } from '../support/prometheus.ts';

const CONSUMERS: ServiceName[] = ['registration', 'job-postings', 'assistance-bases'];

function hire(seekerId: string, vacancyId: string): EventPayload<'referral.hired'> {
  return {
    referralId: randomUUID(),
    seekerId,
    vacancyId,
    householdId: null,
    employerId: null,
    hardshipCategories: [],
    aidBaseId: null,
    reservedPostId: null,
    at: new Date().toISOString(),
  };
}

function envelope(payload: EventPayload<'referral.hired'>): Envelope {
  return { id: randomUUID(), type: 'referral.hired', version: 1, producer: 'matching', seq: 1, subject: payload.referralId, occurredAt: new Date().toISOString(), payload };
}

async function linked(t: { after(fn: () => unknown): void }) {
  const queuePrefix = testQueuePrefix();
  const [reg, postings, bases, match] = await Promise.all([
    buildRegistration(t, { queuePrefix }),
    buildJobPostings(t, { queuePrefix }),
    buildAssistanceBases(t, { queuePrefix }),
    buildMatching(t, { queuePrefix }),
  ]);
  await Promise.all([reg.startWorkers(), postings.startWorkers(), bases.startWorkers()]);
  const queues = Object.fromEntries(CONSUMERS.map((c) => [c, new Queue(queueNames.events(c), { connection: reg.ctx.redis, prefix: queuePrefix })])) as Record<ServiceName, Queue>;
  t.after(() => Promise.all(Object.values(queues).map((q) => q.close())));
  const consumers = { registration: reg, 'job-postings': postings, 'assistance-bases': bases } as const;
  const inbox = (c: (typeof CONSUMERS)[number], id: string) =>
    (consumers[c as keyof typeof consumers].ctx.db as typeof reg.ctx.db).selectFrom('inbox').select('event_id').where('event_id', '=', id).executeTakeFirst();
  /** Matching's outbox relay, as its worker runs it. */
  const relay = (signingKey = match.ctx.secrets.eventSigningKeys.current) =>
    startOutboxRelay({ service: 'matching', db: match.ctx.db, pool: match.ctx.database.pool, schema: match.ctx.database.schema, redis: match.ctx.redis, prefix: queuePrefix, logger: match.ctx.logger, signingKey, pollMs: 60_000 });
  return { reg, postings, bases, match, queues, consumers, inbox, relay };
}

t.test('a referral.hired added to the queues by hand is refused by every consumer; the relayed one is applied', async (t) => {
  const { reg, postings, match, queues, consumers, inbox, relay } = await linked(t);
  const seeker = await post(reg.app, '/v1/job-seekers', reg.token(['seekers:write']), seekerPayload(1));
  t.equal(seeker.statusCode, 201, seeker.body);
  const seekerId = seeker.json().id as string;
  const vacancy = await createVacancy(postings, await createEmployer(postings), { headcount: 2 });
  const status = async () => (await reg.app.inject({ url: `/v1/job-seekers/${seekerId}`, headers: { authorization: `Bearer ${reg.token(['seekers:read'])}` } })).json().status;
  const postsLeft = async () => (await postings.ctx.database.pool.query('select headcount_left from vacancies where id = $1', [vacancy.id])).rows[0].headcount_left;

  // What an operator with the dashboard, or anyone with the Redis password, could add: unsigned, or signed with a guessed key.
  const unsigned = envelope(hire(seekerId, vacancy.id));
  const guessed = envelope(hire(seekerId, vacancy.id));
  const forged = { ...guessed, signature: signEnvelope(randomBytes(32), guessed) };
  // The relay's own signature, moved onto another payload.
  const genuine = envelope(hire(seekerId, vacancy.id));
  const tampered = { ...genuine, payload: { ...genuine.payload as object, vacancyId: randomUUID() }, signature: signEnvelope(match.ctx.secrets.eventSigningKeys.current, genuine) };
  const attempts: [string, object][] = [
    [unsigned.id, unsigned],
    [forged.id, forged],
    [`${tampered.id}-tampered`, tampered],
  ];
  for (const consumer of CONSUMERS) {
    for (const [jobId, data] of attempts) await queues[consumer].add('referral.hired', data, { jobId, attempts: 5 });
  }
  for (const consumer of CONSUMERS) {
    const failed = await eventually(async () => {
      const jobs = (await queues[consumer].getFailed()) as Job[];
      return jobs.length === attempts.length ? jobs : undefined;
    }, 15_000, 50);
    const reasons = Object.fromEntries(failed.map((j) => [j.id, j.failedReason]));
    t.match(reasons[unsigned.id], /no outbox relay signature/, `${consumer}: an unsigned event fails, saying why`);
    t.match(reasons[forged.id], /signature does not verify/, `${consumer}: so does one signed with another key`);
    t.match(reasons[`${tampered.id}-tampered`], /signature does not verify/, `${consumer}: and one whose payload was changed after signing`);
    t.ok(failed.every((j) => j.attemptsMade === 1), `${consumer}: at once, without retries`);
    for (const id of [unsigned.id, forged.id, tampered.id]) t.notOk(await inbox(consumer, id), `${consumer}: ${id} not applied`);
    const svc = consumers[consumer as keyof typeof consumers];
    const metrics = (await svc.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } })).body;
    t.equal(sample(metrics, 'events_refused_total', { reason: 'unsigned' }), 1, `${consumer}: counted as unsigned`);
    t.equal(sample(metrics, 'events_refused_total', { reason: 'bad-signature' }), 2, `${consumer}: counted as wrongly signed`);
  }
  t.equal(await status(), 'unemployed', 'registration did not take the forged hire');
  t.equal(await postsLeft(), 2, 'job-postings did not give a post away');

  // The same hire, committed in matching's outbox and published by its relay, is applied everywhere.
  const relayedId = await recordEvent(match.ctx.db, 'referral.hired', genuine.subject, genuine.payload as EventPayload<'referral.hired'>);
  const published = relay();
  await published.flush();
  await published.stop();
  for (const consumer of CONSUMERS) await eventually(async () => ((await inbox(consumer, relayedId)) ? true : undefined), 15_000, 50);
  t.pass('applied by registration, job-postings and assistance-bases');
  t.equal(await status(), 'employed');
  t.equal(await postsLeft(), 1);
});

t.test('while keys rotate, consumers accept the retired key beside the current one', async (t) => {
  const retired = randomBytes(32).toString('base64');
  const current = randomBytes(32).toString('base64');
  const postings = await buildJobPostings(t, { env: { EVENT_SIGNING_KEY: current, EVENT_SIGNING_OLD_KEYS: retired } });
  await postings.startWorkers();
  const vacancy = await createVacancy(postings, await createEmployer(postings), { headcount: 3 });
  const queue = new Queue(queueNames.events('job-postings'), { connection: postings.ctx.redis, prefix: postings.ctx.queuePrefix });
  t.after(() => queue.close());

  const signedWith = (key: string) => {
    const e = envelope(hire(randomUUID(), vacancy.id));
    return { ...e, signature: signEnvelope(Buffer.from(key, 'base64'), e) };
  };
  for (const data of [signedWith(retired), signedWith(current), signedWith(randomBytes(32).toString('base64'))]) {
    await queue.add('referral.hired', data, { jobId: data.id });
  }
  await eventually(async () => ((await queue.getCompletedCount()) === 2 && (await queue.getFailedCount()) === 1 ? true : undefined), 15_000, 50);
  const { rows } = await postings.ctx.database.pool.query('select headcount_left from vacancies where id = $1', [vacancy.id]);
  t.equal(rows[0].headcount_left, 1, 'the hires signed with the current and the retired key are applied; the third is not');
});
