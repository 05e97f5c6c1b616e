import type { ResourceLimits, Worker } from 'node:worker_threads';
import { move, Piscina, transferableSymbol, valueSymbol } from 'piscina';

/**
 * The default export of a CPU pool's module: called once in each thread with the pool's
 * data, it returns the handler of the tasks that thread runs. What the thread holds
 * (keys, a matcher, a database pool) lives in that closure.
 */
export type ThreadMain<Data, Task, Result> = (data: Data) => ((task: Task) => Result | Promise<Result>) | Promise<(task: Task) => Result | Promise<Result>>;

type AnyMain = ThreadMain<never, never, unknown>;
type DataOf<M> = M extends (data: infer D) => unknown ? D : never;
type HandlerOf<M> = M extends (data: never) => infer H ? Awaited<H> : never;
export type TaskOf<M> = HandlerOf<M> extends (task: infer T) => unknown ? T : never;
export type ResultOf<M> = HandlerOf<M> extends (task: never) => infer R ? Awaited<R> : never;

export interface CpuPoolOptions<Data> {
  /** Given to the module's default export in each thread (structured-cloned). */
  data: Data;
  /** Threads started with the pool and kept: one that dies is replaced. 0: started by the first task. */
  minThreads: number;
  maxThreads: number;
  /** Tasks one thread holds at once: more than one for a thread whose tasks wait on I/O. */
  concurrentTasksPerThread?: number;
  resourceLimits?: ResourceLimits;
  /** After the pool lost its last thread, how long tasks are refused before new threads are tried (0: at the next task). */
  restartAfterMs?: number;
}

/** The module every thread of a pool loads first (see the file). */
const BOOTSTRAP = new URL('./cpu-pool-thread.mjs', import.meta.url).href;

const PRELOADS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);

/** Node's options less the modules it preloads (`--import x`, `--import=x`, and the like). */
function withoutPreloads(execArgv: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    if (PRELOADS.has(flag)) i++;
    else if (!PRELOADS.has(flag.split('=')[0]!)) kept.push(flag);
  }
  return kept;
}

/**
 * Worker threads (a piscina pool) running a module of the caller's, named as in the sources
 * (`new CpuPool<typeof main>('./thread.ts', import.meta.url, …)`): compiled (`pnpm build`),
 * the caller is JavaScript and so is the module beside it, which the threads load; from the
 * sources (tsx, `node --import tsx`, tap), the threads load the `.ts` module with tsx
 * (cpu-pool-thread.mjs). A thread that dies fails the tasks it held. Piscina replaces a
 * running thread that died (down to `minThreads`); when the pool is left with no thread
 * (the last one died, or none could start), everything it still queued fails and the next
 * task, `restartAfterMs` later at the soonest, starts new threads: a thread that cannot
 * start is not retried on every task, and no task waits for a thread that will not come.
 * Idle threads never keep the process open; `close()` ends them.
 */
export class CpuPool<M extends AnyMain> {
  readonly #options: ConstructorParameters<typeof Piscina>[0];
  readonly #restartAfterMs: number;
  #pool: Piscina<TaskOf<M>, ResultOf<M>> | undefined;
  #lostAt = -Infinity;
  #closed = false;

  constructor(specifier: string, parentUrl: string, options: CpuPoolOptions<DataOf<M>>) {
    const sources = new URL(parentUrl).pathname.endsWith('.ts');
    const module = new URL(sources ? specifier : specifier.replace(/\.ts$/, '.js'), parentUrl).href;
    this.#restartAfterMs = options.restartAfterMs ?? 0;
    this.#options = {
      filename: BOOTSTRAP,
      // From the sources, the threads register tsx themselves, whatever loaders the process preloads
      // (tap's ts-node would cost each thread seconds to start; the `tsx` command passes none on).
      ...(sources ? { execArgv: withoutPreloads(process.execArgv) } : {}),
      workerData: { module, data: options.data },
      minThreads: options.minThreads,
      maxThreads: options.maxThreads,
      // Threads are started and ended by the pool's owner (minThreads, close), not by idleness.
      idleTimeout: Infinity,
      concurrentTasksPerWorker: options.concurrentTasksPerThread ?? 1,
      // Messages only: a thread waiting for its next task in Atomics.wait would stall its own timers and I/O.
      atomics: 'disabled',
      recordTiming: false,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    };
  }

  /** Starts the pool's threads (`minThreads` of them) now rather than at the first task. */
  start(): void {
    if (!this.#closed) this.#current();
  }

  #current(): Piscina<TaskOf<M>, ResultOf<M>> {
    if (this.#pool) return this.#pool;
    const pool = new Piscina<TaskOf<M>, ResultOf<M>>(this.#options);
    // Without a listener, a thread failing with no task would end the process ('error' event).
    pool.on('error', () => undefined);
    pool.on('workerDestroy', () => {
      // After piscina has replaced the thread (or not) and before the tasks it held see their failure.
      queueMicrotask(() => {
        if (this.#pool !== pool || pool.threads.length) return;
        this.#pool = undefined;
        this.#lostAt = Date.now();
        void pool.destroy();
      });
    });
    this.#pool = pool;
    return pool;
  }

  run(task: TaskOf<M>): Promise<ResultOf<M>> {
    if (this.#closed) return Promise.reject(new Error('thread pool closed'));
    const since = Date.now() - this.#lostAt;
    if (!this.#pool && since < this.#restartAfterMs) return Promise.reject(new Error(`thread unavailable: the pool lost its last thread ${Math.round(since / 1000)} s ago`));
    return this.#current().run(task);
  }

  /** The threads running or starting. */
  get threads(): Worker[] {
    return this.#pool?.threads ?? [];
  }

  /** Ends the threads, failing the tasks they held; the pool takes no more. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.destroy();
  }
}

/** A task's result whose buffers are moved to the pool's caller rather than copied. */
export function transferring<T>(value: T, buffers: ArrayBuffer[]): T {
  return move({ [transferableSymbol]: buffers, [valueSymbol]: value } as never) as T;
}
