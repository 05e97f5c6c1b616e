import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import type pg from 'pg';
import { PURGE_JOB, purgeExpiredRecords } from '@reemploy/runtime';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { BUILDERS } from '../support/api-routes.ts';
import { RETENTION_JOB } from '../../services/registration/src/maintenance/retention.ts';
import { seekerPayload } from '../helper.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const month = (iso: string) => iso.slice(0, 7);

t.test('retention: seekers withdrawn longer than the period are anonymised by the daily job; statistics stay; the others are untouched', async (t) => {
  const queuePrefix = testQueuePrefix();
  const env = { RETENTION_WITHDRAWN_DAYS: '365' };
  const reg = await buildRegistration(t, { queuePrefix, env });
  const matching = await buildMatching(t, { queuePrefix });
  await reg.startWorkers();
  await matching.startWorkers();
  const writer = { authorization: `Bearer ${reg.token(['seekers:write', 'seekers:read', 'pii:read'])}` };
  const stats = { authorization: `Bearer ${reg.token(['assessment:read'])}` };
  const pool = reg.ctx.database.pool;

  const register = async (n: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const payload = seekerPayload(n, { phone: `1381234${String(5000 + n)}`, name: `退出者${n}`, ...extra });
    const res = await reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { ...writer, ...headers }, payload });
    t.equal(res.statusCode, 201, res.statusCode === 201 ? 'stored' : res.body);
    return { id: res.json().id as string, payload };
  };
  const change = async (id: string, status: string, at: string) => {
    const res = await reg.app.inject({ method: 'POST', url: `/v1/job-seekers/${id}/employment`, headers: writer, payload: { status, at, ...(status === 'employed' ? { employerName: '苏州长发商厦' } : {}) } });
    t.equal(res.statusCode, 201, res.statusCode === 201 ? 'stored' : res.body);
  };
  const serve = async (id: string, kind: string, at: string, note?: string) => {
    const res = await reg.app.inject({ method: 'POST', url: `/v1/job-seekers/${id}/service-records`, headers: writer, payload: { kind, at, coordinatorId: 'c-17', ...(note ? { note } : {}) } });
    t.equal(res.statusCode, 201, res.statusCode === 201 ? 'stored' : res.body);
  };

  // Two people withdrawn two years ago (one in a household, one registered through an Idempotency-Key
  // whose stored reply holds the record unmasked), one withdrawn a month ago, two still looking or working.
  const household = (await reg.app.inject({ method: 'POST', url: '/v1/households', headers: writer, payload: { communityCode: '320508024043' } })).json().id as string;
  const old1 = await register(11, { householdId: household, relationship: 'head' });
  const old2 = await register(12, { communityCode: '320505001002' }, { 'idempotency-key': 'retention-old2' });
  const recent = await register(13, { householdId: household, relationship: 'spouse' });
  const active = await register(14);
  const employed = await register(15, { communityCode: '320505001002' });
  await change(old1.id, 'employed', ago(900));
  await serve(old1.id, 'visit', ago(950), '上门走访，家中有老人需照顾');
  await serve(old1.id, 'guidance', ago(800));
  await change(old1.id, 'withdrawn', ago(730));
  await serve(old2.id, 'visit', ago(760), '电话回访');
  await change(old2.id, 'withdrawn', ago(700));
  await change(recent.id, 'withdrawn', ago(30));
  await serve(active.id, 'visit', ago(10), '介绍保安岗位');
  await change(employed.id, 'employed', ago(20));
  const all = [old1, old2, recent, active, employed];
  const expired = [old1, old2];
  const kept = [recent, active, employed];

  // Matching has projected every one of them.
  await eventually(async () => ((await matching.ctx.database.pool.query('select count(*)::int as n from seekers')).rows[0].n === all.length ? true : undefined), 20_000, 100);

  // What the statistics say before.
  const periods = [month(ago(0)), month(ago(30)), month(ago(700)), month(ago(730)), month(ago(900))];
  const statistics = async () => {
    const out: Record<string, unknown> = {};
    for (const period of periods) {
      out[`ledger ${period}`] = (await reg.app.inject({ url: `/v1/ledgers/monthly?period=${period}&regionCode=3205`, headers: stats })).json();
      out[`dashboard ${period}`] = (await reg.app.inject({ url: `/v1/dashboard?period=${period}&regionCode=3205`, headers: stats })).json();
    }
    for (const year of new Set(periods.map((p) => p.slice(0, 4)))) out[`report ${year}`] = (await reg.app.inject({ url: `/v1/reports/annual?year=${year}&regionCode=3205`, headers: stats })).json();
    const q = async (sql: string) => (await pool.query(sql)).rows;
    out.seekers = await q(`select community_code, status, gender, birth_date, education, hardship_categories, household_id, relationship, status_since, count(*)::int as n
      from job_seekers group by 1, 2, 3, 4, 5, 6, 7, 8, 9 order by 1, 2, 3, 4, 5, 6::text, 7, 8, 9`);
    out.households = await q('select id, community_code, hardship_categories, zero_employment_since, offer_deadline from households order by id');
    out.employment = await q('select seeker_id, status, previous_status, at, employer_name from employment_changes order by seeker_id, at');
    out.services = await q('select seeker_id, community_code, kind, at, coordinator_id from service_records order by seeker_id, at');
    out.categoryHistory = await q('select household_id, hardship_categories, previous from household_category_history order by id');
    return out;
  };
  const before = await statistics();
  t.ok(JSON.stringify(before).includes('"n"'), 'statistics gathered');
  const keptRows = async () => (await pool.query('select * from job_seekers where id = any($1) order by id', [kept.map((k) => k.id)])).rows;
  const keptBefore = await keptRows();
  const traces = (await pool.query('select id_number_hash, id_number_enc, name_enc, phone_enc, content_hash from job_seekers where id = any($1)', [expired.map((e) => e.id)])).rows.flatMap(
    (r) => Object.values(r).filter((v): v is string => typeof v === 'string'),
  );
  t.equal(traces.length, 10, 'each expired seeker had a hash, three ciphertexts and a content hash');
  t.equal((await pool.query("select count(*)::int as n from idempotency_keys where key = 'retention-old2'")).rows[0].n, 1);

  // The daily job is scheduled; it runs like the scheduler runs it: a job on the maintenance queue.
  const queue = new Queue(queueNames.maintenance('registration'), { connection: reg.ctx.redis, prefix: reg.ctx.queuePrefix });
  t.teardown(() => queue.close());
  const scheduler = await queue.getJobScheduler(RETENTION_JOB);
  t.match(scheduler, { pattern: '40 0 * * *', tz: 'Asia/Shanghai' }, 'scheduled daily at 00:40 Shanghai');
  const job = await queue.add(RETENTION_JOB, {});
  const result = await eventually(async () => ((await job.isCompleted()) ? (await queue.getJob(job.id!))?.returnvalue : undefined), 20_000, 100);
  t.match(result, { anonymised: 2 }, 'the two seekers withdrawn longer than 365 days');

  // Statistics stay; nobody else changed.
  t.same(await statistics(), before, 'every statistic is the same after');
  t.same(await keptRows(), keptBefore, 'seekers withdrawn recently, looking or working: untouched');

  // Their personal information is gone from every table of the service.
  const rows = (await pool.query('select * from job_seekers where id = any($1) order by id', [expired.map((e) => e.id)])).rows;
  for (const r of rows) {
    t.match(r, { id_number_hash: null, id_number_enc: null, name_enc: null, phone_enc: null, content_hash: null, status: 'withdrawn' });
    t.ok(r.anonymised_at instanceof Date);
  }
  t.same((await pool.query('select note from service_records where seeker_id = any($1) and note is not null', [expired.map((e) => e.id)])).rows, [], 'their service notes are gone');
  t.equal((await pool.query("select count(*)::int as n from idempotency_keys where key = 'retention-old2'")).rows[0].n, 0, 'the stored reply that held the record is gone');
  const tables = (await pool.query('select table_name from information_schema.tables where table_schema = $1 and table_type = $2', [reg.ctx.database.schema, 'BASE TABLE'])).rows.map((r) => r.table_name as string);
  const needles = expired.flatMap((e) => [e.payload.idNumber, String((e.payload as Record<string, unknown>).phone), e.payload.name]).concat(traces);
  for (const table of tables) {
    const dump = (await pool.query(`select t::text as row from "${table}" t`)).rows.map((r) => r.row as string).join('\n');
    const found = needles.filter((n) => dump.includes(n));
    t.same(found, [], `no trace of them in ${table} (outbox payloads included)`);
  }
  const outboxFor = async (type: string) => (await pool.query('select subject from outbox where type = $1 order by subject', [type])).rows.map((r) => r.subject);
  t.same(await outboxFor('seeker.anonymised'), expired.map((e) => e.id).sort(), 'seeker.anonymised published for each');

  // Reads still work: the record is there, without the person.
  const read = (await reg.app.inject({ url: `/v1/job-seekers/${old1.id}`, headers: writer })).json();
  t.match(read, { id: old1.id, idNumber: '', name: '', phone: null, status: 'withdrawn', communityCode: '320508024043' });
  const hh = (await reg.app.inject({ url: `/v1/households/${household}`, headers: writer })).json();
  t.same(hh.members.map((m: { id: string; name: string }) => [m.id, m.name]).sort(), [[old1.id, ''], [recent.id, recent.payload.name]].sort(), 'the household lists the member without a name');
  // The person may register afresh: the lookup hash is gone.
  const fresh = Object.fromEntries(Object.entries(old1.payload).filter(([k]) => k !== 'householdId' && k !== 'relationship'));
  const again = await reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: writer, payload: fresh });
  t.equal(again.statusCode, 201, 'the same identity number registers as a new person');
  t.not(again.json().id, old1.id);

  // Matching forgets them too.
  await eventually(async () => {
    const { rows } = await matching.ctx.database.pool.query('select seeker_id from seekers where seeker_id = any($1)', [expired.map((e) => e.id)]);
    return rows.length === 0 ? true : undefined;
  }, 20_000, 100);
  const left = (await matching.ctx.database.pool.query('select seeker_id from seekers where seeker_id = any($1) order by seeker_id', [kept.map((k) => k.id)])).rows.map((r) => r.seeker_id);
  t.same(left, kept.map((k) => k.id).sort(), "matching keeps everyone else's projection");

  // Running again changes nothing.
  const second = await reg.app.inject({ url: `/v1/job-seekers/${old1.id}`, headers: writer });
  const job2 = await queue.add(RETENTION_JOB, {});
  const result2 = await eventually(async () => ((await job2.isCompleted()) ? (await queue.getJob(job2.id!))?.returnvalue : undefined), 20_000, 100);
  t.match(result2, { anonymised: 0 });
  t.equal((await reg.app.inject({ url: `/v1/job-seekers/${old1.id}`, headers: writer })).headers.etag, second.headers.etag, 'an anonymised record is not touched again');
});

