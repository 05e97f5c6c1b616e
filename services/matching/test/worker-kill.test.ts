import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { queueNames } from '@reemploy/events';
import { eventually } from '@reemploy/runtime/testing';
import { loadCity } from '../bench/load.ts';
import { build } from './helper.ts';
import { bearer } from './fixtures.ts';

/**
 * A matching worker is a real child process here (`src/worker.ts`, as in
 * production), killed with SIGKILL while a run is half done. Another worker
 * takes over; the run must end with exactly the lists of a run without the fault.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WORKER = fileURLToPath(new URL('../src/worker.ts', import.meta.url));
const env = { MATCHING_PARTITION_SIZE: '100', MATCHING_TOP_K: '5', MATCHING_CAPACITY_FACTOR: '2', MATCHER_REFRESH_MS: '0', MAX_EVENT_LOOP_DELAY_MS: '0' };

type Svc = Awaited<ReturnType<typeof build>>;

function startWorkerProcess(t: { comment(msg: string): void }, svc: Svc): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      // Not tap's loaders and coverage hooks: the worker runs as it does in production.
      NODE_OPTIONS: '',
      ...env,
      NODE_ENV: 'test',
      DATABASE_URL: svc.ctx.env.DATABASE_URL,
      DB_SCHEMA: svc.ctx.database.schema,
      DB_POOL_MAX: '3',
      REDIS_URL: svc.ctx.env.REDIS_URL,
      QUEUE_PREFIX: svc.ctx.queuePrefix,
      LOG_LEVEL: 'silent',
      MATCHING_WORKER_CONCURRENCY: '1',
      // Its metrics endpoint on a free port: the default one may be taken on a shared machine.
      WORKER_METRICS_PORT: '0',
    },
  });
  // Logs are silent: stderr carries only a crash, shown if the worker dies other than by the test's SIGKILL.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL') t.comment(`matching worker exited (${code ?? signal}): ${stderr}`);
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** Every (seeker, vacancy, rank, score) of a run's lists, as sortable lines. */
async function rowsOf(svc: Svc, runId: string): Promise<string[]> {
  const recs = await svc.ctx.db.selectFrom('recommendations').select(['seeker_id', 'vacancy_ids', 'scores']).where('run_id', '=', runId).execute();
  return recs.flatMap((r) => r.vacancy_ids.map((v, rank) => `${r.seeker_id} ${v} ${rank + 1} ${r.scores[rank]}`)).sort();
}

async function startRun(svc: Svc, headers: Record<string, string>): Promise<string> {
  const posted = await svc.app.inject({ method: 'POST', url: '/v1/matching-runs', headers, payload: {} });
  if (posted.statusCode !== 202) throw new Error(`run not started: ${posted.body}`);
  return posted.json().id;
}

async function runStatus(svc: Svc, headers: Record<string, string>, id: string) {
  return (await svc.app.inject({ url: `/v1/matching-runs/${id}`, headers })).json() as { status: string; error?: string; partitions: { total: number; done: number } };
}

function finished(svc: Svc, headers: Record<string, string>, id: string, timeoutMs: number) {
  return eventually(async () => {
    const r = await runStatus(svc, headers, id);
    return r.status === 'completed' || r.status === 'failed' ? r : undefined;
  }, timeoutMs, 100);
}

t.test('a matching worker killed with SIGKILL mid-run: another worker completes the run with exactly the lists of an undisturbed run', async (t) => {
  const svc = await build(t, { env });
  await loadCity(svc.ctx.database.pool, { seekers: 2400, vacancies: 500, seed: 'worker-kill' });
  const headers = bearer(svc.token(['matching:run', 'matching:read'], ['3205']));
  const children: ChildProcess[] = [];
  t.teardown(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map(exited));
  });

  // The reference: the same input, one worker, no fault.
  const first = startWorkerProcess(t, svc);
  children.push(first);
  const reference = await startRun(svc, headers);
  const undisturbed = await finished(svc, headers, reference, 60_000);
  t.equal(undisturbed.status, 'completed', undisturbed.error ?? '');
  const expected = await rowsOf(svc, reference);
  t.ok(expected.length > 1000, `the reference run recommends ${expected.length} (seeker, vacancy) pairs`);

  // The same input again; the worker dies with some partitions done and others not.
  const faulted = await startRun(svc, headers);
  const atKill = await eventually(async () => {
    const r = await runStatus(svc, headers, faulted);
    return r.partitions.done >= 2 ? r : undefined;
  }, 60_000, 20);
  first.kill('SIGKILL');
  await exited(first);
  const afterKill = await runStatus(svc, headers, faulted);
  t.ok(afterKill.partitions.done < afterKill.partitions.total, `killed mid-run: ${afterKill.partitions.done} of ${afterKill.partitions.total} partitions done`);
  t.ok(atKill.partitions.done >= 2);
  t.not(afterKill.status, 'completed');

  // The killed worker's partition lock holds for its lockDuration (120 s) and
  // BullMQ's stall check then needs one more pass: fast-forward both, as if the
  // time had passed, so the next worker's first stall check requeues the job.
  const redis = svc.ctx.redis;
  const key = (s: string) => `${svc.ctx.queuePrefix}:${queueNames.matchingPartitions}:${s}`;
  const active = await redis.lrange(key('active'), 0, -1);
  for (const id of active) await redis.del(key(`${id}:lock`));
  if (active.length) await redis.sadd(key('stalled'), ...active);
  await redis.del(key('stalled-check'));
  t.comment(`${active.length} partition job(s) were active when the worker died`);

  const second = startWorkerProcess(t, svc);
  children.push(second);
  const recovered = await finished(svc, headers, faulted, 60_000);
  t.equal(recovered.status, 'completed', recovered.error ?? '');
  t.equal(recovered.partitions.done, recovered.partitions.total, 'every partition counted once');
  for (const id of active) t.equal(await redis.hget(key(id), 'stc'), '1', `partition job ${id} was taken back from the dead worker as stalled, once`);

  const got = await rowsOf(svc, faulted);
  t.equal(got.length, expected.length, 'as many recommendations as the undisturbed run');
  t.same(got, expected, 'exactly the (seeker, vacancy, rank, score) rows of the undisturbed run');
  t.equal(new Set(got.map((r) => r.split(' ').slice(0, 2).join(' '))).size, got.length, 'no (seeker, vacancy) pair twice');
  const staged = await svc.ctx.database.pool.query('select count(*)::int as n from run_candidates where run_id = $1', [faulted]);
  t.equal(staged.rows[0].n, 0, 'staging cleaned');
  const events = await svc.ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'matching-run.completed').execute();
  t.equal(events.filter((e) => (e.payload as { runId: string }).runId === faulted).length, 1, 'the run completed once');
});
