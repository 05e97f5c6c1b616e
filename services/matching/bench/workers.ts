import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts `count` real worker processes (src/worker.ts) and resolves once each says it runs; each serves its metrics on a free port. */
export async function startWorkerProcesses(count: number, env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: count }, () => {
      // BENCH_WORKER_CPU_PROF=<directory>: each worker writes a V8 CPU profile there when it stops.
      const prof = process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_CPU_PROF}`] : [];
      const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/worker.ts'], { cwd: serviceDir, env: { ...process.env, ...env, LOG_LEVEL: 'info', WORKER_METRICS_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('worker running')) resolve();
          if (out.length > 1 << 16) out = out.slice(-1024);
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      });
    }),
  );
  return {
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
