import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts `count` real worker processes (src/worker.ts) and resolves once each says it runs. */
export async function startWorkerProcesses(count: number, env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { cwd: serviceDir, env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
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
