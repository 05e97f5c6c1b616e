import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { eventually } from '@reemploy/runtime/testing';
import { auth, basePayload, count, READ, reserve, reservedPostEvents, setup, vacancySnapshot, WRITE } from './support.ts';

t.test('reserves an open vacancy known from job-postings events, and publishes the post', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const vacancy = vacancySnapshot({ headcount: 3, headcountLeft: 3 });
  await events.send('vacancy.created', vacancy);

  const res = await reserve(svc, city, base.id, { vacancyId: vacancy.vacancyId, reservedFor: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD', 'OLDER_4050'], quota: 3 });
  t.equal(res.statusCode, 201, res.body);
  const post = res.json();
  t.match(post, { aidBaseId: base.id, vacancyId: vacancy.vacancyId, quota: 3, filled: 0, remaining: 3, status: 'active' });
  t.same(post.reservedFor, ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD']);
  t.match(post.vacancy, { title: '营业员', headcount: 3, headcountLeft: 3, status: 'open' });
  t.equal(res.headers.location, `/v1/aid-bases/${base.id}/reserved-posts/${post.id}`);
  t.same(await reservedPostEvents(svc), [
    { reservedPostId: post.id, aidBaseId: base.id, vacancyId: vacancy.vacancyId, reservedFor: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD'], quota: 3, filled: 0, status: 'active' },
  ]);

  // The relay carries it to matching's and job-postings' queues.
  const matchingQueue = new Queue(queueNames.events('matching'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => matchingQueue.close());
  const jobs = await eventually(async () => {
    const waiting = await matchingQueue.getJobs(['waiting', 'prioritized', 'delayed']);
    return waiting.length ? waiting : undefined;
  }, 15_000);
  t.equal(jobs[0]!.name, 'reserved-post.changed');
  t.equal(jobs[0]!.data.payload.reservedPostId, post.id);

  const detail = await svc.app.inject({ url: `/v1/aid-bases/${base.id}`, headers: city });
  t.same(detail.json().posts.map((p: { id: string }) => p.id), [post.id]);
  t.match(detail.json().reservedPosts, { active: 1, quota: 3, placed: 0 });
});

t.test('each rejected reservation is a problem naming the field, and stores and publishes nothing', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const open = vacancySnapshot({ headcount: 4, headcountLeft: 2 });
  const closed = vacancySnapshot({ status: 'closed' });
  const expired = vacancySnapshot({ status: 'expired' });
  const lapsed = vacancySnapshot({ validUntil: new Date(Date.now() - 60_000).toISOString() });
  const filled = vacancySnapshot({ status: 'filled', headcountLeft: 0 });
  for (const v of [open, closed, expired, lapsed, filled]) await events.send('vacancy.created', v);

  const cases: [Record<string, unknown>, number, string][] = [
    [{ vacancyId: crypto.randomUUID(), reservedFor: ['DISABLED'], quota: 1 }, 422, 'body.vacancyId'],
    [{ vacancyId: closed.vacancyId, reservedFor: ['DISABLED'], quota: 1 }, 422, 'body.vacancyId'],
    [{ vacancyId: expired.vacancyId, reservedFor: ['DISABLED'], quota: 1 }, 422, 'body.vacancyId'],
    [{ vacancyId: lapsed.vacancyId, reservedFor: ['DISABLED'], quota: 1 }, 422, 'body.vacancyId'],
    [{ vacancyId: filled.vacancyId, reservedFor: ['DISABLED'], quota: 1 }, 422, 'body.vacancyId'],
    [{ vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 0 }, 400, 'body.quota'],
    [{ vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 1.5 }, 400, 'body.quota'],
    [{ vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 3 }, 400, 'body.quota'],
    [{ vacancyId: open.vacancyId, reservedFor: [], quota: 1 }, 400, 'body.reservedFor'],
    [{ vacancyId: open.vacancyId, reservedFor: ['POOR'], quota: 1 }, 400, 'body.reservedFor.0'],
    [{ vacancyId: open.vacancyId, quota: 1 }, 400, 'body.reservedFor'],
    [{ vacancyId: 'v-1', reservedFor: ['DISABLED'], quota: 1 }, 400, 'body.vacancyId'],
    [{ vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 1, filled: 1 }, 400, 'body.filled'],
  ];
  for (const [payload, status, field] of cases) {
    const res = await reserve(svc, city, base.id, payload);
    t.equal(res.statusCode, status, `${JSON.stringify(payload)} → ${res.body}`);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.ok(res.json().errors?.some((e: { field: string }) => e.field === field), `names ${field}: ${res.body}`);
  }
  const noBase = await reserve(svc, city, crypto.randomUUID(), { vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 1 });
  t.equal(noBase.statusCode, 404, 'an unknown base');
  t.equal(await count(svc, 'reserved_posts'), 0);
  t.equal(await count(svc, 'outbox'), 0);

  const ok = await reserve(svc, city, base.id, { vacancyId: open.vacancyId, reservedFor: ['DISABLED'], quota: 2 });
  t.equal(ok.statusCode, 201, 'the remaining headcount itself is allowed');
  const other = (await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload({ name: '长发商厦' }) })).json();
  for (const baseId of [base.id, other.id]) {
    const again = await reserve(svc, city, baseId, { vacancyId: open.vacancyId, reservedFor: ['OLDER_4050'], quota: 1 });
    t.equal(again.statusCode, 409);
    t.equal(again.json().existingId, ok.json().id);
    t.equal(again.json().errors[0].field, 'body.vacancyId');
  }
  t.equal(await count(svc, 'reserved_posts'), 1);
  t.equal((await reservedPostEvents(svc)).length, 1);
});

t.test('an older vacancy snapshot arriving late changes nothing', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot({ headcount: 5, headcountLeft: 5 });
  await events.send('vacancy.created', v, { seq: 10 });
  await events.send('vacancy.updated', { ...v, headcountLeft: 2 }, { seq: 12 });
  await events.send('vacancy.closed', { ...v, status: 'closed' }, { seq: 11 });
  const tooMany = await reserve(svc, city, base.id, { vacancyId: v.vacancyId, reservedFor: ['DISABLED'], quota: 3 });
  t.equal(tooMany.statusCode, 400);
  t.match(tooMany.json().detail, /2 of 5/);
  const ok = await reserve(svc, city, base.id, { vacancyId: v.vacancyId, reservedFor: ['DISABLED'], quota: 2 });
  t.equal(ok.statusCode, 201, 'still open: the stale close was ignored');
  await events.send('vacancy.closed', { ...v, headcountLeft: 2, status: 'closed' }, { seq: 13 });
  const read = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts/${ok.json().id}`, headers: city });
  t.equal(read.json().vacancy.status, 'closed', 'a newer close is applied');
});

t.test('a vacancy outside the caller regions is refused exactly as an unknown one, and nothing of it is shown', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const elsewhere = vacancySnapshot({ communityCode: '320506001001', title: '吴中区仓管员' });
  await events.send('vacancy.created', elsewhere);
  const district = auth(svc.token([READ, WRITE], ['320508']));
  const comparable = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });

  const unknown = await reserve(svc, district, base.id, { vacancyId: crypto.randomUUID(), reservedFor: ['DISABLED'], quota: 1 });
  const outside = await reserve(svc, district, base.id, { vacancyId: elsewhere.vacancyId, reservedFor: ['DISABLED'], quota: 1 });
  t.equal(outside.statusCode, 422, outside.body);
  t.equal(outside.json().code, 'unknown-vacancy');
  t.equal(outside.json().errors?.[0]?.field, 'body.vacancyId');
  t.same(comparable(outside.json()), comparable(unknown.json()), 'the same answer as a vacancy that does not exist');
  t.notMatch(outside.body, /吴中区|320506/, 'nothing of the vacancy is echoed');
  t.equal(await count(svc, 'reserved_posts'), 0);
  t.equal(await count(svc, 'outbox'), 0);

  const ok = await reserve(svc, city, base.id, { vacancyId: elsewhere.vacancyId, reservedFor: ['DISABLED'], quota: 1 });
  t.equal(ok.statusCode, 201, 'a caller whose regions hold it may reserve it');
});
