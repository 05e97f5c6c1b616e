/**
 * What each thread of a CPU pool loads first (cpu-pool.ts): the pool's module, whose default
 * export, called with the pool's data, gives piscina the handler of the thread's tasks.
 *
 * JavaScript, so that every thread can load it. From the sources (a `.ts` module), the thread
 * registers tsx itself: the pool starts it without the process's preloaded loaders, which
 * the `tsx` command would not pass on anyway and tap's ts-node is slow to start.
 */
import { workerData } from 'node:worker_threads';

const { module, data } = workerData;

async function load(url) {
  if (new URL(url).pathname.endsWith('.ts')) (await import('tsx/esm/api')).register();
  return import(url);
}

export default load(module).then((loaded) => loaded.default(data));
