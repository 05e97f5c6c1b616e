/**
 * Imports N generated seekers through the CLI's import function into a
 * throwaway registration service on the real Postgres and Redis, and prints
 * rows per second end to end (file read, batches over HTTP, error file).
 * Run: pnpm exec tsx packages/cli/bench/import.ts [rows] [batch]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIdNumber } from '@reemploy/domain';
import { buildTestService } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { createProgress, importFile } from '../src/index.ts';

const rows = Number(process.argv[2] ?? 20_000);
const batchSize = Number(process.argv[3] ?? 2000);
const cleanups: (() => unknown)[] = [];
const svc = await buildTestService({ after: (fn) => cleanups.push(fn) }, registration);
try {
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = svc.app.server.address() as { port: number };
  const dir = await mkdtemp(join(tmpdir(), 'reemploy-bench-'));
  const file = join(dir, 'seekers.csv');
  const lines = ['idNumber,name,communityCode,education'];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String(((i >> 5) % 12) + 1).padStart(2, '0');
    lines.push(`${makeIdNumber('320508', `${1966 + (i % 30)}-${month}-${day}`, i % 1000, i % 2 ? 'male' : 'female')},张伟,320508024043,senior-secondary`);
  }
  await writeFile(file, lines.join('\n'));
  const started = performance.now();
  const summary = await importFile({ kind: 'seekers', file, baseUrl: `http://127.0.0.1:${port}`, token: svc.token(['seekers:write']), batchSize, progress: createProgress() });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ rows: summary.rows, statuses: summary.statuses, batchSize, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(summary.rows / seconds) })}\n`);
  await rm(dir, { recursive: true, force: true });
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
