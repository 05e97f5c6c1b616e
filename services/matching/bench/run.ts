import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { buildApp, closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { dropSchema } from '@reemploy/db';
import { testIssuer } from '@reemploy/runtime/testing';
import { matching } from '../src/definition.ts';
import { loadCity } from './load.ts';
import { measureFloor } from './floor.ts';
import { measureOnDemand } from './on-demand.ts';
import { prepareBaseline, runBaseline } from './sql-baseline.ts';
import { startWorkerProcesses } from './workers.ts';

export interface BenchOptions {
  seekers: number;
  vacancies: number;
  workers: number[];
  sample: number;
  topK: number;
  /** Seconds of on-demand load (GET matches at `onDemandRate` req/s); 0 skips it. */
  onDemandSeconds?: number;
  onDemandRate?: number;
  databaseUrl: string;
  log?: (msg: string) => void;
}

/**
 * Loads a demo city into a fresh schema, runs full matching runs through the
 * real HTTP API and worker processes, then measures the SQL baseline and the
 * data-movement floor on the same data. Returns the figures.
 */
export async function benchmark(o: BenchOptions) {
  const log = o.log ?? (() => undefined);
  const suffix = randomBytes(4).toString('hex');
  const env = {
    // A benchmark, not a deployment: development defaults for the PII key; tokens from the test issuer.
    NODE_ENV: 'test',
    // Answers written as in production: by the compiled schema alone.
    RESPONSE_CHECKS: 'false',
    TOKEN_ISSUER: testIssuer.issuer,
    JWKS_JSON: JSON.stringify(testIssuer.jwks),
    DATABASE_URL: o.databaseUrl,
    DB_SCHEMA: `matching_bench_${suffix}`,
    QUEUE_PREFIX: `bench${suffix}`,
    MATCHING_TOP_K: String(o.topK),
    DB_POOL_MAX: '6',
  };
  const def = matching;
  const ctx = createContext(def, def.parseEnv({ ...process.env, ...env, LOG_LEVEL: 'warn', RUN_WORKERS: 'false', MAX_EVENT_LOOP_DELAY_MS: '600000' }), pino({ level: 'warn' }));
  try {
    await prepareContext(ctx, def.migrations);
    const app = await buildApp(def, ctx);
    const loaded = await loadCity(ctx.database.pool, { seekers: o.seekers, vacancies: o.vacancies, seed: 'bench' });
    log(`loaded ${JSON.stringify(loaded)}`);
    const headers = { authorization: `Bearer ${testIssuer.token({ audience: 'reemploy-matching', sub: 'bench', scopes: ['matching:run', 'matching:read'], regions: ['3205'] })}` };
    const runs = [];
    let lastRunId = '';
    for (const count of o.workers) {
      const workers = await startWorkerProcesses(count, env);
      try {
        const started = Date.now();
        const posted = await app.inject({ method: 'POST', url: '/v1/matching-runs', headers, payload: { regionCode: '3205' } });
        if (posted.statusCode !== 202) throw new Error(`POST /v1/matching-runs answered ${posted.statusCode}: ${posted.body}`);
        const id = posted.json().id as string;
        let run;
        for (;;) {
          await new Promise((r) => setTimeout(r, 100));
          run = (await app.inject({ url: `/v1/matching-runs/${id}`, headers })).json();
          if (run.status === 'completed' || run.status === 'failed') break;
        }
        const wallMs = Date.now() - started;
        if (run.status !== 'completed') throw new Error(`run failed: ${run.error}`);
        lastRunId = id;
        const phases = await runPhases(ctx.database.pool, id, started);
        runs.push({
          workers: count,
          wallMs,
          seekersPerSecond: Math.round(run.seekers / (wallMs / 1000)),
          seekers: run.seekers,
          vacancies: run.vacancies,
          partitions: run.partitions.total,
          candidatePairsScored: run.candidatePairsScored,
          recommendations: run.recommendations,
          timings: run.timings,
          phases,
        });
        log(`run with ${count} worker(s): ${wallMs} ms`);
      } finally {
        await workers.stop();
      }
    }
    const onDemand = o.onDemandSeconds && lastRunId ? await measureOnDemand(app, ctx.database.pool, headers.authorization, o.onDemandRate ?? 200, o.onDemandSeconds) : null;
    await app.close();
    if (!lastRunId) throw new Error('no run: give at least one worker count');
    const floor = await measureFloor(ctx.database.pool, lastRunId);
    log(`floor ${JSON.stringify(floor)}`);
    const prepareMs = await prepareBaseline(ctx.database.pool);
    const baseline = await runBaseline(ctx.database.pool, o.sample, o.topK, 2);
    const activeSeekers = runs[0]?.seekers ?? o.seekers;
    const baselineMs = Math.round((baseline.ms * activeSeekers) / Math.max(1, baseline.sample));
    const best = Math.min(...runs.map((r) => r.wallMs));
    return {
      city: { seekers: o.seekers, vacancies: o.vacancies, topK: o.topK, loadMs: loaded.ms, reservedPosts: loaded.reservedPosts },
      runs,
      sqlBaseline: { sampleSeekers: baseline.sample, sampleMs: baseline.ms, connections: 2, extrapolatedMs: baselineMs, indexBuildMs: prepareMs },
      floor,
      onDemand,
      ratios: {
        speedupOverSqlBaseline: Math.round((baselineMs / best) * 10) / 10,
        timesFloor: Math.round((best / Math.max(1, floor.ms)) * 10) / 10,
      },
    };
  } finally {
    await dropSchema(ctx.db as never, ctx.database.schema).catch(() => undefined);
    await deleteKeys(ctx.redis, env.QUEUE_PREFIX);
    await closeContext(ctx);
  }
}

/**
 * Where a run's wall time went, in ms from the POST: when the first partition started and the
 * last one finished (from each partition's finish time and compute time), how busy the
 * workers were in between, and when the run was completed.
 */
async function runPhases(pool: import('pg').Pool, runId: string, postedAt: number) {
  const { rows } = await pool.query<{ done: Date; compute_ms: number }>('select done_at as done, compute_ms from run_partitions where run_id = $1', [runId]);
  const run = await pool.query<{ finished_at: Date }>('select finished_at from matching_runs where id = $1', [runId]);
  const starts = rows.map((r) => r.done.getTime() - r.compute_ms - postedAt);
  const ends = rows.map((r) => r.done.getTime() - postedAt);
  const firstStart = Math.min(...starts);
  const lastDone = Math.max(...ends);
  return {
    firstPartitionStartMs: firstStart,
    lastPartitionDoneMs: lastDone,
    partitionComputeMsSum: rows.reduce((n, r) => n + r.compute_ms, 0),
    completedMs: (run.rows[0]?.finished_at.getTime() ?? NaN) - postedAt,
  };
}

async function deleteKeys(redis: import('ioredis').Redis, prefix: string) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
