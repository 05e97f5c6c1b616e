import t from 'tap';
import { CpuPool } from '../src/cpu-pool.ts';
import type doublingThread from './doubling-thread.ts';

/** A task's outcome, or 'waiting' if it has none after a few seconds. */
async function outcome(task: Promise<number>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('waiting'), 5000)));
  try {
    return await Promise.race([task.then((x) => `doubled to ${x}`, (err: Error) => `failed: ${err.message}`), waiting]);
  } finally {
    clearTimeout(timer);
  }
}

t.test('threads that cannot start fail the tasks given them rather than keep them waiting', async (t) => {
  // As the ranker: no thread kept, none retried for a while after the last one ended.
  const pausing = new CpuPool<typeof doublingThread>('./doubling-thread.ts', import.meta.url, { data: { startable: false }, minThreads: 0, maxThreads: 1, restartAfterMs: 60_000 });
  t.teardown(() => pausing.close());
  t.match(await outcome(pausing.run(1)), /^failed: /);
  const started = Date.now();
  t.match(await outcome(pausing.run(2)), /^failed: thread unavailable/, 'refused at once: no new thread before restartAfterMs');
  t.ok(Date.now() - started < 1000, 'without waiting for a thread');

  // As the import preparers: threads kept and replaced, a new try at each task once none is left.
  const replacing = new CpuPool<typeof doublingThread>('./doubling-thread.ts', import.meta.url, { data: { startable: false }, minThreads: 2, maxThreads: 2 });
  t.teardown(() => replacing.close());
  for (let i = 0; i < 3; i++) t.match(await outcome(replacing.run(i)), /^failed: /, `task ${i}`);
});

t.test('a thread that dies fails the task it held, and is replaced where the pool keeps threads', async (t) => {
  const pool = new CpuPool<typeof doublingThread>('./doubling-thread.ts', import.meta.url, { data: { startable: true }, minThreads: 1, maxThreads: 1 });
  t.teardown(() => pool.close());
  t.equal(await pool.run(2), 4);
  const held = outcome(pool.run(-3000));
  await pool.threads[0]!.terminate();
  t.match(await held, /^failed: /);
  t.equal(await outcome(pool.run(3)), 'doubled to 6');
  await pool.close();
  await t.rejects(pool.run(4), /closed/);
});
