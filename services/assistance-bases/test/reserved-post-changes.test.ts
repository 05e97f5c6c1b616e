import t from 'tap';
import { auth, basePayload, count, READ, reserve, reservedPostEvents, setup, vacancySnapshot, WRITE } from './support.ts';

t.test('changing and withdrawing a post need If-Match and publish each change', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot({ headcount: 4, headcountLeft: 4 });
  await events.send('vacancy.created', v);
  const created = await reserve(svc, city, base.id, { vacancyId: v.vacancyId, reservedFor: ['DISABLED'], quota: 2 });
  const url = `/v1/aid-bases/${base.id}/reserved-posts/${created.json().id}`;

  t.equal((await svc.app.inject({ method: 'PATCH', url, headers: city, payload: { quota: 3 } })).statusCode, 428);
  const tooBig = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': created.headers.etag as string }, payload: { quota: 5 } });
  t.equal(tooBig.statusCode, 400);
  t.equal(tooBig.json().errors[0].field, 'body.quota');
  const changed = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': created.headers.etag as string }, payload: { quota: 4, reservedFor: ['DISABLED', 'SINGLE_PARENT'] } });
  t.equal(changed.statusCode, 200, changed.body);
  t.match(changed.json(), { quota: 4, reservedFor: ['DISABLED', 'SINGLE_PARENT'] });
  const stale = await svc.app.inject({ method: 'POST', url: `${url}/withdraw`, headers: { ...city, 'if-match': created.headers.etag as string }, payload: {} });
  t.equal(stale.statusCode, 412);
  const withdrawn = await svc.app.inject({ method: 'POST', url: `${url}/withdraw`, headers: { ...city, 'if-match': changed.headers.etag as string }, payload: { reason: '岗位调整' } });
  t.equal(withdrawn.statusCode, 200, withdrawn.body);
  t.match(withdrawn.json(), { status: 'withdrawn', withdrawnReason: '岗位调整', remaining: 0 });
  const patchWithdrawn = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': withdrawn.headers.etag as string }, payload: { quota: 1 } });
  t.equal(patchWithdrawn.statusCode, 409);

  t.same((await reservedPostEvents(svc)).map((e) => [e.quota, e.status]), [[2, 'active'], [4, 'active'], [4, 'withdrawn']]);
  const again = await reserve(svc, city, base.id, { vacancyId: v.vacancyId, reservedFor: ['OLDER_4050'], quota: 1 });
  t.equal(again.statusCode, 201, 'a withdrawn post frees the vacancy');

  const list = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts?limit=1`, headers: city });
  t.equal(list.json().items[0].id, again.json().id, 'newest first');
  const next = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts?limit=1&cursor=${list.json().nextCursor}`, headers: city });
  t.equal(next.json().items[0].id, created.json().id);
  t.equal(next.json().nextCursor, null);
  const onlyWithdrawn = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts?status=withdrawn`, headers: city });
  t.same(onlyWithdrawn.json().items.map((p: { id: string }) => p.id), [created.json().id]);
});

t.test("a base's token sees and changes only its own posts", async (t) => {
  const { svc, events, city, base } = await setup(t);
  const other = (await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload({ name: '长发商厦' }) })).json();
  const [v1, v2, v3] = [vacancySnapshot(), vacancySnapshot(), vacancySnapshot()];
  for (const v of [v1, v2, v3]) await events.send('vacancy.created', v);
  const theirs = (await reserve(svc, city, other.id, { vacancyId: v1.vacancyId, reservedFor: ['DISABLED'], quota: 1 })).json();
  const own = auth(svc.token([READ, WRITE], ['3205'], { aidBase: base.id }));

  const mine = await reserve(svc, own, base.id, { vacancyId: v2.vacancyId, reservedFor: ['DISABLED'], quota: 1 });
  t.equal(mine.statusCode, 201, 'a base reserves for itself');
  t.equal((await reserve(svc, own, other.id, { vacancyId: v3.vacancyId, reservedFor: ['DISABLED'], quota: 1 })).statusCode, 404);
  t.equal((await svc.app.inject({ url: `/v1/aid-bases/${other.id}/reserved-posts`, headers: own })).statusCode, 404);
  t.equal((await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts/${theirs.id}`, headers: own })).statusCode, 404, "another base's post under my path");
  const withdrawTheirs = await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${other.id}/reserved-posts/${theirs.id}/withdraw`, headers: { ...own, 'if-match': '*' }, payload: {} });
  t.equal(withdrawTheirs.statusCode, 404);
  const ownList = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts`, headers: own });
  t.same(ownList.json().items.map((p: { id: string }) => p.id), [mine.json().id]);
  const cityList = await svc.app.inject({ url: `/v1/aid-bases/${other.id}/reserved-posts`, headers: city });
  t.same(cityList.json().items.map((p: { id: string }) => p.id), [theirs.id], 'the city sees every base');
  t.equal(await count(svc, 'reserved_posts'), 2);
});

t.test('a repeated create with the same Idempotency-Key reserves once', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot();
  await events.send('vacancy.created', v);
  const headers = { ...city, 'idempotency-key': 'reserve-1' };
  const payload = { vacancyId: v.vacancyId, reservedFor: ['DISABLED'], quota: 1 };
  const first = await reserve(svc, headers, base.id, payload);
  const again = await reserve(svc, headers, base.id, payload);
  t.equal(first.statusCode, 201);
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.json().id, first.json().id);
  t.equal((await reservedPostEvents(svc)).length, 1, 'one event');
  const other = await reserve(svc, headers, base.id, { ...payload, quota: 2 });
  t.equal(other.statusCode, 422, 'the same key with another body');
});
