/**
 * The example integration (packages/client/examples/integration.ts) through
 * the generated client against the four real services on loopback ports,
 * their workers running in-process over the real Postgres and Redis, linked by
 * one queue prefix: events flow between them as in production.
 */
import t from 'tap';
import { startLinkedServices } from '../helper.ts';
import { exampleIntegration } from '../../packages/client/examples/integration.ts';

const SCOPES = ['seekers:read', 'seekers:write', 'employers:write', 'vacancies:read', 'vacancies:write', 'matching:read', 'matching:run', 'referrals:write'];

t.test('register, collect a vacancy, match, refer, hire: the household categories change', async (t) => {
  const { reg, jobs, match, baseUrls } = await startLinkedServices(t);

  const lines: string[] = [];
  const started = Date.now();
  const result = await exampleIntegration({
    baseUrls,
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
