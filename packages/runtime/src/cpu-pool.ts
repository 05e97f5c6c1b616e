import type { ResourceLimits } from 'node:worker_threads';
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

/** A pool running the module whose default export is `M`. */
export type CpuPool<M extends AnyMain> = Piscina<TaskOf<M>, ResultOf<M>>;

export interface CpuPoolOptions<Data> {
  /** Given to the module's default export in each thread (structured-cloned). */
  data: Data;
  /** Threads started with the pool and kept: one that dies is replaced. 0: started by the first task. */
  minThreads: number;
  maxThreads: number;
  /** Tasks one thread holds at once: more than one for a thread whose tasks wait on I/O. */
  concurrentTasksPerThread?: number;
  resourceLimits?: ResourceLimits;
}

/** The module every thread of a pool loads first (see the file). */
const BOOTSTRAP = new URL('./cpu-pool-thread.mjs', import.meta.url).href;

/**
 * A pool of worker threads (piscina) running a module of the caller's, named as in the sources
 * (`cpuPool<typeof main>('./thread.ts', import.meta.url, …)`): compiled (`pnpm build`), the
 * caller is JavaScript and so is the module beside it, which the threads load; from the sources
 * (tsx, `node --import tsx`, tap), the threads load the `.ts` module with tsx (cpu-pool-thread.mjs).
 * Idle threads never keep the process open; `destroy()` ends them.
 */
export function cpuPool<M extends AnyMain>(specifier: string, parentUrl: string, options: CpuPoolOptions<DataOf<M>>): CpuPool<M> {
  const sources = new URL(parentUrl).pathname.endsWith('.ts');
  const module = new URL(sources ? specifier : specifier.replace(/\.ts$/, '.js'), parentUrl).href;
  const pool = new Piscina<TaskOf<M>, ResultOf<M>>({
    filename: BOOTSTRAP,
    // From the sources, the threads register tsx themselves, whatever loaders the process preloads
    // (tap's ts-node would cost each thread seconds to start; the `tsx` command passes none on).
    ...(sources ? { execArgv: withoutPreloads(process.execArgv) } : {}),
    workerData: { module, data: options.data },
    minThreads: options.minThreads,
    maxThreads: options.maxThreads,
    // Threads are started and ended by the pool's owner (minThreads, destroy), not by idleness.
    idleTimeout: Infinity,
    concurrentTasksPerWorker: options.concurrentTasksPerThread ?? 1,
    // Messages only: a thread waiting for its next task in Atomics.wait would stall its own timers and I/O.
    atomics: 'disabled',
    recordTiming: false,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
  // A thread that fails with no task running: piscina replaces it (or the next task starts one); the owner may
  // listen to 'workerDestroy'. Without a listener, the pool's 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

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

/** A task's result whose buffers are moved to the pool's caller rather than copied. */
export function transferring<T>(value: T, buffers: ArrayBuffer[]): T {
  return move({ [transferableSymbol]: buffers, [valueSymbol]: value } as never) as T;
}
