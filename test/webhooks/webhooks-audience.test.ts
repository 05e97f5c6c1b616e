import t from 'tap';
import { recordEvent } from '@reemploy/messaging';
import { eventually } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { ALL, client, seeker as registration } from '../../services/registration/test/fixtures.ts';
import { bearer, deliver, seeker as seekerSnapshot, vacancy } from '../../services/matching/test/fixtures.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'a-shared-secret-of-the-subscriber';
/** 龙港苑社区 (姑苏区) is the subscriber's one community; 320505 (虎丘区) is elsewhere in the city. */
const MINE = '320508024043';
const ELSEWHERE = '320505001001';
const LOCAL_RECEIVERS = { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } };

/** What a receiver got: the path names the subscription. */
async function receiver(t: { teardown(fn: () => unknown): void }) {
  const hooks = await startReceiver(t);
  const bodies = (path?: string) =>
    hooks.received.filter((r) => !path || r.path === path).map((r) => JSON.parse(r.body) as { id: string; type: string; subject: string; data: Record<string, unknown> });
  return { ...hooks, bodies };
}

function reemployed(seekerId: string, communityCode: string) {
  return seekerSnapshot({ seekerId, communityCode, birthDate: '1975-03-12', status: 'employed', statusSince: '2026-12-01T02:00:00.000Z', hardshipCategories: ['OLDER_4050', 'MINIMUM_LIVELIHOOD'] });
}

function escalation(householdId: string, communityCode: string) {
  const at = new Date().toISOString();
  return { householdId, communityCode, streetCode: communityCode.slice(0, 9), zeroEmploymentSince: at, offerDeadline: at, escalatedAt: at, members: 3 };
}

t.test("registration: a one-community subscription receives its community's events only, with the least data", async (t) => {
  const hooks = await receiver(t);
  const svc = await buildRegistration(t, LOCAL_RECEIVERS);
  const workers = await svc.startWorkers();
  const community = { authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'], [MINE], { sub: 'community-office' })}` };
  const subscribe = (headers: Record<string, string>, eventTypes: string[], path = '/community') =>
    svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url: hooks.url(path), secret: SECRET, eventTypes } });

  const sub = await subscribe(community, ['seeker.re-employed', 'household.escalated']);
  t.equal(sub.statusCode, 201, sub.body);
  t.same(sub.json().regions, [MINE], 'the subscription keeps its owner’s regions');

  const noScope = await subscribe({ authorization: `Bearer ${svc.token(['webhooks:manage'], [MINE], { sub: 'no-read' })}` }, ['household.escalated']);
  t.equal(noScope.statusCode, 403, 'subscribing needs the scope that reads the data');
  t.match(noScope.json().detail, /household\.escalated.*seekers:read/, 'the refusal names the type and the scope');
  const base = await subscribe({ authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'], ['3205'], { sub: 'a-base', aidBase: crypto.randomUUID() })}` }, ['seeker.re-employed']);
  t.equal(base.statusCode, 403, "an assistance base's token gets nothing that does not name its base");
  t.equal((await svc.ctx.database.pool.query('select count(*)::int as n from webhook_subscriptions')).rows[0].n, 1, 'nothing stored for the refused ones');

  const mine = crypto.randomUUID();
  const theirs = crypto.randomUUID();
  const myHousehold = crypto.randomUUID();
  const theirHousehold = crypto.randomUUID();
  await svc.ctx.db.transaction().execute(async (trx) => {
    await recordEvent(trx, 'seeker.employment-changed', theirs, reemployed(theirs, ELSEWHERE));
    await recordEvent(trx, 'household.escalated', theirHousehold, escalation(theirHousehold, ELSEWHERE));
    await recordEvent(trx, 'seeker.employment-changed', mine, reemployed(mine, MINE));
    await recordEvent(trx, 'household.escalated', myHousehold, escalation(myHousehold, MINE));
  });
  await eventually(async () => (hooks.received.length >= 2 ? true : undefined), 15_000, 50);
  await workers.flushOutbox();
  await new Promise((r) => setTimeout(r, 300));
  t.same(hooks.bodies().map((b) => b.subject).sort(), [mine, myHousehold].sort(), 'only the events of its community; none of the rest of the city');

  const reemployedBody = hooks.bodies().find((b) => b.type === 'seeker.re-employed')!;
  t.same(reemployedBody.data, { seekerId: mine, communityCode: MINE, status: 'employed', since: '2026-12-01T02:00:00.000Z' }, 'ids, codes, the new status and its date');
  const escalated = hooks.bodies().find((b) => b.type === 'household.escalated')!;
  t.same(Object.keys(escalated.data).sort(), ['communityCode', 'escalatedAt', 'householdId', 'offerDeadline', 'streetCode']);
  for (const r of hooks.received) t.notMatch(r.body, /OLDER_4050|MINIMUM_LIVELIHOOD|hardship|1975-03-12|birthDate|gender|members/, 'no hardship, birth date or other personal data');
  const stored = (await svc.ctx.database.pool.query('select body from webhook_deliveries')).rows.map((r: { body: string }) => r.body);
  t.equal(stored.length, 2, 'no delivery recorded for the other community');
  for (const body of stored) t.notMatch(body, /OLDER_4050|MINIMUM_LIVELIHOOD|1975-03-12/, 'the stored body is as small as the one sent');

  // Through the API: the date is the one the change took effect, as registration published it.
  const api = client(svc, ALL, [MINE]);
  const person = await api.post('/v1/job-seekers', registration({ communityCode: MINE }));
  t.equal(person.statusCode, 201, person.body);
  const change = await api.post(`/v1/job-seekers/${person.json().id}/employment`, { status: 'employed', at: '2026-11-29T09:00:00+08:00', employerName: '人民商场' });
  t.equal(change.statusCode, 201, change.body);
  await eventually(async () => (hooks.received.length >= 3 ? true : undefined), 15_000, 50);
  t.same(hooks.bodies().at(-1)!.data, { seekerId: person.json().id, communityCode: MINE, status: 'employed', since: '2026-11-29T01:00:00.000Z' });
});

