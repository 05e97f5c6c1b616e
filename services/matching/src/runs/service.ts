import { randomUUID } from 'node:crypto';
import { inRegions, overlapsRegions, problems, type Caller } from '@reemploy/http-kit';
import type { MatchingContext } from '../context.ts';
import type { RunRow } from '../database.ts';
import { JOB_OPTIONS, planJobId, type RunQueues } from './queues.ts';
import * as repo from './repository.ts';

function regionFor(caller: Caller, requested: string | undefined): string {
  if (requested) {
    if (!inRegions(caller, requested)) throw problems.outsideRegions('body.regionCode');
    return requested;
  }
  const [only, ...more] = caller.regions;
  if (!only || more.length) throw problems.field('body.regionCode', 'is required when your token covers several regions');
  return only;
}

/** Queues a run; answers before any work starts. Redis down: the enqueue throws and nothing is left behind. */
export async function createRun(ctx: MatchingContext, queues: RunQueues, caller: Caller, requested: string | undefined): Promise<RunRow> {
  const regionCode = regionFor(caller, requested);
  const active = await repo.findActiveOverlapping(ctx.db, regionCode);
  if (active) throw problems.conflict('A matching run for this region is already queued or running', { runId: active.id });
  const row = await ctx.db
    .insertInto('matching_runs')
    .values({ id: randomUUID(), created_at: new Date(), region_code: regionCode, trigger: 'manual', requested_by: caller.sub, run_date: null, status: 'queued', error: null, started_at: null, finished_at: null, timings: '{}' })
    .returningAll()
    .executeTakeFirstOrThrow();
  try {
    await queues.addRun('plan', { runId: row.id }, { ...JOB_OPTIONS, jobId: planJobId(row.id) });
  } catch (err) {
    await ctx.db.deleteFrom('matching_runs').where('id', '=', row.id).execute();
    throw err;
  }
  return row;
}

/** A run whose region overlaps the caller's (a city-wide run too); its figures are for `toRunView` to withhold. */
export async function getRun(ctx: MatchingContext, caller: Caller, id: string): Promise<RunRow> {
  const row = await repo.findRun(ctx.db, id);
  if (!row || !overlapsRegions(caller, row.region_code)) throw problems.notFound(`Matching run ${id}`);
  return row;
}
