import type { Worker } from 'node:worker_threads';
import type { Match, SeekerInput } from '@reemploy/matching-engine';
import { startThread } from '@reemploy/runtime/threads';
import type { MatchesRequest, RankerData, RankRequest, SeekerMatchesReply } from './thread.ts';

type Reply = { id: number; items?: Match[]; error?: string } & Omit<SeekerMatchesReply, 'id' | 'error'>;

/** After a thread died, how long requests are refused (and ranked on the main thread by the caller) before a new thread is tried. */
const RESTART_AFTER_MS = 30_000;

/**
 * On-demand rankings computed on a worker thread that keeps its own matcher
 * in step with the projection (thread.ts): requests wait for a ranking (well
 * under a millisecond), never for a rebuild of the index. A thread that dies
 * fails the requests it held; a new one is started at the first request
 * `RESTART_AFTER_MS` later, so a thread that cannot start is not retried on
 * every request.
 */
export class Ranker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(err: Error): void }>();
  private next = 0;
  private closed = false;
  private diedAt = -Infinity;

  constructor(private readonly data: RankerData) {}

  private start(): Worker {
    const worker = startThread('./thread.ts', import.meta.url, { workerData: this.data });
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) p.reject(new Error(reply.error));
      else p.resolve(reply);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) {
        this.worker = undefined;
        if (!this.closed) this.diedAt = Date.now();
      }
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`ranking thread exited with ${code}`)));
    // Idle, it must not keep the process alive.
    worker.unref();
    return worker;
  }

  /** Starts the thread now, so that the first request does not wait for it to load the projection. */
  warm(): void {
    if (!this.worker && !this.closed) this.worker = this.start();
  }

  async rank(seeker: SeekerInput, limit: number): Promise<Match[]> {
    return (await this.ask((id) => ({ id, seeker, limit }) satisfies RankRequest)).items ?? [];
  }

  /**
   * GET matches answered by the thread: the seeker read fresh from the projection, ranked,
   * and the response body as JSON (UTF-8 bytes). `body` is absent when the seeker does not exist;
   * the caller must check `communityCode` against the caller's regions before sending it.
   */
  async seekerMatches(seekerId: string, limit: number): Promise<{ communityCode?: string; body?: Buffer; served: number }> {
    const reply = await this.ask((id) => ({ id, seekerId, limit }) satisfies MatchesRequest);
    const body = reply.body && Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength);
    return { communityCode: reply.communityCode, body, served: reply.served ?? 0 };
  }

  private ask(message: (id: number) => RankRequest | MatchesRequest): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('ranker closed'));
    if (!this.worker && Date.now() - this.diedAt < RESTART_AFTER_MS) return Promise.reject(new Error('ranking thread unavailable'));
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(message(id));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 2000);
    await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    clearTimeout(timer);
  }
}
