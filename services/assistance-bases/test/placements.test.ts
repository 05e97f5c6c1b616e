import t from 'tap';
import { auth, basePayload, count, hirePayload, READ, reservedPostEvents, setup, vacancySnapshot } from './support.ts';

t.test('a hire into a reserved vacancy counts once per referral, by category and month, and fills the post', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot({ headcount: 3, headcountLeft: 3 });
  const unreserved = vacancySnapshot();
  await events.send('vacancy.created', v);
  await events.send('vacancy.created', unreserved);
  const post = (
    await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${base.id}/reserved-posts`, headers: city, payload: { vacancyId: v.vacancyId, reservedFor: ['OLDER_4050', 'DISABLED'], quota: 2 } })
  ).json();

  // 2026-10-31 17:00 UTC is already November in Suzhou.
  const first = hirePayload(v.vacancyId, { hardshipCategories: ['OLDER_4050', 'DISABLED'], at: '2026-10-31T17:00:00Z' });
  const envelope = await events.send('referral.hired', first);
  await events.send('referral.hired', first, { id: envelope.id, jobId: `${envelope.id}-redelivered` });
  await events.send('referral.hired', first);
  t.equal(await count(svc, 'placements'), 1, 'the same hire, redelivered or republished, is one placement');

  await events.send('referral.hired', hirePayload(unreserved.vacancyId));
  t.equal(await count(svc, 'placements'), 1, 'a hire into a vacancy no base reserves counts nothing');
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['SINGLE_PARENT'] }));
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: [] }));
  t.equal(await count(svc, 'placements'), 1, 'hires outside the reserved categories do not use the quota');

  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['MINIMUM_LIVELIHOOD', 'DISABLED'], at: '2026-10-15T02:00:00Z' }));
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['OLDER_4050'] }));
  t.equal(await count(svc, 'placements'), 2, 'a hire beyond the quota counts nothing');

  const read = await svc.app.inject({ url: `/v1/aid-bases/${base.id}/reserved-posts/${post.id}`, headers: city });
  t.match(read.json(), { filled: 2, quota: 2, remaining: 0, status: 'filled' });
  t.same(
    (await reservedPostEvents(svc)).map((e) => [e.filled, e.status]),
    [[0, 'active'], [1, 'active'], [2, 'filled']],
    'each placement published; the last one fills the post',
  );

  const detail = (await svc.app.inject({ url: `/v1/aid-bases/${base.id}`, headers: auth(svc.token([READ], ['320508'])) })).json();
  t.same(detail.placements, { total: 2, byCategory: { OLDER_4050: 1, DISABLED: 2, MINIMUM_LIVELIHOOD: 1 }, byMonth: { '2026-10': 1, '2026-11': 1 } });
  t.same(detail.reservedPosts, { active: 0, filled: 1, withdrawn: 0, quota: 2, placed: 2 });
  const listed = (await svc.app.inject({ url: '/v1/aid-bases', headers: city })).json().items[0];
  t.same(listed.placements, detail.placements, 'the list carries the same figures');
});

t.test('concurrent hires never overfill a quota', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot({ headcount: 10, headcountLeft: 10 });
  await events.send('vacancy.created', v);
  await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${base.id}/reserved-posts`, headers: city, payload: { vacancyId: v.vacancyId, reservedFor: ['SINGLE_PARENT'], quota: 3 } });
  await Promise.all(Array.from({ length: 6 }, () => events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['SINGLE_PARENT'] }))));
  t.equal(await count(svc, 'placements'), 3);
  const { rows } = await svc.ctx.database.pool.query('select filled, status from reserved_posts');
  t.same(rows, [{ filled: 3, status: 'filled' }]);
});

t.test('the quota moves between the placements made and the headcount left; withdrawn posts count nothing', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const v = vacancySnapshot({ headcount: 4, headcountLeft: 4 });
  await events.send('vacancy.created', v, { seq: 1 });
  const created = await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${base.id}/reserved-posts`, headers: city, payload: { vacancyId: v.vacancyId, reservedFor: ['DUAL_LAID_OFF'], quota: 3 } });
  const url = `/v1/aid-bases/${base.id}/reserved-posts/${created.json().id}`;
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['DUAL_LAID_OFF'] }));
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['DUAL_LAID_OFF'] }));
  // job-postings announces the two hires.
  await events.send('vacancy.updated', { ...v, headcountLeft: 2 }, { seq: 3 });

  const etag = async () => (await svc.app.inject({ url, headers: city })).headers.etag as string;
  const below = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': await etag() }, payload: { quota: 1 } });
  t.equal(below.statusCode, 400);
  t.equal(below.json().errors[0].field, 'body.quota');
  t.match(below.json().detail, /2 placements/);
  const above = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': await etag() }, payload: { quota: 5 } });
  t.equal(above.statusCode, 400, 'two placed plus two left allows at most four');
  const down = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': await etag() }, payload: { quota: 2 } });
  t.match(down.json(), { status: 'filled', filled: 2, quota: 2 });
  const up = await svc.app.inject({ method: 'PATCH', url, headers: { ...city, 'if-match': await etag() }, payload: { quota: 4 } });
  t.match(up.json(), { status: 'active', remaining: 2 });

  // Withdrawing needs no body at all.
  const withdrawn = await svc.app.inject({ method: 'POST', url: `${url}/withdraw`, headers: { ...city, 'if-match': await etag() } });
  t.equal(withdrawn.statusCode, 200, withdrawn.body);
  t.equal(withdrawn.json().status, 'withdrawn');
  await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['DUAL_LAID_OFF'] }));
  t.equal(await count(svc, 'placements'), 2, 'a hire after withdrawal is not the base’s placement');
  t.same((await reservedPostEvents(svc)).map((e) => `${e.status}:${e.filled}/${e.quota}`), ['active:0/3', 'active:1/3', 'active:2/3', 'filled:2/2', 'active:2/4', 'withdrawn:2/4']);
});

t.test('the list ranks bases by placements, page by page', async (t) => {
  const { svc, events, city, base } = await setup(t);
  const names = ['长发商厦', '示范基地 07 (demo)'];
  const bases = [base.id];
  for (const name of names) bases.push((await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload({ name }) })).json().id);
  // Placements: 人民商场 1, 长发商厦 2, the demo base none.
  for (const [i, n] of [1, 2].entries()) {
    const v = vacancySnapshot({ headcount: 5, headcountLeft: 5 });
    await events.send('vacancy.created', v);
    await svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${bases[i]}/reserved-posts`, headers: city, payload: { vacancyId: v.vacancyId, reservedFor: ['DISABLED'], quota: 5 } });
    for (let k = 0; k < n; k++) await events.send('referral.hired', hirePayload(v.vacancyId, { hardshipCategories: ['DISABLED'] }));
  }
  const order: [string, number][] = [];
  let cursor: string | null = null;
  do {
    const page: { json(): { items: { name: string; placements: { total: number } }[]; nextCursor: string | null } } = await svc.app.inject({
      url: `/v1/aid-bases?sort=placements&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      headers: city,
    });
    order.push(...page.json().items.map((b): [string, number] => [b.name, b.placements.total]));
    cursor = page.json().nextCursor;
  } while (cursor);
  t.same(order, [['长发商厦', 2], ['人民商场', 1], ['示范基地 07 (demo)', 0]]);
});
