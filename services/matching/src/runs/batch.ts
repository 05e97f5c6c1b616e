import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { allowLongStatements, copyOutBinary, inClientTransaction } from '@reemploy/db';
import { cityDate, EDUCATION_LEVELS } from '@reemploy/domain';
import {
  allocatePacked, BATCH_CANDIDATES, categoryMask, createMatcher, packVacancies, priorityTier, resolveConfig,
  type Matcher, type MatchingConfig, type PackedSeekers, type PackedVacancies, type RankedBuffer,
} from '@reemploy/matching-engine';
import { metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import { matchingMetrics } from '../metrics.ts';
import type { MatchingContext } from '../context.ts';
import { copyActiveSeekers, copyNumberedVacancies, engineConfig, isUuid, toSeekerInput } from '../matcher/inputs.ts';
import { recordEventOn } from './outbox.ts';
import { partitionBounds, planPartitions } from './partitions.ts';
import { finalizeJobId, JOB_OPTIONS, partitionJobId, planJobId, type RunQueues } from './queues.ts';
import * as repo from './repository.ts';
import { mergeById, PartitionWriter, readPartition, stagedCommunity, stagedId, type StagedPartition } from './staging.ts';

interface RunVacancies {
  matcher: Matcher;
  packed: PackedVacancies;
  /** The projection's stable vacancy number of each matcher position, and back. */
  noOfPosition: Int32Array;
  /** By vacancy number: the matcher position, -1 for none. */
  positionOfNo: Int32Array;
  loadMs: number;
}

// One run's vacancies per worker process: every partition of the run reuses them.
let cached: { runId: string; value: Promise<RunVacancies> } | undefined;

function vacanciesForRun(ctx: MatchingContext, runId: string, config: Partial<MatchingConfig>): Promise<RunVacancies> {
  if (cached?.runId !== runId) {
    const started = Date.now();
    const value = copyNumberedVacancies(ctx.database.pool, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS).then((rows) => {
      const matcher = createMatcher(rows.map((r) => r.input), config);
      const noById = new Map(rows.map((r) => [r.input.id, r.no]));
      const noOfPosition = Int32Array.from(matcher.vacancies, (v) => noById.get(v.id)!);
      let top = 0;
      for (const no of noOfPosition) if (no > top) top = no;
      const positionOfNo = new Int32Array(top + 1).fill(-1);
      noOfPosition.forEach((no, pos) => (positionOfNo[no] = pos));
      return { matcher, packed: packVacancies(matcher.vacancies), noOfPosition, positionOfNo, loadMs: Date.now() - started };
    });
    value.catch(() => (cached = undefined));
    cached = { runId, value };
  }
  return cached.value;
}

const addTimings = (timings: Record<string, number>) => {
  let expr = sql`timings`;
  for (const [name, ms] of Object.entries(timings)) {
    expr = sql`jsonb_set(${expr}, ${sql.lit(`{${name}}`)}, to_jsonb(coalesce((timings->>${name})::bigint, 0) + ${Math.round(ms)}))`;
  }
  return expr;
};

/** Splits a queued run into partition jobs; run again, it re-enqueues what is not done. */
export async function planRun(ctx: MatchingContext, queues: RunQueues, runId: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (!run) throw new Error(`run ${runId} not found (not committed yet?)`);
  if (run.status === 'queued') {
    const started = Date.now();
    const counts = await repo.seekersByStreet(ctx.db, run.region_code);
    const keys = planPartitions(counts, ctx.env.MATCHING_PARTITION_SIZE);
    const vacancies = await repo.countOpenVacancies(ctx.db);
    await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('matching_runs')
        .set({
          status: 'running',
          started_at: new Date(started),
          partitions_total: keys.length,
          seekers: counts.reduce((s, c) => s + c.n, 0),
          vacancies,
          timings: JSON.stringify({ planMs: Date.now() - started }),
        })
        .where('id', '=', runId)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n || !keys.length) return;
      await trx
        .insertInto('run_partitions')
        .values(keys.map((partition_key) => ({ run_id: runId, partition_key })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  } else if (run.status !== 'running') {
    return;
  }
  const undone = await repo.undonePartitions(ctx.db, runId);
  await queues.addPartitions(undone.map(({ partition_key }) => ({ data: { runId, partitionKey: partition_key }, opts: { ...JOB_OPTIONS, jobId: partitionJobId(runId, partition_key) } })));
  await enqueueFinalizeWhenDone(ctx, queues, runId);
  // This worker will most likely compute partitions too: its vacancies start loading now. Only
  // now: building the index holds the event loop for most of a second, which must not delay
  // the queueing that every other worker is waiting for.
  if (undone.length) vacanciesForRun(ctx, runId, engineConfig(ctx.env)).catch(() => undefined);
}

async function enqueueFinalizeWhenDone(ctx: MatchingContext, queues: RunQueues, runId: string) {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status === 'running' && run.partitions_done >= run.partitions_total) {
    await queues.addRun('finalize', { runId }, { ...JOB_OPTIONS, jobId: finalizeJobId(runId) });
  }
}

/**
 * Computes one partition's candidate lists and stages them as one packed row
 * keyed by run and partition. The staging, the partition's "done" and the
 * run's counter commit together, so a worker killed midway leaves nothing
 * and its retry writes the partition once.
 */
export async function computePartition(ctx: MatchingContext, queues: RunQueues, runId: string, partitionKey: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status !== 'running') return;
  const part = await ctx.db.selectFrom('run_partitions').select('done_at').where('run_id', '=', runId).where('partition_key', '=', partitionKey).executeTakeFirst();
  if (part && !part.done_at) {
    const started = Date.now();
    const config = engineConfig(ctx.env);
    const b = partitionBounds(partitionKey, run.region_code);
    // The partition's seekers are read while the run's vacancies load (the first partition of a worker waits for both).
    // Neighbours together: they read the same index lists, which then stay in the CPU's cache.
    const seekersRead = copyActiveSeekers(ctx.database.pool, b, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS).then((rows) => ({ rows, at: Date.now() }));
    // Settled here so that a failed vacancy load does not leave the seekers' rejection unhandled.
    seekersRead.catch(() => undefined);
    const rv = await vacanciesForRun(ctx, runId, config);
    const t1 = Date.now();
    const { rows: seekerRows, at: seekersAt } = await seekersRead;
    const t2 = Date.now();
    const k = BATCH_CANDIDATES(resolveConfig(config).topK);
    const today = cityDate();
    const pairsBefore = rv.matcher.stats().pairsScored;
    const cpu = process.cpuUsage();
    const ranked: RankedBuffer = { scores: new Float64Array(k), items: new Int32Array(k) };
    const writer = new PartitionWriter();
    const nos = new Uint32Array(k);
    for (const r of seekerRows) {
      const seeker = toSeekerInput(r, today);
      const n = rv.matcher.rankInto(seeker, k, ranked);
      for (let i = 0; i < n; i++) nos[i] = rv.noOfPosition[ranked.items[i]!]!;
      writer.add(
        {
          id: r.seeker_id,
          communityCode: r.community_code,
          tier: priorityTier(seeker.hardshipCategories),
          age: seeker.age,
          education: Math.max(0, EDUCATION_LEVELS.indexOf(seeker.education)),
          mask: categoryMask(seeker.hardshipCategories),
        },
        n,
        nos,
        ranked.scores,
      );
    }
    const packed = writer.finish();
    const pairs = rv.matcher.stats().pairsScored - pairsBefore;
    const t3 = Date.now();
    // CPU time of ranking, the figure that holds on a busy machine (the process's, so a worker computing two partitions at once counts both).
    const rankCpu = process.cpuUsage(cpu);
    await inClientTransaction(ctx.database.pool, async (client) => {
      // A partition another worker already finished is left as it is.
      const locked = await client.query<{ done_at: Date | null }>('select done_at from run_partitions where run_id = $1 and partition_key = $2 for update', [runId, partitionKey]);
      if (locked.rows[0]?.done_at !== null) return;
      await client.query('insert into run_candidates (run_id, partition_key, seekers, packed) values ($1, $2, $3, $4) on conflict do nothing', [runId, partitionKey, writer.seekers, packed]);
      const computeMs = Date.now() - started;
      await client.query('update run_partitions set done_at = now(), seekers = $3, pairs_scored = $4, compute_ms = $5 where run_id = $1 and partition_key = $2', [runId, partitionKey, writer.seekers, pairs, computeMs]);
      const timings = { computeMs, vacancyLoadMs: t1 - started, seekerLoadMs: seekersAt - started, rankMs: t3 - t2, rankCpuMs: (rankCpu.user + rankCpu.system) / 1000, stageMs: Date.now() - t3 };
      const { sql: timingSql, parameters } = sql`update matching_runs set partitions_done = partitions_done + 1, pairs_scored = pairs_scored + ${pairs}, candidates = candidates + ${writer.candidates}, timings = ${addTimings(timings)} where id = ${runId} and status = 'running'`.compile(ctx.db);
      await client.query(timingSql, parameters as unknown[]);
    });
  }
  await enqueueFinalizeWhenDone(ctx, queues, runId);
}

