/**
 * Answer writing, compiled schema against zod: `pnpm exec tsx scripts/bench-serializers.ts`.
 *
 * Builds registration and matching on the test database with a small demo city, reads real answers of
 * the busiest routes, then times, in this one process and alternating, how long each answer takes to
 * write by the route's compiled response schema (what production does) and by zod's path (encode,
 * then JSON.stringify: how every answer was written before). Both must write the same bytes. Ratios
 * within one process hold on a busy machine where the load benchmark's latencies do not.
 */
import { performance } from 'node:perf_hooks';
import { createDemoCity } from '../packages/demo-city/src/index.ts';
import { responseWriter } from '@reemploy/http-kit/response-serializer';
import { buildTestService } from '@reemploy/runtime/testing';
import { z } from 'zod';
import { registration } from '../services/registration/src/definition.ts';
import { matching } from '../services/matching/src/definition.ts';
import { jobSeekerPage, jobSeekerView } from '../services/registration/src/job-seekers/schemas.ts';
import { serviceRecordView } from '../services/registration/src/service-records/schemas.ts';
import { candidatesView, matchesView } from '../services/matching/src/matches/schemas.ts';
import { loadCity } from '../services/matching/bench/load.ts';

const afters: (() => unknown)[] = [];
const t = { after: (fn: () => unknown) => void afters.push(fn) };
try {
  const reg = await buildTestService(t, registration);
  const headers = { authorization: `Bearer ${reg.token(['seekers:read', 'seekers:write', 'pii:read'])}` };
  const city = createDemoCity({ seekers: 300, vacancies: 100, seed: 'bench-serializers', at: new Date() });
  const lines = [...city.seekers()].map((s) => {
    const { relationship: _relationship, ...row } = s.registration;
    return JSON.stringify(row);
  });
  await reg.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: `${lines.join('\n')}\n` });
  const get = async (app: typeof reg.app, url: string, h: Record<string, string>) => {
    const res = await app.inject({ url, headers: h });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json() as Record<string, unknown>;
  };
  const page = await get(reg.app, '/v1/job-seekers?limit=50', headers);
  const seekerId = (page.items as { id: string }[])[0]!.id;
  const record = await reg.app.inject({
    method: 'POST', url: `/v1/job-seekers/${seekerId}/service-records`, headers,
    payload: { kind: 'visit', at: new Date(Date.now() - 60_000).toISOString(), coordinatorId: 'bench', note: '走访' },
  });

  const mat = await buildTestService(t, matching, { env: { MATCHER_REFRESH_MS: '0' } });
  await loadCity(mat.ctx.database.pool, { seekers: 3000, vacancies: 1500, seed: 'bench-serializers' });
  const { rows } = await mat.ctx.database.pool.query<{ seeker_id: string; vacancy_id: string }>(
    "select (select seeker_id from seekers where status = 'unemployed' order by seeker_id limit 1) as seeker_id, (select vacancy_id from vacancies where status = 'open' order by vacancy_id limit 1) as vacancy_id",
  );
  const mheaders = { authorization: `Bearer ${mat.token(['matching:read'])}` };

  const answers: [string, z.ZodType, unknown][] = [
    ['GET /v1/job-seekers?limit=50 (pii:read)', jobSeekerPage, page],
    ['GET /v1/job-seekers/{id} (pii:read)', jobSeekerView, await get(reg.app, `/v1/job-seekers/${seekerId}`, headers)],
    ['POST /v1/job-seekers/{id}/service-records', serviceRecordView, record.json()],
    ['GET /v1/job-seekers/{id}/matches?limit=20', matchesView, await get(mat.app, `/v1/job-seekers/${rows[0]!.seeker_id}/matches?limit=20`, mheaders)],
    ['GET /v1/vacancies/{id}/candidates?limit=20', candidatesView, await get(mat.app, `/v1/vacancies/${rows[0]!.vacancy_id}/candidates?limit=20`, mheaders)],
  ];
  const route = { method: 'GET', url: '/bench', httpStatus: '200' };
  // fastify-type-provider-zod's serializer: encode, then JSON.stringify.
  const zodPath = (schema: z.ZodType) => (data: unknown) => JSON.stringify(z.encode(schema, data as never));
  const figures = [];
  for (const [name, schema, data] of answers) {
    const compiled = responseWriter(schema, route, false).write;
    const zod = zodPath(schema);
    if (compiled(data) !== zod(data)) throw new Error(`${name}: the writers differ`);
    const time = (write: (d: unknown) => string, n: number) => {
      const started = performance.now();
      for (let i = 0; i < n; i++) write(data);
      return ((performance.now() - started) * 1000) / n;
    };
    // Many short alternating rounds, each figure their median: a busy machine slows some rounds, not one writer.
    const n = Math.max(50, Math.round(500_000 / zod(data).length));
    time(compiled, n * 4);
    time(zod, n * 4);
    const c: number[] = [];
    const s: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 31; round++) {
      c.push(time(compiled, n));
      s.push(time(zod, n));
      ratios.push(s[round]! / c[round]!);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[15]!;
    figures.push({ answer: name, bytes: zod(data).length, zodMicroseconds: Math.round(median(s)), compiledMicroseconds: Math.round(median(c)), times: Math.round(median(ratios) * 10) / 10 });
  }
  process.stdout.write(`${figures.map((f) => JSON.stringify(f)).join('\n')}\n`);
} finally {
  for (const fn of afters.reverse()) await fn();
}
process.exit(0);
