import { sql } from 'kysely';
import { copyRows } from '@reemploy/db';
import { allocate, createMatcher, priorityTier, type Match, type Matcher, type MatchingConfig, type SeekerInput, type VacancyInput } from '@reemploy/matching-engine';
import type { EducationLevel, HardshipCategory } from '@reemploy/domain';
import type { ServiceContext } from '@reemploy/runtime';
import type { MatchingEnv } from '../config.ts';
import type { MatchingDB } from '../database.ts';
import { ACTIVE_SEEKER_SQL, engineConfig, loadNumberedVacancies, SEEKER_COLUMNS, toSeekerInput, type SeekerFields } from '../matcher/inputs.ts';
import { recordEventOn } from './outbox.ts';
import { arrayCell, byteaCell, packCandidates, unpackCandidates } from './packing.ts';
import { partitionBounds, planPartitions } from './partitions.ts';
import { finalizeJobId, JOB_OPTIONS, partitionJobId, planJobId, type RunQueues } from './queues.ts';
import * as repo from './repository.ts';

type Ctx = ServiceContext<MatchingDB, MatchingEnv>;

interface RunVacancies {
  matcher: Matcher;
  byId: Map<string, VacancyInput>;
  noById: Map<string, number>;
  idByNo: Map<number, string>;
}

// One run's vacancies per worker process: every partition of the run reuses them.
let cached: { runId: string; value: Promise<RunVacancies> } | undefined;

function vacanciesForRun(ctx: Ctx, runId: string, config: Partial<MatchingConfig>): Promise<RunVacancies> {
  if (cached?.runId !== runId) {
    const value = loadNumberedVacancies(ctx.database.pool).then((rows) => ({
      matcher: createMatcher(rows.map((r) => r.input), config),
      byId: new Map(rows.map((r) => [r.input.id, r.input])),
      noById: new Map(rows.map((r) => [r.input.id, r.no])),
      idByNo: new Map(rows.map((r) => [r.no, r.input.id])),
    }));
    value.catch(() => (cached = undefined));
    cached = { runId, value };
  }
  return cached.value;
}

const addTiming = (name: string, ms: number) => sql`jsonb_set(timings, ${sql.lit(`{${name}}`)}, to_jsonb(coalesce((timings->>${name})::bigint, 0) + ${Math.round(ms)}))`;

/** Splits a queued run into partition jobs; run again, it re-enqueues what is not done. */
export async function planRun(ctx: Ctx, queues: RunQueues, runId: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (!run) throw new Error(`run ${runId} not found (not committed yet?)`);
  if (run.status === 'queued') {
    const started = Date.now();
    const counts = await repo.seekersByDistrict(ctx.db, run.region_code);
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
}

async function enqueueFinalizeWhenDone(ctx: Ctx, queues: RunQueues, runId: string) {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status === 'running' && run.partitions_done >= run.partitions_total) {
    await queues.addRun('finalize', { runId }, { ...JOB_OPTIONS, jobId: finalizeJobId(runId) });
  }
}

/**
 * Computes one partition's candidate lists and stages them. The staging, the
 * partition's "done" and the run's counter commit together, so a worker
 * killed midway leaves nothing and its retry writes each list once.
 */