interface Staged {
  parts: StagedPartition[];
  /** Seeker x of the allocation is `parts[part[x]]`'s seeker `index[x]`. */
  part: Int32Array;
  index: Int32Array;
  packed: PackedSeekers;
}

/** Every staged list of a run, in seeker id order, as the packed allocation's input. */
async function loadStaged(ctx: MatchingContext, runId: string, rv: RunVacancies): Promise<Staged> {
  // COPY takes no parameters: the id is checked, then inlined.
  if (!isUuid(runId)) throw new Error(`not a run id: ${runId}`);
  // Through COPY: several times faster than a query's result for values this large.
  const rows = await copyOutBinary(ctx.database.pool, `select packed from run_candidates where run_id = '${runId}' order by partition_key`, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
  const parts = rows.map((r) => readPartition(r[0]!));
  const { part, index } = mergeById(parts);
  const S = part.length;
  let total = 0;
  for (let x = 0; x < S; x++) {
    const p = parts[part[x]!]!;
    total += p.start[index[x]! + 1]! - p.start[index[x]!]!;
  }
  const packed: PackedSeekers = {
    count: S, tier: new Uint8Array(S), age: new Int32Array(S), education: new Int32Array(S), mask: new Int32Array(S),
    start: new Int32Array(S + 1), vacancy: new Int32Array(total), score: new Float64Array(total),
  };
  // Stable numbers to the positions of this process's matcher; -1: no longer open, dropped by the allocation.
  const positions = rv.positionOfNo;
  const { vacancy, score } = packed;
  let o = 0;
  for (let x = 0; x < S; x++) {
    const p = parts[part[x]!]!;
    const i = index[x]!;
    packed.tier[x] = p.tier[i]!;
    packed.age[x] = p.age[i]!;
    packed.education[x] = p.education[i]!;
    packed.mask[x] = p.mask[i]!;
    packed.start[x] = o;
    const nos = p.vacancyNo;
    const millionths = p.score;
    for (let c = p.start[i]!, end = p.start[i + 1]!; c < end; c++, o++) {
      const no = nos[c]!;
      vacancy[o] = no < positions.length ? positions[no]! : -1;
      score[o] = millionths[c]! / 1e6;
    }
  }
  packed.start[S] = o;
  return { parts, part, index, packed };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
// Scores are 0-1: each of the 10,001 texts a score rounded to 4 decimals can have, made once
// (a number's text is the costliest part of a recommendation row).
const SCORE_TEXT = Array.from({ length: 10_001 }, (_, i) => String(i / 10_000));
const scoreText = (x: number): string => {
  const i = Math.round(x * 10_000);
  return i >= 0 && i <= 10_000 ? SCORE_TEXT[i]! : String(round4(x));
};

/** The global, capacity-aware allocation over every staged list, written once with COPY. */
export async function finalizeRun(ctx: MatchingContext, runId: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status !== 'running' || run.partitions_done < run.partitions_total) return;
  const t0 = Date.now();
  const config = engineConfig(ctx.env);
  const rv = await vacanciesForRun(ctx, runId, config);
  const staged = await loadStaged(ctx, runId, rv);
  const { packed, parts } = staged;
  const S = packed.count;
  const t1 = Date.now();
  const allocation = allocatePacked(packed, rv.packed, resolveConfig(config));
  const t2 = Date.now();
  const vacancies = rv.matcher.vacancies;
  const recommendations = allocation.pick.length;
  function* lines() {
    let chunk = '';
    for (let i = 0; i < S; i++) {
      const p = parts[staged.part[i]!]!;
      const x = staged.index[i]!;
      let ids = '';
      let scores = '';
      for (let x = allocation.start[i]!; x < allocation.start[i + 1]!; x++) {
        const j = allocation.pick[x]!;
        const sep = ids ? ',' : '';
        ids += sep + vacancies[packed.vacancy[j]!]!.id;
        scores += sep + scoreText(packed.score[j]!);
      }
      // Every cell is a uuid, digits or a number list: nothing to escape.
      chunk += `${runId}\t${stagedId(p, x)}\t${stagedCommunity(p, x)}\t${p.tier[x]}\t{${ids}}\t{${scores}}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const totalMs = await inClientTransaction(ctx.database.pool, async (client) => {
    // The COPY of every recommendation of the run: a batch step.
    await allowLongStatements(client, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
    const locked = await client.query<{ status: string }>('select status from matching_runs where id = $1 for update', [runId]);
    if (locked.rows[0]?.status !== 'running') return undefined;
    await client.query('delete from recommendations where run_id = $1', [runId]);
    await pipeline(lines, client.query(copyFrom('copy recommendations (run_id, seeker_id, community_code, tier, vacancy_ids, scores) from stdin')) as unknown as Writable);
    const t3 = Date.now();
    const finishedAt = new Date();
    const totalMs = finishedAt.getTime() - (run.started_at ?? run.created_at).getTime();
    const timings = { loadMs: t1 - t0, allocateMs: t2 - t1, writeMs: t3 - t2, finalizeMs: t3 - t0, totalMs };
    await client.query(`update matching_runs set status = 'completed', recommendations = $2, finished_at = $3, timings = timings || $4::jsonb where id = $1`, [
      runId,
      recommendations,
      finishedAt,
      JSON.stringify(timings),
    ]);
    await recordEventOn(client, 'matching-run.completed', runId, {
      runId,
      regionCode: run.region_code,
      seekers: S,
      vacancies: run.vacancies,
      recommendations,
      finishedAt: finishedAt.toISOString(),
    });
    return totalMs;
  });
  // Another finalize completed (or failed) the run first: nothing of this one was kept.
  if (totalMs === undefined) return;
  matchingMetrics(metricsRegistryOf(ctx)).runDuration.observe({ trigger: run.trigger, outcome: 'completed' }, totalMs / 1000);
  // The staging has served its purpose; a crash before this only leaves rows a later clean-up removes.
  await ctx.database.pool.query('delete from run_candidates where run_id = $1', [runId]);
}

/** Starts the run of the night `at` falls in; the unique run date makes a second scheduler a no-op. */
export async function startNightlyRun(ctx: MatchingContext, queues: RunQueues, at: Date): Promise<string> {
  const runDate = cityDate(at);
  await ctx.db
    .insertInto('matching_runs')
    .values({ id: crypto.randomUUID(), created_at: new Date(), region_code: null, trigger: 'scheduled', requested_by: 'scheduler', run_date: runDate, status: 'queued', error: null, started_at: null, finished_at: null, timings: '{}' })
    .onConflict((oc) => oc.column('run_date').doNothing())
    .execute();
  const run = await ctx.db.selectFrom('matching_runs').select(['id', 'status']).where('run_date', '=', runDate).executeTakeFirstOrThrow();
  if (run.status === 'queued') await queues.addRun('plan', { runId: run.id }, { ...JOB_OPTIONS, jobId: planJobId(run.id) });
  return run.id;
}
