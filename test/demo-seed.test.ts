/**
 * What `pnpm start` does to empty services: a small demo city through the
 * four real services' APIs on loopback ports, their workers running
 * in-process and linked by one queue prefix, so that a newcomer sees real
 * matches at once. Services that hold seekers already are left alone.
 */
import t from 'tap';
import type pg from 'pg';
import { startLinkedServices } from './helper.ts';
import { SEED_SCOPES, seedDemoCity } from '../scripts/demo-seed.ts';

t.test('empty services get a demo city with households, vacancies, bases and a completed run; full ones are left alone', async (t) => {
  const { reg, match, baseUrls } = await startLinkedServices(t);
  const options = {
    baseUrls,
    token: reg.token(SEED_SCOPES, ['3205'], { sub: 'demo-city' }),
    seekers: 80,
    timeoutMs: 60_000,
    log: (line: string) => t.comment(line),
  };

  const result = await seedDemoCity(options);
  if ('skipped' in result) return t.fail(`skipped: ${result.skipped}`);
  t.equal(result.seekers, 80, 'every demo seeker registered');
  t.ok(result.households > 20 && result.households < 80, `in ${result.households} households`);
  t.equal(result.bases, 29, 'the 29 assistance bases');
  // The generator repeats a few posts at this size (same employer, occupation, community, title): duplicates, not collected.
  t.ok(result.vacancies >= 30, `${result.vacancies} of 40 vacancies collected`);
  t.ok(result.recommendations > 0, `the run recommended ${result.recommendations} posts`);

  const count = async (pool: pg.Pool, sql: string) => (await pool.query<{ n: number }>(sql)).rows[0]!.n;
  t.equal(await count(reg.ctx.database.pool, "select count(*)::int as n from households where hardship_categories <> '{}'") > 0, true, 'households carry derived hardship');
  t.equal(await count(match.ctx.database.pool, 'select count(*)::int as n from seekers'), 80, "matching's projection holds every seeker");
  const certified = await count(reg.ctx.database.pool, 'select count(*)::int as n from households where minimum_livelihood_certificate_enc is not null');
  t.ok(certified > 0, `${certified} households hold a minimum-livelihood certificate`);
  const uncovered = "select count(*)::int as n from job_seekers s join households h on h.id = s.household_id where h.minimum_livelihood_certificate_enc is not null and not 'MINIMUM_LIVELIHOOD' = any(s.hardship_categories)";
  t.equal(await count(reg.ctx.database.pool, uncovered), 0, 'every member of those holds MINIMUM_LIVELIHOOD');

  // A newcomer's first request: someone's matches, explained.
  const { rows } = await reg.ctx.database.pool.query<{ id: string }>('select id from job_seekers order by id');
  const hdr = { authorization: `Bearer ${reg.token(['matching:read'])}` };
  let explained = 0;
  const statuses = new Set<number>();
  for (const { id } of rows) {
    const res = await match.app.inject({ url: `/v1/job-seekers/${id}/matches?limit=3`, headers: hdr });
    statuses.add(res.statusCode);
    const items = (res.json().items ?? []) as { reasons: unknown[] }[];
    if (items.length && items.every((i) => i.reasons.length > 0)) explained += 1;
  }
  t.same([...statuses], [200], 'every seeker has matches to ask for');
  t.ok(explained > 40, `${explained} of 80 seekers have explained matches`);
  const recs = await match.app.inject({ url: `/v1/recommendations?communityCode=3205&limit=5`, headers: hdr });
  t.equal(recs.statusCode, 200, 'recommendations answered');
  t.ok(recs.json().items.length > 0, 'coordinators see the run’s lists');

  t.same(await seedDemoCity(options), { skipped: 'registration already holds seekers' }, 'a second start loads nothing');
  t.equal(await count(reg.ctx.database.pool, 'select count(*)::int as n from job_seekers'), 80);
});
