import { z } from 'zod';
import { seesFiguresOf, type Caller } from '@reemploy/http-kit';
import type { RunRow } from '../database.ts';

export const createRunBody = z
  .strictObject({
    regionCode: z.string().regex(/^\d{2,12}$/).optional().describe('Only seekers in this region (division-code prefix); default: the caller’s region'),
  })
  .meta({ id: 'CreateMatchingRun' });

const ABSENT =
  "Absent unless the run's region lies inside the caller's regions (and the caller is not an assistance base's system): " +
  'a run over the whole projection (regionCode null) or a wider region counts people outside them.';

export const runView = z
  .object({
    id: z.uuid(),
    regionCode: z.string().nullable().describe('The division-code prefix the run covers; null: the whole projection (the nightly run)'),
    trigger: z.enum(['manual', 'scheduled']),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    progress: z.number().min(0).max(1).optional().describe(`Share of the work done. ${ABSENT}`),
    partitions: z.object({ total: z.int(), done: z.int() }).optional().describe(`Partitions planned and computed. ${ABSENT}`),
    seekers: z.int().optional().describe(`Seekers the run ranked for. ${ABSENT}`),
    vacancies: z.int().optional().describe(`Open vacancies it ranked. ${ABSENT}`),
    candidatePairsScored: z.int().optional().describe(`Seeker-vacancy pairs scored. ${ABSENT}`),
    recommendations: z.int().optional().describe(`Recommendations written. ${ABSENT}`),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    timings: z
      .record(z.string(), z.number())
      .optional()
      .describe(`Milliseconds: planMs, computeMs (sum over partitions), loadMs, allocateMs, writeMs, finalizeMs, totalMs. ${ABSENT}`),
    error: z.string().nullable().optional().describe(`Why a failed run failed. ${ABSENT}`),
  })
  .meta({ id: 'MatchingRun' });

export type RunView = z.infer<typeof runView>;

/**
 * A run as the caller may see it. Its figures (and what they derive from: progress,
 * partitions, timings, an error naming partitions) are shown only under the shared rule
 * `seesFiguresOf`, the one webhooks apply to run announcements.
 */
export function toRunView(row: RunRow, caller: Caller): RunView {
  const view: RunView = {
    id: row.id,
    regionCode: row.region_code,
    trigger: row.trigger,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
  if (!seesFiguresOf(caller, row.region_code)) return view;
  // Partitions are most of the work; the allocation and its write are the last tenth.
  const progress = row.status === 'completed' ? 1 : row.partitions_total ? (0.9 * row.partitions_done) / row.partitions_total : 0;
  return {
    ...view,
    progress: Math.round(progress * 1000) / 1000,
    partitions: { total: row.partitions_total, done: row.partitions_done },
    seekers: row.seekers,
    vacancies: row.vacancies,
    candidatePairsScored: Number(row.pairs_scored),
    recommendations: row.recommendations,
    timings: row.timings,
    error: row.error,
  };
}
