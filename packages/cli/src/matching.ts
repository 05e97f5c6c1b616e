import { randomUUID } from 'node:crypto';
import { callJson } from './http.ts';
import { createProgress, type Progress } from './progress.ts';

export interface MatchingRun {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  /** Progress and figures are absent from a run wider than the token's regions. */
  progress?: number;
  partitions?: { total: number; done: number };
  seekers?: number;
  vacancies?: number;
  recommendations?: number;
  error?: string | null;
}

export interface RunOptions {
  baseUrl: string;
  token: string;
  regionCode?: string;
  follow?: boolean;
  pollMs?: number;
  /** Give up following after this long (the run itself goes on). */
  timeoutMs?: number;
  progress?: Progress;
}

const FINISHED = new Set(['completed', 'failed']);

/** Starts a matching run and, when asked, follows it to the end with a progress bar. */
export async function runMatching(opts: RunOptions): Promise<MatchingRun> {
  let run = await callJson<MatchingRun>(`${opts.baseUrl}/v1/matching-runs`, {
    method: 'POST',
    token: opts.token,
    contentType: 'application/json',
    body: JSON.stringify(opts.regionCode ? { regionCode: opts.regionCode } : {}),
    // The key makes a retried start return the same run.
    headers: { 'idempotency-key': randomUUID() },
  });
  if (!opts.follow) return run;
  const progress = opts.progress ?? createProgress();
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  progress.start(100, `matching run ${run.id.slice(0, 8)}`);
  try {
    while (!FINISHED.has(run.status)) {
      if (Date.now() > deadline) throw new Error(`run ${run.id} still ${run.status} after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s; it goes on in the background`);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
      run = await callJson<MatchingRun>(`${opts.baseUrl}/v1/matching-runs/${run.id}`, { token: opts.token });
      const parts = run.partitions ? `${run.partitions.done}/${run.partitions.total} partitions` : run.status;
      progress.update(Math.round((run.progress ?? 0) * 100), `${run.status}, ${parts}`);
    }
  } finally {
    progress.stop(
      run.status === 'completed'
        ? `run ${run.id} completed: ${run.seekers ?? 0} seekers, ${run.vacancies ?? 0} vacancies, ${run.recommendations ?? 0} recommendations`
        : `run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`,
    );
  }
  return run;
}
