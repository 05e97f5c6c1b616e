import t from 'tap';
import { build } from '../helper.ts';
import { ALL, COMMUNITY, client, count, seeker } from '../fixtures.ts';

async function household(api: ReturnType<typeof client>, body: Record<string, unknown> = {}) {
  const res = await api.post('/v1/households', { communityCode: COMMUNITY, ...body });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
}

t.test('a household derives its categories from its members and keeps their history', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api);
  const head = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head', laidOff: true }));
  t.equal(head.statusCode, 201, head.body);
  t.same(head.json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a lone unemployed head: zero employment');
  const spouse = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'spouse', laidOff: true }));
  t.same(spouse.json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);

  const read = await api.get(`/v1/households/${hh}`);
  t.equal(read.statusCode, 200);
  t.same(read.json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.equal(read.json().members.length, 2);
  t.equal(read.json().employedMembers, 0);
  t.same(read.json().members.find((m: { id: string }) => m.id === head.json().id).hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF'], 'the head was re-derived when the spouse joined');
  t.ok(read.json().zeroEmployment.offerDeadline, 'the offer clock runs');

  const hired = await api.post(`/v1/job-seekers/${spouse.json().id}/employment`, { status: 'employed', at: new Date().toISOString(), employerName: '人民商场' });
  t.equal(hired.statusCode, 201, hired.body);
  t.same(hired.json().hardshipCategories, []);
  const after = await api.get(`/v1/households/${hh}`);
  t.same(after.json().hardshipCategories, [], 'one member re-employed: no longer zero-employment nor dual');
  t.equal(after.json().employedMembers, 1);
  t.equal(after.json().zeroEmployment, null, 'the clock stops');
  const headNow = await api.get(`/v1/job-seekers/${head.json().id}`);
  t.same(headNow.json().hardshipCategories, [], 'the other spouse was re-derived too');

  const { rows } = await svc.ctx.database.pool.query('select hardship_categories as c, previous as p from household_category_history where household_id = $1 order by id', [hh]);
  t.same(rows, [
    { c: ['ZERO_EMPLOYMENT_HOUSEHOLD'], p: [] },
    { c: ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF'], p: ['ZERO_EMPLOYMENT_HOUSEHOLD'] },
    { c: [], p: ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF'] },
  ]);
  const { householdsWithCategoryDuring } = await import('../../src/households/repository.ts');
  const year = [new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)] as const;
  t.same(await householdsWithCategoryDuring(svc.ctx.db, 'DUAL_UNEMPLOYED', ...year), [hh], 'dual during the period, though not any more');
  t.same(await householdsWithCategoryDuring(svc.ctx.db, 'DUAL_UNEMPLOYED', new Date(Date.now() + 3_600_000), year[1]), [], 'not dual after it ended');

  const events = await svc.ctx.database.pool.query("select type, payload from outbox where type = 'household.categories-changed' order by seq");
  t.equal(events.rows.length, 3);
  t.same(events.rows[2].payload.previous, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  const headEvents = await svc.ctx.database.pool.query("select type, payload from outbox where subject = $1 order by seq", [head.json().id]);
  t.same(headEvents.rows.map((r: { type: string }) => r.type), ['seeker.registered', 'seeker.updated', 'seeker.updated'], "the head's snapshot follows each re-derivation");
  t.same(headEvents.rows.at(-1).payload.hardshipCategories, []);
  t.equal(headEvents.rows.at(-1).payload.householdId, hh);
});

t.test('a second spouse or a second head is refused and nothing is stored', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api);
  await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }));
  await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'spouse' }));
  const before = await count(svc, 'job_seekers');
  for (const relationship of ['spouse', 'head']) {
    const res = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship }));
    t.equal(res.statusCode, 400);
    t.equal(res.json().errors[0].field, 'body.relationship');
  }
  const child = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'child' }));
  t.equal(child.statusCode, 201, 'children are not limited');
  t.equal(await count(svc, 'job_seekers'), before + 1);
  // Moving an existing seeker in as a second spouse is refused too.
  const other = await api.post('/v1/job-seekers', seeker());
  const moved = await api.patch(`/v1/job-seekers/${other.json().id}`, { householdId: hh, relationship: 'spouse' }, { 'if-match': other.headers.etag as string });
  t.equal(moved.statusCode, 400);
  t.equal(moved.json().errors[0].field, 'body.relationship');
});

