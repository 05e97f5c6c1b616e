import { z } from 'zod';
import type { RunRow } from '../database.ts';

export const createRunBody = z
  .strictObject({
    regionCode: z.string().regex(/^\d{2,12}$/).optional().describe('Only seekers in this region (division-code prefix); default: the caller’s region'),
  })
  .meta({ id: 'CreateMatchingRun' });

export const runView = z
  .object({
    id: z.uuid(),
    regionCode: z.string().nullable(),
    trigger: z.enum(['manual', 'scheduled']),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    progress: z.number().min(0).max(1),
    partitions: z.object({ total: z.int(), done: z.int() }),
    seekers: z.int(),
    vacancies: z.int(),
    candidatePairsScored: z.int(),
    recommendations: z.int(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    timings: z.record(z.string(), z.number()).describe('Milliseconds: planMs, computeMs (sum over partitions), loadMs, allocateMs, writeMs, finalizeMs, totalMs'),
    error: z.string().nullable(),
  })
  .meta({ id: 'MatchingRun' });

export type RunView = z.infer<typeof runView>;

export function toRunView(row: RunRow): RunView {
  // Partitions are most of the work; the allocation and its write are the last tenth.
  const progress = row.status === 'completed' ? 1 : row.partitions_total ? (0.9 * row.partitions_done) / row.partitions_total : 0;
  return {
    id: row.id,
    regionCode: row.region_code,
    trigger: row.trigger,
    status: row.status,
    progress: Math.round(progress * 1000) / 1000,
    partitions: { total: row.partitions_total, done: row.partitions_done },
    seekers: row.seekers,
    vacancies: row.vacancies,
    candidatePairsScored: Number(row.pairs_scored),
    recommendations: row.recommendations,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    timings: row.timings,
    error: row.error,
  };
}