const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);

/** Rows dated in the past, straight into a service's platform tables; each is named by its `label`. */
function pastRows(pool: pg.Pool) {
  let subscription: Promise<string> | undefined;
  const subscriptionId = () =>
    (subscription ??= pool
      .query("insert into webhook_subscriptions (id, owner, url, secret_enc, event_types) values (gen_random_uuid(), 'test', 'http://127.0.0.1:9/', 'x', '{seeker.re-employed}') returning id")
      .then((r) => r.rows[0].id as string));
  const labels = async (sql: string) => (await pool.query(sql)).rows.map((r) => r.label as string).sort();
  return {
    event: (label: string, occurredAt: Date, publishedAt: Date | null) =>
      pool.query("insert into outbox (id, type, version, subject, payload, occurred_at, published_at) values (gen_random_uuid(), 'test.probe', 1, $1, '{}', $2, $3)", [label, occurredAt, publishedAt]),
    delivery: async (label: string, status: string, at: { created: Date; delivered?: Date; next: Date }) =>
      pool.query(
        `insert into webhook_deliveries (id, subscription_id, event_id, event_type, subject, seq, body, status, attempts, delivered_at, next_attempt_at, created_at)
         values (gen_random_uuid(), $1, gen_random_uuid(), 'seeker.re-employed', $2, 1, '{"data":{"name":"someone"}}', $3, 1, $4, $5, $6)`,
        [await subscriptionId(), label, status, at.delivered ?? null, at.next, at.created],
      ),
    key: (label: string, claimedAt: Date, answeredAt: Date | null) =>
      pool.query("insert into idempotency_keys (caller, key, request_hash, status, response, created_at, completed_at) values ('test-system', $1, 'h:a', $2, $3, $4, $5)", [
        label,
        answeredAt ? 201 : null,
        answeredAt ? '{"body":"{}","headers":{}}' : null,
        claimedAt,
        answeredAt,
      ]),
    left: async () => ({
      outbox: await labels("select subject as label from outbox where type = 'test.probe'"),
      deliveries: await labels('select subject as label from webhook_deliveries'),
      keys: await labels('select key as label from idempotency_keys'),
    }),
  };
}

