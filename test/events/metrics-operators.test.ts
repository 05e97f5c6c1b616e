import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { Queue, Worker } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import { eventually } from '@reemploy/runtime/testing';
import { matchingMetrics } from '../../services/matching/src/metrics.ts';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { sample } from '../support/prometheus.ts';

/** A scrape as Prometheus makes it, with a token holding the operators' scope. */
async function scraper(svc: { app: FastifyInstance; token(scopes: string[]): string }) {
  const headers = { authorization: `Bearer ${svc.token(['operations:read'])}` };
  return async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/metrics', headers });
    if (res.statusCode !== 200) throw new Error(`scrape answered ${res.statusCode}`);
    return res.body;
  };
}

t.test('queue depths and outbox lag are read on scrape', async (t) => {
  const svc = await buildRegistration(t, { env: { METRICS_CACHE_MS: '0' } });
  const scrape = await scraper(svc);

  const before = await scrape();
  t.equal(sample(before, 'queue_jobs', { queue: 'events-registration', state: 'waiting' }), 0);
  t.equal(sample(before, 'outbox_pending_events'), 0);
  t.equal(sample(before, 'outbox_oldest_unpublished_age_seconds'), 0);

  const inbox = new Queue(queueNames.events('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  const maintenance = new Queue(queueNames.maintenance('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => Promise.all([inbox.close(), maintenance.close()]));
  await inbox.addBulk([{ name: 'a', data: {} }, { name: 'b', data: {} }, { name: 'c', data: {}, opts: { delay: 60_000 } }]);

  // A job that really fails, through a real worker.
  await maintenance.add('broken', {}, { attempts: 1 });
  const worker = new Worker(
    queueNames.maintenance('registration'),
    async () => {
      throw new Error('broken on purpose');
    },
    { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix: svc.ctx.queuePrefix },
  );
  t.after(() => worker.close());
  await eventually(async () => ((await maintenance.getFailedCount()) === 1 ? true : undefined));

  // Three events the relay has not published (it is not running), the oldest 90 s old.
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1000);
  await svc.ctx.db
    .insertInto('outbox')
    .values([90, 30, 5].map((age) => ({ id: crypto.randomUUID(), type: 'test.probe', version: 1, subject: 'probe', payload: '{}', occurred_at: secondsAgo(age) })))
    .execute();

  const after = await scrape();
  t.equal(sample(after, 'queue_jobs', { queue: 'events-registration', state: 'waiting' }), 2);
  t.equal(sample(after, 'queue_jobs', { queue: 'events-registration', state: 'delayed' }), 1);
  t.equal(sample(after, 'queue_jobs', { queue: 'maintenance-registration', state: 'failed' }), 1);
  t.equal(sample(after, 'queue_jobs', { queue: 'maintenance-registration', state: 'active' }), 0);
  t.equal(sample(after, 'outbox_pending_events'), 3);
  const age = sample(after, 'outbox_oldest_unpublished_age_seconds') ?? 0;
  t.ok(age >= 89 && age < 150, `oldest unpublished age ${age}s`);

  await svc.ctx.db.updateTable('outbox').set({ published_at: new Date() }).execute();
  const drained = await scrape();
  t.equal(sample(drained, 'outbox_pending_events'), 0, 'published events no longer count');
  t.ok(sample(drained, 'http_request_duration_seconds_count', { route: '/metrics', method: 'GET', status_code: '200' })! >= 2, 'HTTP latency is recorded');
});

t.test('a scrape within METRICS_CACHE_MS of the last read gets its figures, without asking Redis or Postgres again', async (t) => {
  const svc = await buildRegistration(t, { env: { METRICS_CACHE_MS: '1500' } });
  const scrape = await scraper(svc);
  const first = await scrape();
  const read = Date.now();
  t.equal(sample(first, 'queue_jobs', { queue: 'events-registration', state: 'waiting' }), 0);
  t.equal(sample(first, 'outbox_pending_events'), 0);

  const inbox = new Queue(queueNames.events('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => inbox.close());
  await inbox.add('a', {});
  await svc.ctx.db.insertInto('outbox').values({ id: crypto.randomUUID(), type: 'test.probe', version: 1, subject: 'probe', payload: '{}' }).execute();
  const again = await Promise.all([scrape(), scrape(), scrape()]);
  t.ok(Date.now() - read < 1500, 'still within the cache time');
  for (const text of again) {
    t.equal(sample(text, 'queue_jobs', { queue: 'events-registration', state: 'waiting' }), 0, 'queue depth as read last');
    t.equal(sample(text, 'outbox_pending_events'), 0, 'outbox lag as read last');
  }

  await new Promise((r) => setTimeout(r, Math.max(0, 1600 - (Date.now() - read))));
  const later = await scrape();
  t.equal(sample(later, 'queue_jobs', { queue: 'events-registration', state: 'waiting' }), 1, 'read again once the cache time passed');
  t.equal(sample(later, 'outbox_pending_events'), 1);
});

t.test('matching exposes run durations and matches served', async (t) => {
  const svc = await buildMatching(t);
  const scrape = await scraper(svc);
  const initial = await scrape();
  t.match(initial, /# TYPE matching_run_duration_seconds histogram/);
  t.match(initial, /# TYPE matches_served_total counter/);

  // What the service's code does with only its context in hand.
  const metrics = matchingMetrics(metricsRegistryOf(svc.ctx));
  metrics.runDuration.observe({ trigger: 'manual', outcome: 'completed' }, 42);
  metrics.matchesServed.inc({ kind: 'on-demand' }, 20);
  t.equal(matchingMetrics(svc.app.metrics.registry).runDuration, metrics.runDuration, 'one histogram per registry');

  const text = await scrape();
  t.equal(sample(text, 'matching_run_duration_seconds_count', { trigger: 'manual', outcome: 'completed' }), 1);
  t.equal(sample(text, 'matching_run_duration_seconds_sum', { trigger: 'manual', outcome: 'completed' }), 42);
  t.equal(sample(text, 'matches_served_total', { kind: 'on-demand' }), 20);
  t.equal(sample(text, 'queue_jobs', { queue: 'matching-partitions', state: 'waiting' }), 0);
});
