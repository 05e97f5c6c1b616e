import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { applyEvent, startOutboxRelay } from '@reemploy/messaging';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { projectionHandlers } from '../../services/matching/src/projection/handlers.ts';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { makeIdNumber } from '@reemploy/domain';
import { deliver, vacancy as matchingVacancy } from '../../services/matching/test/fixtures.ts';
import { post, seekerPayload } from '../helper.ts';

t.test('a seeker registered in registration reaches matching within a second', async (t) => {
  const queuePrefix = testQueuePrefix();
  const registration = await buildRegistration(t, { queuePrefix });
  const matching = await buildMatching(t, { queuePrefix });
  await registration.startWorkers();
  await matching.startWorkers();

  const started = Date.now();
  const created = await post(registration.app, '/v1/job-seekers', registration.token(['seekers:write']), seekerPayload(1));
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id;
  // Registration's commit → outbox relay → Redis → matching's consumer → its projection.
  const projected = await eventually(async () => matching.ctx.db.selectFrom('seekers').select(['seeker_id', 'community_code']).where('seeker_id', '=', id).executeTakeFirst(), 1000, 10);
  const elapsed = Date.now() - started;
  t.equal(projected.community_code, '320508024043');
  t.ok(elapsed < 1000, `reached matching's projection in ${elapsed} ms`);
  // And matching answers for the person at once (its ranking thread starts on this first request here).
  const token = matching.token(['matching:read']);
  const shown = await matching.app.inject({ url: `/v1/job-seekers/${id}/matches`, headers: { authorization: `Bearer ${token}` } });
  t.equal(shown.statusCode, 200, shown.body);
  t.equal(shown.json().seekerId, id);
  t.equal(shown.json().communityCode, '320508024043');
});

t.test('an event delivered twice changes nothing the second time', async (t) => {
  const registration = await buildRegistration(t);
  const matching = await buildMatching(t);
  const created = await post(registration.app, '/v1/job-seekers', registration.token(['seekers:write']), seekerPayload(2));
  t.equal(created.statusCode, 201);
  const row = await registration.ctx.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
  const envelope = {
    id: row.id,
    type: row.type,
    version: row.version,
    producer: 'registration',
    seq: row.seq,
    subject: row.subject,
    occurredAt: row.occurred_at.toISOString(),
    payload: row.payload,
  };
  t.equal(await applyEvent(matching.ctx.db, projectionHandlers(), envelope), true, 'first delivery applied');
  const before = await matching.ctx.db.selectFrom('seekers').selectAll().executeTakeFirstOrThrow();
  t.equal(await applyEvent(matching.ctx.db, projectionHandlers(), envelope), false, 'second delivery skipped');
  const after = await matching.ctx.db.selectFrom('seekers').selectAll().execute();
  t.same(after, [before], 'projection unchanged');
  const inbox = await matching.ctx.db.selectFrom('inbox').selectAll().execute();
  t.equal(inbox.length, 1);

  // An older snapshot arriving late does not overwrite a newer one.
  await applyEvent(matching.ctx.db, projectionHandlers(), { ...envelope, id: crypto.randomUUID(), seq: row.seq + 5, payload: { ...(row.payload as object), status: 'employed' } });
  await applyEvent(matching.ctx.db, projectionHandlers(), { ...envelope, id: crypto.randomUUID(), seq: row.seq + 1, payload: { ...(row.payload as object), status: 'unemployed' } });
  const latest = await matching.ctx.db.selectFrom('seekers').select('status').executeTakeFirstOrThrow();
  t.equal(latest.status, 'employed');
});

t.test('a relay that dies between publishing and marking publishes again, and the consumer applies once', async (t) => {
  const queuePrefix = testQueuePrefix();
  const registration = await buildRegistration(t, { queuePrefix });
  const matching = await buildMatching(t, { queuePrefix });
  const created = await post(registration.app, '/v1/job-seekers', registration.token(['seekers:write']), seekerPayload(6));
  t.equal(created.statusCode, 201);

  const { ctx } = registration;
  const relayOptions = { service: 'registration' as const, db: ctx.db, pool: ctx.database.pool, schema: ctx.database.schema, redis: ctx.redis, prefix: queuePrefix, logger: ctx.logger, signingKey: ctx.secrets.eventSigningKeys.current, pollMs: 60_000 };
  const dying = startOutboxRelay({
    ...relayOptions,
    afterPublish: () => {
      throw new Error('killed between publish and mark');
    },
  });
  await dying.flush();
  await dying.stop();
  const unmarked = await ctx.db.selectFrom('outbox').select('published_at').executeTakeFirstOrThrow();
  t.equal(unmarked.published_at, null, 'not marked: the batch rolled back');

  // The job already sits in the queue; remove it so the republish is a fresh delivery, as after retention.
  const queue = new Queue(queueNames.events('matching'), { connection: ctx.redis, prefix: queuePrefix });
  t.equal(await queue.getJobCountByTypes('waiting'), 1, 'published once already');
  await matching.startWorkers();
  await eventually(async () => ((await queue.getJobCountByTypes('completed')) === 1 ? true : undefined), 3000);

  const healthy = startOutboxRelay(relayOptions);
  await healthy.flush();
  await healthy.stop();
  const marked = await ctx.db.selectFrom('outbox').select('published_at').executeTakeFirstOrThrow();
  t.ok(marked.published_at, 'marked by the second relay');
  await queue.close();

  const seekers = await matching.ctx.db.selectFrom('seekers').select('seeker_id').execute();
  t.same(seekers.map((s) => s.seeker_id), [created.json().id], 'applied once');
  const inbox = await matching.ctx.db.selectFrom('inbox').selectAll().execute();
  t.equal(inbox.length, 1);
});