t.test('purge: exactly the expired published events, settled webhook deliveries and answered Idempotency-Keys go; unsent, pending and unanswered ones stay at any age', async (t) => {
  // The default periods: events 7 days after publishing, deliveries 30 days after settling, keys 24 hours after the answer.
  const svc = await buildRegistration(t);
  const rows = pastRows(svc.ctx.database.pool);
  const DAY = 24;
  await rows.event('published 8 days ago', hoursAgo(8 * DAY), hoursAgo(8 * DAY));
  await rows.event('published 9 days ago', hoursAgo(9 * DAY), hoursAgo(9 * DAY));
  await rows.event('occurred 8 days ago, published 6 days ago', hoursAgo(8 * DAY), hoursAgo(6 * DAY));
  await rows.event('never published, 60 days old', hoursAgo(60 * DAY), null);
  await rows.delivery('delivered 31 days ago', 'delivered', { created: hoursAgo(31 * DAY), delivered: hoursAgo(31 * DAY), next: hoursAgo(31 * DAY) });
  await rows.delivery('delivered 29 days ago', 'delivered', { created: hoursAgo(40 * DAY), delivered: hoursAgo(29 * DAY), next: hoursAgo(29 * DAY) });
  await rows.delivery('failed 31 days ago', 'failed', { created: hoursAgo(32 * DAY), next: hoursAgo(31 * DAY) });
  await rows.delivery('failed 29 days ago', 'failed', { created: hoursAgo(32 * DAY), next: hoursAgo(29 * DAY) });
  await rows.delivery('pending for 90 days', 'pending', { created: hoursAgo(90 * DAY), next: hoursAgo(90 * DAY) });
  await rows.delivery('delivered 40 days ago, replayed, failed yesterday', 'failed', { created: hoursAgo(41 * DAY), delivered: hoursAgo(40 * DAY), next: hoursAgo(DAY) });
  await rows.key('answered 25 hours ago', hoursAgo(26), hoursAgo(25));
  await rows.key('answered 23 hours ago', hoursAgo(26), hoursAgo(23));
  await rows.key('claimed 10 days ago, never answered', hoursAgo(10 * DAY), null);

  // Two workers purging at once, a row per batch: together they take each expired row once.
  const [a, b] = await Promise.all([purgeExpiredRecords(svc.ctx, { batchSize: 1 }), purgeExpiredRecords(svc.ctx, { batchSize: 1 })]);
  t.same(
    { outboxEvents: a.outboxEvents + b.outboxEvents, webhookDeliveries: a.webhookDeliveries + b.webhookDeliveries, idempotencyKeys: a.idempotencyKeys + b.idempotencyKeys },
    { outboxEvents: 2, webhookDeliveries: 2, idempotencyKeys: 1 },
  );
  t.same(await rows.left(), {
    outbox: ['never published, 60 days old', 'occurred 8 days ago, published 6 days ago'],
    deliveries: ['delivered 29 days ago', 'delivered 40 days ago, replayed, failed yesterday', 'failed 29 days ago', 'pending for 90 days'],
    keys: ['answered 23 hours ago', 'claimed 10 days ago, never answered'],
  });
  t.same(await purgeExpiredRecords(svc.ctx), { outboxEvents: 0, webhookDeliveries: 0, idempotencyKeys: 0 }, 'running again removes nothing more');
});

