import { setTimeout as sleep } from 'node:timers/promises';
import type { Match, SeekerInput } from '@reemploy/matching-engine';
import { cpuPool, type CpuPool } from '@reemploy/runtime/cpu-pool';
import type rankingThread from './thread.ts';
import type { RankerData, RankerTask, SeekerMatchesReply } from './thread.ts';

/** After a thread died, how long requests are refused (and ranked on the main thread by the caller) before a new thread is tried. */
const RESTART_AFTER_MS = 30_000;
/** How long close() lets the thread close its database pool before ending it. */
const CLOSE_GRACE_MS = 2000;

/**
 * On-demand rankings computed on a worker thread that keeps its own matcher
 * in step with the projection (thread.ts): requests wait for a ranking (well
 * under a millisecond), never for a rebuild of the index. A thread that dies
 * fails the requests it held; a new one is started at the first request
 * `RESTART_AFTER_MS` later, so a thread that cannot start is not retried on
 * every request.
 */
export class Ranker {
  private closed = false;
  private diedAt = -Infinity;
  private readonly pool: CpuPool<typeof rankingThread>;

  constructor(data: RankerData) {
    // One thread, started by the first task (or warm()), holding many requests at once: they wait on Postgres.
    this.pool = cpuPool<typeof rankingThread>('./thread.ts', import.meta.url, { data, minThreads: 0, maxThreads: 1, concurrentTasksPerThread: 1024 });
    // The pool ends its thread only when the thread died, or on close: a new one waits RESTART_AFTER_MS.
    this.pool.on('workerDestroy', () => {
      if (!this.closed) this.diedAt = Date.now();
    });
  }

  /** Starts the thread now, so that the first request does not wait for it to load the projection. */
  warm(): void {
    if (!this.closed) this.run({ kind: 'warm' }).catch(() => undefined);
  }

  async rank(seeker: SeekerInput, limit: number): Promise<Match[]> {
    return (await this.run({ kind: 'rank', seeker, limit })) as Match[];
  }

  /**
   * GET matches answered by the thread: the seeker read fresh from the projection, ranked,
   * and the response body as JSON (UTF-8 bytes). `body` is absent when the seeker does not exist;
   * the caller must check `communityCode` against the caller's regions before sending it.
   */
  async seekerMatches(seekerId: string, limit: number): Promise<{ communityCode?: string; body?: Buffer; served: number }> {
    const reply = (await this.run({ kind: 'matches', seekerId, limit })) as SeekerMatchesReply;
    const body = reply.body && Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength);
    return { communityCode: reply.communityCode, body, served: reply.served };
  }

  private run(task: RankerTask) {
    if (this.closed) return Promise.reject(new Error('ranker closed'));
    if (Date.now() - this.diedAt < RESTART_AFTER_MS) return Promise.reject(new Error('ranking thread unavailable'));
    return this.pool.run(task);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pool.threads.length) await Promise.race([this.pool.run({ kind: 'close' }).catch(() => undefined), sleep(CLOSE_GRACE_MS, undefined, { ref: false })]);
    await this.pool.destroy();
  }
}
