/**
 * Times the city summary, the monthly ledger and the dashboard over a report-sized city:
 * 138 applicant communities in 3 districts, 100 registered unemployed each, all four services recorded.
 * Run: pnpm exec tsx services/registration/bench/assessment.ts
 */
import { performance } from 'node:perf_hooks';
import { build } from '../test/helper.ts';
import { addCohort, serveCommunity } from '../test/assessment/fixtures.ts';

const cleanups: (() => unknown)[] = [];
const svc = await build({ after: (fn) => cleanups.push(fn) });
try {
  const codes: string[] = [];
  for (let i = 0; i < 138; i += 1) codes.push(`${['320505', '320506', '320508'][i % 3]}${String(1 + (i % 7)).padStart(3, '0')}${String(i).padStart(3, '0')}`);
  const seeding = performance.now();
  for (const [i, code] of codes.entries()) {
    await addCohort(svc.ctx, code, 100, i < 100 ? 85 : 60);
    await serveCommunity(svc.ctx, code);
  }
  console.log(`seeded ${codes.length * 100} seekers in ${Math.round(performance.now() - seeding)} ms`);
  const headers = { authorization: `Bearer ${svc.token(['assessment:read', 'assessment:write'])}` };
  await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers, payload: { period: '2025-12', communityCodes: codes } });
  for (const [label, url] of [
    ['city summary (first, stores 138 assessments)', '/v1/assessments?period=2025-12&regionCode=3205'],
    ['city summary (again)', '/v1/assessments?period=2025-12&regionCode=3205'],
    ['one community', `/v1/assessments/communities/${codes[0]}?period=2025-12`],
    ['monthly ledger json', '/v1/ledgers/monthly?period=2025-12&regionCode=3205'],
    ['monthly ledger xlsx', '/v1/ledgers/monthly?period=2025-12&regionCode=3205&format=xlsx'],
    ['dashboard figures', '/v1/dashboard?period=2025-12&regionCode=3205'],
    ['annual report', '/v1/reports/annual?year=2025&regionCode=3205'],
  ] as const) {
    const start = performance.now();
    const res = await svc.app.inject({ method: 'GET', url, headers });
    const ms = Math.round(performance.now() - start);
    const extra = url.startsWith('/v1/assessments?') ? ` passed ${res.json().passed}/${res.json().assessed} = ${res.json().passRate}` : '';
    console.log(`${label}: ${res.statusCode} in ${ms} ms${extra}`);
  }
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