for (const [name, build] of Object.entries(BUILDERS)) {
  t.test(`${name}: the purge is an hourly maintenance job, with the periods the environment sets`, async (t) => {
    const env = { RETENTION_OUTBOX_DAYS: '2', RETENTION_WEBHOOK_DELIVERIES_DAYS: '3', RETENTION_IDEMPOTENCY_KEYS_HOURS: '2' };
    const svc = await build(t, { env });
    await svc.startWorkers();
    const queue = new Queue(queueNames.maintenance(svc.ctx.service), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
    t.teardown(() => queue.close());
    t.match(await queue.getJobScheduler(PURGE_JOB), { pattern: '17 * * * *', tz: 'Asia/Shanghai' }, 'scheduled every hour');

    const rows = pastRows(svc.ctx.database.pool);
    await rows.event('published 3 days ago', hoursAgo(72), hoursAgo(72));
    await rows.event('published 1 day ago', hoursAgo(24), hoursAgo(24));
    await rows.delivery('delivered 4 days ago', 'delivered', { created: hoursAgo(96), delivered: hoursAgo(96), next: hoursAgo(96) });
    await rows.delivery('delivered 2 days ago', 'delivered', { created: hoursAgo(48), delivered: hoursAgo(48), next: hoursAgo(48) });
    await rows.key('answered 3 hours ago', hoursAgo(3), hoursAgo(3));
    await rows.key('answered 1 hour ago', hoursAgo(1), hoursAgo(1));

    const job = await queue.add(PURGE_JOB, {});
    const result = await eventually(async () => ((await job.isCompleted()) ? (await queue.getJob(job.id!))?.returnvalue : undefined), 20_000, 100);
    t.same(result, { outboxEvents: 1, webhookDeliveries: 1, idempotencyKeys: 1 });
    t.same(await rows.left(), { outbox: ['published 1 day ago'], deliveries: ['delivered 2 days ago'], keys: ['answered 1 hour ago'] });
  });
}