t.test('matching: referral outcomes reach the community and the base they concern; a run wider than the regions comes without figures', async (t) => {
  const hooks = await receiver(t);
  const svc = await buildMatching(t, LOCAL_RECEIVERS);
  const { ctx, app } = svc;
  const workers = await svc.startWorkers();
  const baseA = crypto.randomUUID();
  const baseB = crypto.randomUUID();
  const subscribe = async (path: string, regions: string[], eventTypes: string[], aidBase?: string) => {
    const headers = bearer(svc.token(['webhooks:manage', 'matching:read'], regions, { sub: `system-${path}`, ...(aidBase ? { aidBase } : {}) }));
    const res = await app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url: hooks.url(path), secret: SECRET, eventTypes } });
    t.equal(res.statusCode, 201, res.body);
  };
  await subscribe('/community', [MINE], ['referral.outcome', 'matching-run.completed']);
  await subscribe('/base-a', ['3205'], ['referral.outcome'], baseA);
  await subscribe('/base-b', ['3205'], ['referral.outcome'], baseB);
  const runOnly = await app.inject({
    method: 'POST',
    url: '/v1/webhooks/subscriptions',
    headers: bearer(svc.token(['webhooks:manage', 'seekers:read'], [MINE])),
    payload: { url: hooks.url('/x'), secret: SECRET, eventTypes: ['matching-run.completed'] },
  });
  t.equal(runOnly.statusCode, 403, 'runs need matching:read');

  const mine = seekerSnapshot({ communityCode: MINE, hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] });
  const theirs = seekerSnapshot({ communityCode: ELSEWHERE });
  await deliver(ctx, 'seeker.registered', mine);
  await deliver(ctx, 'seeker.registered', theirs);
  const reserved = vacancy({ source: 'aid-base' });
  const regular = vacancy({ communityCode: ELSEWHERE });
  await deliver(ctx, 'vacancy.created', reserved);
  await deliver(ctx, 'vacancy.created', regular);
  await deliver(ctx, 'reserved-post.changed', { reservedPostId: crypto.randomUUID(), aidBaseId: baseA, vacancyId: reserved.vacancyId, reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD'], quota: 1, filled: 0, status: 'active' });

  const city = bearer(svc.token(['referrals:write', 'matching:read'], ['3205']));
  const refer = async (seekerId: string, vacancyId: string) => {
    const res = await app.inject({ method: 'POST', url: '/v1/referrals', headers: city, payload: { seekerId, vacancyId, referredBy: '王主任' } });
    t.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const myReferral = await refer(mine.seekerId, reserved.vacancyId);
  const theirReferral = await refer(theirs.seekerId, regular.vacancyId);
  t.equal((await app.inject({ method: 'POST', url: `/v1/referrals/${theirReferral}/outcome`, headers: city, payload: { outcome: 'rejected', reason: 'failed-interview' } })).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: `/v1/referrals/${myReferral}/outcome`, headers: city, payload: { outcome: 'hired' } })).statusCode, 200);

  const runs = { whole: crypto.randomUUID(), district: crypto.randomUUID(), community: crypto.randomUUID(), elsewhere: crypto.randomUUID() };
  const finishedAt = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    for (const [id, regionCode] of [[runs.whole, null], [runs.district, '320508'], [runs.community, MINE], [runs.elsewhere, '320505']] as const) {
      await recordEvent(trx, 'matching-run.completed', id, { runId: id, regionCode, seekers: 20_000, vacancies: 10_000, recommendations: 400_000, finishedAt });
    }
  });
  await eventually(async () => (hooks.received.length >= 5 ? true : undefined), 15_000, 50);
  await workers.flushOutbox();
  await new Promise((r) => setTimeout(r, 300));

  const at = hooks.bodies;
  const outcomes = at('/community').filter((b) => b.type === 'referral.outcome');
  t.same(outcomes.map((b) => b.subject), [myReferral], "the community gets its seeker's outcome, not the other community's");
  t.same(outcomes[0]!.data, { referralId: myReferral, seekerId: mine.seekerId, vacancyId: reserved.vacancyId, communityCode: MINE, aidBaseId: baseA, outcome: 'hired', reason: null, at: outcomes[0]!.data.at });
  t.same(at('/base-a').map((b) => b.subject), [myReferral], 'base A gets the outcome of a referral to its reserved post');
  t.same(at('/base-b'), [], 'base B gets nothing');

  const runBodies = new Map(at('/community').filter((b) => b.type === 'matching-run.completed').map((b) => [b.subject, b.data]));
  t.same([...runBodies.keys()].sort(), [runs.whole, runs.district, runs.community].sort(), 'runs overlapping the community, not one of another district');
  t.same(runBodies.get(runs.whole), { runId: runs.whole, regionCode: null, finishedAt }, 'a whole-projection run is announced without the city-wide figures');
  t.same(runBodies.get(runs.district), { runId: runs.district, regionCode: '320508', finishedAt }, 'so is a run of the wider district');
  t.same(runBodies.get(runs.community), { runId: runs.community, regionCode: MINE, finishedAt, seekers: 20_000, vacancies: 10_000, recommendations: 400_000 }, "a run inside the community's regions comes with its figures");
});
