/**
 * Imports 100,000 generated job seekers through POST /v1/job-seekers/import
 * (the real route, Postgres and Redis, a throw-away schema) and prints rows
 * per second, first for new rows and then for the identical re-upload (after a
 * small warm-up import that starts the preparing worker threads).
 *   pnpm --filter @reemploy/registration bench:import [rows]
 */
import { readFile } from 'node:fs/promises';
import { makeIdNumber } from '@reemploy/domain';
import { buildTestService } from '@reemploy/runtime/testing';
import { registration } from '../src/definition.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const WARM_UP = 2000;
const cleanups: (() => unknown)[] = [];
const svc = await buildTestService({ after: (fn) => cleanups.push(fn) }, registration);

try {
  const { rows } = await svc.ctx.database.pool.query<{ code: string }>("select code from regions where level = 'community' order by code");
  const communities = rows.map((r) => r.code);
  const educations = ['junior-secondary', 'senior-secondary', 'vocational', 'college'];
  const lines: string[] = [];
  for (let i = 0; i < ROWS + WARM_UP; i++) {
    // Unique numbers: one birth date per thousand rows, the sequence within it; gender follows the sequence.
    const birth = new Date(Date.UTC(1966, 0, 1) + Math.floor(i / 1000) * 97 * 86_400_000).toISOString().slice(0, 10);
    const seq = i % 1000;
    const community = communities[i % communities.length]!;
    lines.push(
      JSON.stringify({
        idNumber: makeIdNumber('320508', birth, seq, seq % 2 ? 'male' : 'female'),
        name: `居民${i}`,
        phone: `139${String(i).padStart(8, '0')}`,
        communityCode: community,
        education: educations[i % educations.length],
        skills: [`S0${10 + (i % 20)}-0${(i % 5) + 1}`],
        desiredOccupations: ['4-03-01'],
        expectedMonthlyWage: 3000 + (i % 20) * 100,
        unemployedSince: '2025-03-01',
      }),
    );
  }
  // The first large import starts the preparing worker threads (once per process): a small warm-up
  // file of other people (above the in-place limit) pays for that, so the figures are those of a running service.
  const bodies: [string, string][] = [
    ['warm-up (other people)', lines.slice(ROWS).join('\n')],
    ['new rows', lines.slice(0, ROWS).join('\n')],
    ['re-upload (unchanged)', lines.slice(0, ROWS).join('\n')],
  ];
  const token = svc.token(['seekers:write']);
  // CPU seconds of this process (all its threads) and of its Postgres backends:
  // on a shared machine these say more than the wall time alone.
  const backendCpu = async () => {
    const out = new Map<number, number>();
    for (const c of (svc.ctx.database.pool as unknown as { _clients: { processID?: number }[] })._clients) {
      if (!c.processID) continue;
      try {
        const fields = (await readFile(`/proc/${c.processID}/stat`, 'utf8')).split(') ')[1]!.split(' ');
        out.set(c.processID, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        /* another machine's Postgres: not measured */
      }
    }
    return out;
  };
  for (const [label, body] of bodies) {
    const cpu0 = process.cpuUsage();
    const pg0 = await backendCpu();
    const started = process.hrtime.bigint();
    const res = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: body });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 500)}`);
    const r = res.json() as { rows: number; created: number; updated: number; unchanged: number; failed: number };
    const cpu = process.cpuUsage(cpu0);
    let postgres = 0;
    for (const [pid, t] of await backendCpu()) postgres += t - (pg0.get(pid) ?? 0);
    process.stdout.write(
      `${label}: ${r.rows} rows (${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.failed} failed) in ${seconds.toFixed(2)} s = ${Math.round(r.rows / seconds)} rows/s` +
        ` [CPU s: node ${((cpu.user + cpu.system) / 1e6).toFixed(1)}, Postgres ${postgres.toFixed(1)}; µs/row: node ${Math.round((cpu.user + cpu.system) / r.rows)}, Postgres ${Math.round((postgres * 1e6) / r.rows)}]\n`,
    );
  }
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
