/**
 * The example integration (packages/client/examples/integration.ts) through
 * the generated client against the four real services on loopback ports,
 * their workers running in-process over the real Postgres and Redis, linked by
 * one queue prefix: events flow between them as in production.
 */
import t from 'tap';
import { buildTestService, testQueuePrefix, type TestService } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';
import { exampleIntegration } from '../packages/client/examples/integration.ts';

const SCOPES = ['seekers:read', 'seekers:write', 'employers:write', 'vacancies:read', 'vacancies:write', 'matching:read', 'matching:run', 'referrals:write'];

async function listening(svc: TestService<never, never>): Promise<string> {
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(svc.app.server.address() as { port: number }).port}`;
}

t.test('register, collect a vacancy, match, refer, hire: the household categories change', async (t) => {
  const queuePrefix = testQueuePrefix();
  const [reg, jobs, match, bases] = await Promise.all([
    buildTestService(t, registration, { queuePrefix }),
    buildTestService(t, jobPostings, { queuePrefix }),
    buildTestService(t, matching, { queuePrefix, env: { MATCHER_REFRESH_MS: '0', MATCHING_PARTITION_SIZE: '100' } }),
    buildTestService(t, assistanceBases, { queuePrefix }),
  ]);
  const services = [reg, jobs, match, bases] as unknown as TestService<never, never>[];
  for (const svc of services) await svc.startWorkers();
  const [registrationUrl, jobPostingsUrl, matchingUrl, assistanceBasesUrl] = await Promise.all(services.map(listening));

  const lines: string[] = [];
  const started = Date.now();
  const result = await exampleIntegration({
    baseUrls: { registration: registrationUrl!, jobPostings: jobPostingsUrl!, matching: matchingUrl!, assistanceBases: assistanceBasesUrl! },
    token: reg.token(SCOPES, ['3205'], { sub: 'example-integrator' }),
    log: (line) => lines.push(line),
    timeoutMs: 25_000,
  });
  t.comment(`example integration took ${Date.now() - started} ms`);
  for (const line of lines) t.comment(line);

  t.same([...result.categoriesBefore].sort(), ['DUAL_LAID_OFF', 'DUAL_UNEMPLOYED', 'ZERO_EMPLOYMENT_HOUSEHOLD'], 'two unemployed spouses: a dual-unemployed, zero-employment household');
  t.same(result.categoriesAfter, [], 'after the hire: neither dual-unemployed nor zero-employment');
  t.ok(result.match.score > 0 && result.match.score <= 1, `the run scored the vacancy ${result.match.score}`);
  t.ok(result.match.reasons.length > 0, 'with reasons');

  // What the example did is what the services hold.
  const hdr = { authorization: `Bearer ${reg.token(['seekers:read', 'matching:read'])}` };
  const head = (await reg.app.inject({ url: `/v1/job-seekers/${result.seekerIds[0]}`, headers: hdr })).json();
  t.equal(head.status, 'employed', 'the hired spouse is employed in registration');
  const spouse = (await reg.app.inject({ url: `/v1/job-seekers/${result.seekerIds[1]}`, headers: hdr })).json();
  t.equal(spouse.status, 'unemployed', 'the other is still looking');
  const referral = (await match.app.inject({ url: `/v1/referrals/${result.referralId}`, headers: hdr })).json();
  t.match(referral, { seekerId: result.seekerIds[0], vacancyId: result.vacancyId, status: 'hired' });
  const run = (await match.app.inject({ url: `/v1/matching-runs/${result.runId}`, headers: hdr })).json();
  t.equal(run.status, 'completed');
  const { rows } = await jobs.ctx.database.pool.query('select headcount_left from vacancies where id = $1', [result.vacancyId]);
  t.same(rows, [{ headcount_left: 0 }], 'job postings counted the hire against the vacancy');
});