t.test("matching holds each member's own hardship categories, as registration derived them, not the household's", async (t) => {
  const registration = await buildRegistration(t);
  const matching = await buildMatching(t);
  const writer = registration.token(['seekers:write', 'seekers:read']);
  const household = await post(registration.app, '/v1/households', writer, { communityCode: '320508024043', singleParent: true, minorChildren: 1 });
  t.equal(household.statusCode, 201, household.body);
  const hh = household.json().id;
  // A single mother of 45 and her adult son, both out of work: the household is a single-parent and
  // zero-employment one; only the mother is a single parent (and 4050).
  const mother = await post(registration.app, '/v1/job-seekers', writer, seekerPayload(3, { householdId: hh, relationship: 'head', idNumber: makeIdNumber('320508', '1981-03-01', 121, 'female') }));
  const son = await post(registration.app, '/v1/job-seekers', writer, seekerPayload(4, { householdId: hh, relationship: 'child', idNumber: makeIdNumber('320508', '2004-07-01', 131, 'male') }));
  t.equal(mother.statusCode, 201, mother.body);
  t.equal(son.statusCode, 201, son.body);
  // Every event registration published, delivered in its order.
  const rows = await registration.ctx.db.selectFrom('outbox').selectAll().orderBy('seq').execute();
  t.ok(rows.some((r) => r.type === 'household.categories-changed'), 'the household change was published');
  for (const row of rows) {
    const envelope = { id: row.id, type: row.type, version: row.version, producer: 'registration', seq: row.seq, subject: row.subject, occurredAt: row.occurred_at.toISOString(), payload: row.payload };
    await applyEvent(matching.ctx.db, projectionHandlers(), envelope);
  }
  const derived = async (id: string) => (await registration.app.inject({ url: `/v1/job-seekers/${id}`, headers: { authorization: `Bearer ${writer}` } })).json().hardshipCategories;
  const projected = async (id: string) => (await matching.ctx.db.selectFrom('seekers').select('hardship_categories').where('seeker_id', '=', id).executeTakeFirstOrThrow()).hardship_categories;
  const motherCategories = await derived(mother.json().id);
  const sonCategories = await derived(son.json().id);
  t.ok(motherCategories.includes('SINGLE_PARENT') && !sonCategories.includes('SINGLE_PARENT'), `registration: mother ${motherCategories}, son ${sonCategories}`);
  t.same(await projected(mother.json().id), motherCategories);
  t.same(await projected(son.json().id), sonCategories, 'the son is not offered posts reserved for single parents');
});

t.test("the son of a minimum-livelihood household reaches matching with MINIMUM_LIVELIHOOD, and the posts reserved for 低保 households with him", async (t) => {
  const registration = await buildRegistration(t);
  const matching = await buildMatching(t, { env: { MATCHER_REFRESH_MS: '0' } });
  const writer = registration.token(['seekers:write', 'seekers:read']);
  const household = await post(registration.app, '/v1/households', writer, {
    communityCode: '320508024043',
    otherEmployedMembers: 1,
    minimumLivelihood: { certificateNumber: '苏民低保2024第000321号', since: '2024-02-01' },
  });
  t.equal(household.statusCode, 201, household.body);
  // Neither carries a flag of his own: the household holds the certificate.
  const father = await post(registration.app, '/v1/job-seekers', writer, seekerPayload(7, { householdId: household.json().id, relationship: 'head' }));
  const son = await post(registration.app, '/v1/job-seekers', writer, seekerPayload(8, { householdId: household.json().id, relationship: 'child', idNumber: makeIdNumber('320508', '1996-07-01', 141, 'male') }));
  t.equal(son.statusCode, 201, son.body);
  t.equal(father.statusCode, 201, father.body);
  const rows = await registration.ctx.db.selectFrom('outbox').selectAll().orderBy('seq').execute();
  for (const row of rows) {
    const envelope = { id: row.id, type: row.type, version: row.version, producer: 'registration', seq: row.seq, subject: row.subject, occurredAt: row.occurred_at.toISOString(), payload: row.payload };
    await applyEvent(matching.ctx.db, projectionHandlers(), envelope);
  }
  const projected = await matching.ctx.db.selectFrom('seekers').select('hardship_categories').where('seeker_id', '=', son.json().id).executeTakeFirstOrThrow();
  t.ok(projected.hardship_categories.includes('MINIMUM_LIVELIHOOD'), `projected: ${projected.hardship_categories}`);

  const reserved = matchingVacancy({ reservedFor: ['MINIMUM_LIVELIHOOD'], kind: 'public-welfare' });
  await deliver(matching.ctx, 'vacancy.created', reserved);
  const matches = await matching.app.inject({ url: `/v1/job-seekers/${son.json().id}/matches`, headers: { authorization: `Bearer ${matching.token(['matching:read'])}` } });
  t.equal(matches.statusCode, 200, matches.body);
  t.ok(matches.json().items.some((m: { vacancyId: string }) => m.vacancyId === reserved.vacancyId), 'the post reserved for 低保 households is among his matches');
});
