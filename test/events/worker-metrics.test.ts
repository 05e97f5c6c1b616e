/**
 * Real worker processes (services/<service>/src/worker.ts) serve their
 * Prometheus metrics on WORKER_METRICS_PORT: queue depths, job durations and
 * failures of the jobs they ran, the process metrics, and for matching the
 * durations of the runs they finished; they close on SIGTERM.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { PURGE_JOB, queueNames } from '@reemploy/events';
import { eventually, testIssuer, freePort } from '@reemploy/runtime/testing';
import { DEFAULT_WORKER_METRICS_PORTS } from '@reemploy/runtime/worker-metrics';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { loadCity } from '../../services/matching/bench/load.ts';
import { sample, samples } from '../support/prometheus.ts';

const sumOf = (text: string, name: string, labels: Record<string, string>): number => samples(text, name, labels).reduce((a, b) => a + b, 0);


type TestLike = { teardown(fn: () => unknown): void };

/** A service's real worker process on the role, schema and queue prefix of a test service, killed when the test ends. */
async function startWorkerProcess(t: TestLike, service: string, ctx: { env: { DATABASE_URL: string }; database: { schema: string }; queuePrefix: string }) {
  const port = await freePort();
  let stderr = '';
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/worker.ts`], {
    cwd: new URL('../..', import.meta.url),
    env: {
      ...process.env,
      // The test runner's hooks stay out of the child.
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      DATABASE_URL: ctx.env.DATABASE_URL,
      DB_SCHEMA: ctx.database.schema,
      DB_POOL_MAX: '3',
      QUEUE_PREFIX: ctx.queuePrefix,
      WORKER_METRICS_PORT: String(port),
      // Queue depths read afresh at every scrape, so a figure the test waits for shows at once.
      METRICS_CACHE_MS: '0',
      LOG_LEVEL: 'error',
      // The test issuer, whose tokens the test sends.
      TOKEN_ISSUER: testIssuer.issuer,
      JWKS_JSON: JSON.stringify(testIssuer.jwks),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const base = `http://127.0.0.1:${port}`;
  const health = await eventually(async () => fetch(`${base}/health`).then((r) => (r.ok ? r.json() : undefined), () => undefined), 30_000, 100).catch((err) => {
    throw new Error(`${(err as Error).message}; worker stderr: ${stderr}`);
  });
  return { base, child, exited, health };
}

