import { setTimeout as sleep } from 'node:timers/promises';
import type { Match, SeekerInput } from '@reemploy/matching-engine';
import { CpuPool } from '@reemploy/runtime/cpu-pool';
import type rankingThread from './thread.ts';
import type { RankerData, SeekerMatchesReply } from './thread.ts';

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
  // One thread, started by the first request (or warm()), holding many requests at once: they wait on Postgres.
  // Not replaced when it dies (no minimum): the pool is then without a thread for RESTART_AFTER_MS.
  private readonly pool: CpuPool<typeof rankingThread>;

  constructor(data: RankerData) {
    this.pool = new CpuPool<typeof rankingThread>('./thread.ts', import.meta.url, { data, minThreads: 0, maxThreads: 1, concurrentTasksPerThread: 1024, restartAfterMs: RESTART_AFTER_MS });
  }

  /** Starts the thread now, so that the first request does not wait for it to load the projection. */
  warm(): void {
    this.pool.run({ kind: 'warm' }).catch(() => undefined);
  }

  async rank(seeker: SeekerInput, limit: number): Promise<Match[]> {
    return (await this.pool.run({ kind: 'rank', seeker, limit })) as Match[];
  }

  /**
   * GET matches answered by the thread: the seeker read fresh from the projection, ranked,
   * and the response body as JSON (UTF-8 bytes). `body` is absent when the seeker does not exist;
   * the caller must check `communityCode` against the caller's regions before sending it.
   */
  async seekerMatches(seekerId: string, limit: number): Promise<{ communityCode?: string; body?: Buffer; served: number }> {
    const reply = (await this.pool.run({ kind: 'matches', seekerId, limit })) as SeekerMatchesReply;
    const body = reply.body && Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength);
    return { communityCode: reply.communityCode, body, served: reply.served };
  }

  /** Lets a running thread close its database pool (CLOSE_GRACE_MS at most), then ends it. */
  async close(): Promise<void> {
    if (this.pool.threads.length) await Promise.race([this.pool.run({ kind: 'close' }).catch(() => undefined), sleep(CLOSE_GRACE_MS, undefined, { ref: false })]);
    await this.pool.close();
  }
}
