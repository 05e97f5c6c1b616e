/**
 * Load on the figures the bureau reads: the 29 demo bases, each with reserved
 * posts and placements, listed and read through HTTP on the real Postgres.
 * Run: pnpm --filter @reemploy/assistance-bases bench
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { applyEvent } from '@reemploy/messaging';
import { buildTestService } from '@reemploy/runtime/testing';
import { seedDemoBases } from '../src/bases/demo.ts';
import { assistanceBases } from '../src/definition.ts';
import { eventHandlers } from '../src/events/handlers.ts';
import { hirePayload, vacancySnapshot } from '../test/support.ts';

const POSTS_PER_BASE = 10;
const HIRES_PER_POST = 8;

const teardown: (() => unknown)[] = [];
const svc = await buildTestService({ after: (fn) => teardown.push(fn) }, assistanceBases, { env: { RATE_LIMIT_PER_MINUTE: '10000000' } });
try {
  await seedDemoBases(svc.ctx.db);
  const bases = await svc.ctx.db.selectFrom('aid_bases').select('id').execute();
  const handlers = eventHandlers();
  let seq = 0;
  const deliver = (type: string, payload: unknown) =>
    applyEvent(svc.ctx.db, handlers, { id: randomUUID(), type, version: 1, producer: 'job-postings', seq: ++seq, subject: type, occurredAt: new Date().toISOString(), payload });
  const token = svc.token(['aid-bases:read', 'aid-bases:write']);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const categories = ['OLDER_4050', 'DISABLED', 'ZERO_EMPLOYMENT_HOUSEHOLD'] as const;
  for (const base of bases) {
    for (let p = 0; p < POSTS_PER_BASE; p++) {
      const v = vacancySnapshot({ headcount: 20, headcountLeft: 20 });
      await deliver('vacancy.created', v);
      await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${base.id}/reserved-posts`, headers, payload: { vacancyId: v.vacancyId, reservedFor: [...categories], quota: 10 } });
      for (let h = 0; h < HIRES_PER_POST; h++) {
        const at = new Date(Date.UTC(2026, h % 12, 10)).toISOString();
        await deliver('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: [categories[h % 3]!, categories[(h + 1) % 3]!], at }));
      }
    }
  }
  const address = await svc.app.listen({ host: '127.0.0.1', port: 0 });
  for (const [title, path] of [
    ['GET /v1/aid-bases?limit=50 (29 bases with figures)', '/v1/aid-bases?limit=50'],
    ['GET /v1/aid-bases?sort=placements', '/v1/aid-bases?sort=placements&limit=50'],
    ['GET /v1/aid-bases/{id} (with its posts)', `/v1/aid-bases/${bases[0]!.id}`],
  ] as const) {
    const result = await autocannon({ url: `${address}${path}`, headers, connections: 10, duration: 5 });
    process.stdout.write(`${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}\n`);
  }
  process.stdout.write(`data: ${bases.length} bases, ${bases.length * POSTS_PER_BASE} reserved posts, ${bases.length * POSTS_PER_BASE * HIRES_PER_POST} placements\n`);
} finally {
  for (const fn of teardown) await fn();
}