t.test('a worker process serves queue depths, job durations and failures on its metrics port', async (t) => {
  t.same(new Set(Object.values(DEFAULT_WORKER_METRICS_PORTS)).size, 4, 'each service has its own default port');
  // The schema and queue prefix of a test service; the worker process shares them.
  const svc = await buildJobPostings(t);
  const { base, child, exited, health } = await startWorkerProcess(t, 'job-postings', svc.ctx);
  t.same(health, { status: 'ok', service: 'job-postings', role: 'worker' });

  const unauthenticated = await fetch(`${base}/metrics`);
  t.equal(unauthenticated.status, 401, 'metrics need a token');
  t.match(unauthenticated.headers.get('content-type'), /problem\+json/);
  t.equal((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${svc.token(['admin'])}` } })).status, 403, "with the operators' scope");
  const operator = { authorization: `Bearer ${svc.token(['operations:read'])}` };
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`, { headers: operator });
    t.equal(res.status, 200);
    return res.text();
  };
  const first = await scrape();
  t.ok(sample(first, 'process_cpu_user_seconds_total', { service: 'job-postings' }) !== undefined, 'process metrics, labelled with the service');
  for (const queue of ['events-job-postings', 'maintenance-job-postings', 'webhooks-job-postings']) {
    t.equal(sample(first, 'queue_jobs', { queue, state: 'failed' }), 0, `${queue} depth`);
  }
  t.equal(sample(first, 'outbox_pending_events'), 0, 'outbox lag is there too (the relay runs in this process)');

  // Two jobs the worker process runs: one its maintenance worker completes (the purge), one its event consumer refuses (unsigned).
  const events = new Queue(queueNames.events('job-postings'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  const maintenance = new Queue(queueNames.maintenance('job-postings'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.teardown(() => Promise.all([events.close(), maintenance.close()]));
  await maintenance.add(PURGE_JOB, {});
  await events.add('referral.hired', { not: 'an envelope' }, { attempts: 1 });

  const after = await eventually(async () => {
    const text = await scrape();
    const done = sample(text, 'worker_job_duration_seconds_count', { queue: 'maintenance-job-postings', name: PURGE_JOB, outcome: 'completed' });
    const failed = sample(text, 'worker_job_failures_total', { queue: 'events-job-postings', name: 'referral.hired' });
    return done === 1 && failed === 1 ? text : undefined;
  }, 15_000, 100);
  t.equal(sample(after, 'worker_job_duration_seconds_count', { queue: 'events-job-postings', name: 'referral.hired', outcome: 'failed' }), 1, 'a failed job has a duration too');
  t.equal(sample(after, 'queue_jobs', { queue: 'events-job-postings', state: 'failed' }), 1, 'and stays in the failed set');
  t.equal(sample(after, 'events_refused_total', { reason: 'unsigned' }), 1, 'refused as an event no relay signed');
  t.ok(sample(after, 'worker_job_duration_seconds_bucket', { queue: 'maintenance-job-postings', name: PURGE_JOB, outcome: 'completed', le: '+Inf' }) === 1, 'a histogram');

  t.equal((await fetch(`${base}/admin`)).status, 404, 'nothing else is served');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'the worker closes cleanly on SIGTERM');
  await t.rejects(fetch(`${base}/metrics`), 'and its metrics port with it');
});

t.test('a matching worker process times the runs it finishes and the jobs that made them', async (t) => {
  const svc = await buildMatching(t);
  await loadCity(svc.ctx.database.pool, { seekers: 300, vacancies: 80, seed: 'worker-metrics' });
  const { base, child, exited, health } = await startWorkerProcess(t, 'matching', svc.ctx);
  t.same(health, { status: 'ok', service: 'matching', role: 'worker' });

  const headers = { authorization: `Bearer ${svc.token(['matching:run', 'matching:read'], ['3205'])}` };
  const posted = await svc.app.inject({ method: 'POST', url: '/v1/matching-runs', headers, payload: {} });
  t.equal(posted.statusCode, 202, posted.body);
  const run = await eventually(async () => {
    const r = (await svc.app.inject({ url: `/v1/matching-runs/${posted.json().id}`, headers })).json();
    return r.status === 'completed' || r.status === 'failed' ? r : undefined;
  }, 60_000, 200);
  t.equal(run.status, 'completed', run.error ?? '');
  t.ok(run.partitions.total > 1, `the run had ${run.partitions.total} partitions`);

  const text = await eventually(async () => {
    const body = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } }).then((r) => r.text());
    return sample(body, 'matching_run_duration_seconds_count', { trigger: 'manual', outcome: 'completed' }) === 1 ? body : undefined;
  }, 10_000, 100);
  const seconds = sample(text, 'matching_run_duration_seconds_sum', { trigger: 'manual', outcome: 'completed' })!;
  t.ok(seconds > 0 && seconds < 60, `the run's duration is recorded (${seconds.toFixed(2)} s)`);
  t.equal(
    sumOf(text, 'worker_job_duration_seconds_count', { queue: 'matching-partitions', outcome: 'completed' }),
    run.partitions.total,
    'every partition job the worker ran is timed',
  );
  t.ok(sumOf(text, 'worker_job_duration_seconds_count', { queue: 'matching-runs', outcome: 'completed' }) >= 2, 'and the run\'s plan and finalize jobs');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'the worker closes cleanly on SIGTERM');
});