t.test('single parent and household PATCH with If-Match', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api, { otherEmployedMembers: 1 });
  await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }));
  const read = await api.get(`/v1/households/${hh}`);
  t.same(read.json().hardshipCategories, []);
  t.equal((await api.patch(`/v1/households/${hh}`, { singleParent: true, minorChildren: 1 })).statusCode, 428);
  t.equal((await api.patch(`/v1/households/${hh}`, { singleParent: true }, { 'if-match': `"${hh}.0"` })).statusCode, 412);
  const res = await api.patch(`/v1/households/${hh}`, { singleParent: true, minorChildren: 1 }, { 'if-match': read.headers.etag as string });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().hardshipCategories, ['SINGLE_PARENT']);
  t.not(res.headers.etag, read.headers.etag);
  const zero = await api.patch(`/v1/households/${hh}`, { otherEmployedMembers: 0 }, { 'if-match': res.headers.etag as string });
  t.same(zero.json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'SINGLE_PARENT']);
  t.ok(zero.json().zeroEmployment);
});

t.test('moving a household moves its members; leaving a household re-derives both', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api);
  const head = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }));
  const read = await api.get(`/v1/households/${hh}`);
  const moved = await api.patch(`/v1/households/${hh}`, { communityCode: '320508024001' }, { 'if-match': read.headers.etag as string });
  t.equal(moved.statusCode, 200, moved.body);
  const member = await api.get(`/v1/job-seekers/${head.json().id}`);
  t.equal(member.json().communityCode, '320508024001');
  const left = await api.patch(`/v1/job-seekers/${head.json().id}`, { householdId: null }, { 'if-match': member.headers.etag as string });
  t.equal(left.statusCode, 200, left.body);
  t.equal(left.json().relationship, null);
  t.same(left.json().hardshipCategories, []);
  t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, [], 'an empty household has no categories');
});

t.test('lists filter by region, status and category, page by cursor and stay in the caller regions', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await api.post('/v1/job-seekers', seeker())).json().id);
  ids.push((await api.post('/v1/job-seekers', seeker({ communityCode: '320506001012' }))).json().id);
  await api.post(`/v1/job-seekers/${ids[0]}/employment`, { status: 'employed', at: new Date().toISOString() });
  await api.post(`/v1/job-seekers/${ids[1]}/employment`, { status: 'employed', at: new Date().toISOString() });

  const seen: string[] = [];
  let url = '/v1/job-seekers?limit=2';
  for (;;) {
    const page = await api.get(url);
    t.equal(page.statusCode, 200, page.body);
    seen.push(...page.json().items.map((i: { id: string }) => i.id));
    if (!page.json().nextCursor) break;
    url = `/v1/job-seekers?limit=2&cursor=${page.json().nextCursor}`;
  }
  t.same(seen, ids, 'every seeker once, in registration order');
  t.equal((await api.get('/v1/job-seekers?region=320508')).json().items.length, 5);
  t.equal((await api.get('/v1/job-seekers?status=employed')).json().items.length, 2);
  t.equal((await api.get('/v1/job-seekers?region=320508&status=unemployed')).json().items.length, 3);
  t.equal((await api.get('/v1/job-seekers?category=OLDER_4050')).json().items.length, (await svc.ctx.database.pool.query("select 1 from job_seekers where 'OLDER_4050' = any(hardship_categories)")).rowCount);
  t.equal((await api.get('/v1/job-seekers?cursor=bm9wZQ')).statusCode, 400, 'a forged cursor');
  t.equal((await api.get('/v1/job-seekers?status=retired')).statusCode, 400);

  const gusu = client(svc, ALL, ['320508']);
  t.equal((await gusu.get('/v1/job-seekers')).json().items.length, 5, 'only the caller regions');
  t.equal((await gusu.get('/v1/job-seekers?region=320506')).json().items.length, 0, 'a region outside is empty, not an error');
  t.equal((await gusu.get(`/v1/job-seekers/${ids[5]}`)).statusCode, 404);

  const hh = await household(api);
  await household(api, { communityCode: '320506001012' });
  await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }));
  t.equal((await api.get('/v1/households')).json().items.length, 2);
  t.equal((await gusu.get('/v1/households')).json().items.length, 1);
  const zero = await api.get('/v1/households?category=ZERO_EMPLOYMENT_HOUSEHOLD');
  t.same(zero.json().items.map((h: { id: string }) => h.id), [hh]);
  t.equal(zero.json().items[0].members.length, 1);
  t.equal((await gusu.get('/v1/households?limit=1')).json().nextCursor, null);
});
