import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of the caller's, named as in the sources
 * (`startThread('./thread.ts', import.meta.url, …)`).
 *
 * Compiled (`pnpm build`), the caller is JavaScript and so is the module
 * beside it: plain node runs `./thread.js`. From the sources, the thread
 * inherits the TypeScript loader of a process started with `node --import tsx`
 * or by tap, but not under the `tsx` command, which registers it on the main
 * thread only: then the thread registers tsx itself and loads the module under
 * another URL (the failed import stays cached under the first).
 */
export function startThread(specifier: string, parentUrl: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!new URL(parentUrl).pathname.endsWith('.ts')) return new Worker(new URL(specifier.replace(/\.ts$/, '.js'), parentUrl), options);
  const url = new URL(specifier, parentUrl).href;
  const boot = `
import(${JSON.stringify(url)}).catch(async (err) => {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(`${url}?tsx`)});
});`;
  return new Worker(boot, { ...options, eval: true });
}