export async function computePartition(ctx: Ctx, queues: RunQueues, runId: string, partitionKey: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status !== 'running') return;
  const part = await ctx.db.selectFrom('run_partitions').select('done_at').where('run_id', '=', runId).where('partition_key', '=', partitionKey).executeTakeFirst();
  if (part && !part.done_at) {
    const started = Date.now();
    const config = engineConfig(ctx.env);
    const rv = await vacanciesForRun(ctx, runId, config);
    const b = partitionBounds(partitionKey, run.region_code);
    const { rows: seekerRows } = await ctx.database.pool.query<SeekerFields>(
      `select ${SEEKER_COLUMNS} from seekers where ${ACTIVE_SEEKER_SQL} and community_code like $1 and seeker_id >= $2::uuid ${b.below ? 'and seeker_id < $3::uuid' : ''}`,
      [`${b.prefix}%`, b.from, ...(b.below ? [b.below] : [])],
    );
    const k = 3 * ctx.env.MATCHING_TOP_K;
    const now = new Date();
    const pairsBefore = rv.matcher.stats().pairsScored;
    let candidates = 0;
    const rows = seekerRows.map((r) => {
      const seeker = toSeekerInput(r, now);
      const matches = rv.matcher.candidatesFor(seeker, k);
      candidates += matches.length;
      return [runId, r.seeker_id, r.community_code, seeker.age, seeker.education, arrayCell(r.hardship_categories), byteaCell(packCandidates(matches, rv.noById))];
    });
    const pairs = rv.matcher.stats().pairsScored - pairsBefore;
    const computeMs = Date.now() - started;
    const client = await ctx.database.pool.connect();
    try {
      await client.query('begin');
      const locked = await client.query<{ done_at: Date | null }>('select done_at from run_partitions where run_id = $1 and partition_key = $2 for update', [runId, partitionKey]);
      if (locked.rows[0]?.done_at !== null) {
        await client.query('rollback');
      } else {
        await client.query('create temp table staged (like run_candidates) on commit drop');
        await copyRows(client, 'staged', ['run_id', 'seeker_id', 'community_code', 'age', 'education', 'hardship_categories', 'packed'], rows);
        // A seeker who moved district mid-run may already be staged by another partition: first wins.
        await client.query('insert into run_candidates select * from staged on conflict do nothing');
        await client.query('update run_partitions set done_at = now(), seekers = $3, pairs_scored = $4, compute_ms = $5 where run_id = $1 and partition_key = $2', [runId, partitionKey, rows.length, pairs, computeMs]);
        const { sql: timingSql, parameters } = sql`update matching_runs set partitions_done = partitions_done + 1, pairs_scored = pairs_scored + ${pairs}, candidates = candidates + ${candidates}, timings = ${addTiming('computeMs', computeMs)} where id = ${runId} and status = 'running'`.compile(ctx.db);
        await client.query(timingSql, parameters as unknown[]);
        await client.query('commit');
      }
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  await enqueueFinalizeWhenDone(ctx, queues, runId);
}

/** The seeker as staged: allocation checks the hard constraints again, so age and education travel too. */
function stagedSeeker(s: StagedRow): SeekerInput {
  return {
    id: s.seeker_id,
    age: s.age,
    gender: 'female',
    education: s.education as EducationLevel,
    skills: [],
    desiredOccupations: [],
    expectedMonthlyWage: null,
    communityCode: s.community_code,
    hardshipCategories: s.hardship_categories,
  };
}

interface StagedRow {
  seeker_id: string;
  community_code: string;
  age: number;
  education: string;
  hardship_categories: HardshipCategory[];
  packed: Buffer;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The global, capacity-aware allocation over every staged list, written once with COPY. */
export async function finalizeRun(ctx: Ctx, runId: string): Promise<void> {
  const run = await repo.findRun(ctx.db, runId);
  if (run?.status !== 'running' || run.partitions_done < run.partitions_total) return;
  const t0 = Date.now();
  const config = engineConfig(ctx.env);
  const rv = await vacanciesForRun(ctx, runId, config);
  const { rows: staged } = await ctx.database.pool.query<StagedRow>(
    'select seeker_id, community_code, age, education, hardship_categories, packed from run_candidates where run_id = $1 order by seeker_id',
    [runId],
  );
  const seekers = staged.map(stagedSeeker);
  const lists = new Map<string, Match[]>(staged.map((s) => [s.seeker_id, unpackCandidates(s.packed, rv.idByNo).filter((m) => rv.byId.has(m.vacancyId))]));
  const t1 = Date.now();
  const allocated = allocate(seekers, lists, rv.byId, config);
  const t2 = Date.now();
  let recommendations = 0;
  const rows = seekers.map((s) => {
    const items = allocated.get(s.id) ?? [];
    recommendations += items.length;
    return [
      runId,
      s.id,
      s.communityCode,
      priorityTier(s.hardshipCategories),
      arrayCell(items.map((m) => m.vacancyId)),
      arrayCell(items.map((m) => round4(m.score))),
    ];
  });
  const client = await ctx.database.pool.connect();
  try {
    await client.query('begin');
    const locked = await client.query<{ status: string }>('select status from matching_runs where id = $1 for update', [runId]);
    if (locked.rows[0]?.status !== 'running') {
      await client.query('rollback');
      return;
    }
    await client.query('delete from recommendations where run_id = $1', [runId]);
    await copyRows(client, 'recommendations', ['run_id', 'seeker_id', 'community_code', 'tier', 'vacancy_ids', 'scores'], rows);
    const t3 = Date.now();
    const finishedAt = new Date();
    const timings = { loadMs: t1 - t0, allocateMs: t2 - t1, writeMs: t3 - t2, finalizeMs: t3 - t0, totalMs: finishedAt.getTime() - (run.started_at ?? run.created_at).getTime() };
    await client.query(`update matching_runs set status = 'completed', recommendations = $2, finished_at = $3, timings = timings || $4::jsonb where id = $1`, [
      runId,
      recommendations,
      finishedAt,
      JSON.stringify(timings),
    ]);
    await recordEventOn(client, 'matching-run.completed', runId, {
      runId,
      regionCode: run.region_code,
      seekers: seekers.length,
      vacancies: run.vacancies,
      recommendations,
      finishedAt: finishedAt.toISOString(),
    });
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  // The staging has served its purpose; a crash before this only leaves rows a later clean-up removes.
  await ctx.database.pool.query('delete from run_candidates where run_id = $1', [runId]);
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Starts the run of the night `at` falls in; the unique run date makes a second scheduler a no-op. */
export async function startNightlyRun(ctx: Ctx, queues: RunQueues, at: Date): Promise<string> {
  const runDate = shanghaiDate(at);
  await ctx.db
    .insertInto('matching_runs')
    .values({ id: crypto.randomUUID(), created_at: new Date(), region_code: null, trigger: 'scheduled', requested_by: 'scheduler', run_date: runDate, status: 'queued', error: null, started_at: null, finished_at: null, timings: '{}' })
    .onConflict((oc) => oc.column('run_date').doNothing())
    .execute();
  const run = await ctx.db.selectFrom('matching_runs').select(['id', 'status']).where('run_date', '=', runDate).executeTakeFirstOrThrow();
  if (run.status === 'queued') await queues.addRun('plan', { runId: run.id }, { ...JOB_OPTIONS, jobId: planJobId(run.id) });
  return run.id;
}
