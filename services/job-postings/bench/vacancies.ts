import type { InjectOptions } from 'fastify';
/**
 * Latency of the vacancy routes over a seeded city: N open vacancies (default 20,000) of one
 * employer across 50 communities and every taxonomy occupation, then sequential requests
 * through the app (no network). Run: pnpm exec tsx services/job-postings/bench/vacancies.ts [N]
 */
import { performance } from 'node:perf_hooks';
import { makeCreditCode } from '@reemploy/domain/credit-code';
import { buildTestService } from '@reemploy/runtime/testing';
import { occupations } from '@reemploy/taxonomy';
import { jobPostings } from '../src/definition.ts';

const N = Number(process.argv[2] ?? 20_000);
const cleanups: (() => unknown)[] = [];
const svc = await buildTestService({ after: (fn) => cleanups.push(fn) }, jobPostings, { env: { MAX_EVENT_LOOP_DELAY_MS: '60000', RATE_LIMIT_PER_MINUTE: '1000000' } });
const headers = { authorization: `Bearer ${svc.token(['vacancies:read', 'vacancies:write', 'employers:write'], ['3205'])}` };

try {
  const employer = await svc.app.inject({
    method: 'POST',
    url: '/v1/employers',
    headers,
    payload: { name: '基准测试公司', creditCode: makeCreditCode('91320508MA1BENCH0'), communityCode: '320508024043' },
  });
  if (employer.statusCode !== 201) throw new Error(employer.body);
  const employerId = employer.json().id as string;
  const seedStart = performance.now();
  await svc.ctx.database.pool.query(
    `insert into vacancies (id, employer_id, title, title_normalised, occupation_code, skills, min_age, max_age, education_min,
       wage_min, wage_max, headcount, headcount_left, community_code, kind, source, sources, reserved_for, valid_until, status, created_by, created_at)
     select gen_random_uuid(), $1, t.title || i, t.title || i, t.code, t.skills, 18, 60, 'none', 3000 + i % 2000, 5000 + i % 2000, 2, 2,
       '3205080240' || lpad((i % 50)::text, 2, '0'), 'regular', 'coordinator', '{coordinator}', '{}', now() + interval '30 days', 'open', 'bench',
       now() - (i || ' seconds')::interval
     from generate_series(1, $2::int) i
     join lateral (select ($3::text[])[1 + i % $5] as title, ($4::text[])[1 + i % $5] as code, array['S010-01','S018-05']::text[] as skills) t on true`,
    [employerId, N, occupations.map((o) => o.nameZh), occupations.map((o) => o.code), occupations.length],
  );
  await svc.ctx.database.pool.query('analyze vacancies');
  console.log(`seeded ${N} vacancies in ${Math.round(performance.now() - seedStart)} ms`);

  const { rows } = await svc.ctx.database.pool.query('select id from vacancies order by random() limit 200');
  const cases: [string, (i: number) => InjectOptions][] = [
    ['list newest 50', () => ({ url: '/v1/vacancies?limit=50', headers })],
    ['list occupation group 4-07', () => ({ url: '/v1/vacancies?occupation=4-07&limit=50', headers })],
    ['list community 320508024007', () => ({ url: '/v1/vacancies?region=320508024007&limit=50', headers })],
    ['list q=保安 (substring)', () => ({ url: `/v1/vacancies?q=${encodeURIComponent('保安')}&limit=50`, headers })],
    ['list q=监控值班 (trigram)', () => ({ url: `/v1/vacancies?q=${encodeURIComponent('监控值班')}&limit=50`, headers })],
    ['get one with near duplicates', (i) => ({ url: `/v1/vacancies/${rows[i % rows.length]!.id}`, headers })],
    [
      'create',
      (i) => ({
        method: 'POST',
        url: '/v1/vacancies',
        headers,
        payload: {
          employerId,
          title: `基准岗位${i}`,
          occupationCode: '4-07-01',
          wageMin: 3000,
          wageMax: 4000,
          headcount: 1,
          communityCode: '320508024043',
          kind: 'regular',
          source: 'coordinator',
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
    ],
  ];
  for (const [name, request] of cases) {
    for (let i = 0; i < 10; i++) await svc.app.inject(request(1000 + i)); // warm up
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      const res = await svc.app.inject(request(i));
      times.push(performance.now() - start);
      if (res.statusCode >= 300) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(1);
    console.log(`${name.padEnd(32)} p50 ${p(0.5)} ms  p95 ${p(0.95)} ms`);
  }

  const lines = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({ employerId, title: `导入岗位${i}`, occupationCode: '4-09-01', wageMin: 2600, wageMax: 3000, headcount: 1, communityCode: '320508024043', kind: 'regular', source: 'employer', validUntil: new Date(Date.now() + 86_400_000).toISOString() }),
  ).join('\n');
  const importStart = performance.now();
  const imported = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: lines });
  const ms = performance.now() - importStart;
  console.log(`import 1000 NDJSON rows: ${Math.round(ms)} ms (${Math.round(1000 / (ms / 1000))} rows/s), created ${imported.json().created}`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
