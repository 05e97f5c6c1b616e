import t from 'tap';
import { build } from './helper.ts';
import { deliver, seeker, vacancy } from './fixtures.ts';

t.test('vacancy snapshots: newest wins whatever the delivery order', async (t) => {
  const { ctx } = await build(t);
  const v = vacancy();
  t.equal(await deliver(ctx, 'vacancy.created', v, 10), true);
  await deliver(ctx, 'vacancy.closed', { ...v, status: 'closed', headcountLeft: 0 }, 30);
  await deliver(ctx, 'vacancy.updated', { ...v, headcountLeft: 1 }, 20);
  const row = await ctx.db.selectFrom('vacancies').selectAll().executeTakeFirstOrThrow();
  t.equal(row.status, 'closed', 'the older update arriving late changed nothing');
  t.equal(row.headcount_left, 0);
  t.equal(row.source_seq, 30);
  t.ok(row.vacancy_no > 0, 'numbered for the batch');
});

t.test('reserved posts are projected and fenced the same way', async (t) => {
  const { ctx } = await build(t);
  const post = { reservedPostId: crypto.randomUUID(), aidBaseId: crypto.randomUUID(), vacancyId: crypto.randomUUID(), reservedFor: ['SINGLE_PARENT' as const], quota: 2, filled: 0, status: 'active' as const };
  await deliver(ctx, 'reserved-post.changed', { ...post, filled: 2, status: 'filled' }, 50);
  await deliver(ctx, 'reserved-post.changed', post, 40);
  const row = await ctx.db.selectFrom('reserved_posts').selectAll().executeTakeFirstOrThrow();
  t.equal(row.status, 'filled');
  t.equal(row.filled, 2);
});

t.test("each seeker keeps the categories of their own snapshot; a household's set is not copied to its members", async (t) => {
  const { ctx } = await build(t);
  const householdId = crypto.randomUUID();
  // As registration publishes a single parent's household: each member's snapshot, then the household's change.
  const parent = seeker({ householdId, hardshipCategories: ['SINGLE_PARENT', 'OLDER_4050'] });
  const adultChild = seeker({ householdId, hardshipCategories: [] });
  await deliver(ctx, 'seeker.registered', parent, 10);
  await deliver(ctx, 'seeker.registered', adultChild, 11);
  await deliver(ctx, 'household.categories-changed', { householdId, communityCode: parent.communityCode, hardshipCategories: ['SINGLE_PARENT'], previous: [], memberIds: [parent.seekerId, adultChild.seekerId] }, 12);
  const categories = async () =>
    Object.fromEntries((await ctx.db.selectFrom('seekers').select(['seeker_id', 'hardship_categories']).execute()).map((r) => [r.seeker_id, r.hardship_categories]));
  t.same(await categories(), { [parent.seekerId]: ['SINGLE_PARENT', 'OLDER_4050'], [adultChild.seekerId]: [] }, 'the adult child is not a single parent');
  // A newer snapshot brings its categories; an older one arriving late changes nothing.
  await deliver(ctx, 'seeker.updated', { ...parent, skills: ['S002-01'], hardshipCategories: ['OLDER_4050'] }, 30);
  await deliver(ctx, 'seeker.updated', { ...parent, skills: ['S009-01'], hardshipCategories: ['SINGLE_PARENT', 'OLDER_4050'] }, 20);
  const row = await ctx.db.selectFrom('seekers').selectAll().where('seeker_id', '=', parent.seekerId).executeTakeFirstOrThrow();
  t.same(row.skills, ['S002-01']);
  t.same(row.hardship_categories, ['OLDER_4050']);
});

t.test('an anonymised seeker stays forgotten when an older snapshot of them arrives late', async (t) => {
  const { ctx } = await build(t);
  const s = seeker();
  const other = seeker();
  await deliver(ctx, 'seeker.registered', s, 100);
  await deliver(ctx, 'seekers.imported', { seekers: [other] }, 101);
  await deliver(ctx, 'seeker.anonymised', { seekerId: s.seekerId, at: new Date().toISOString() }, 120);
  await deliver(ctx, 'seeker.anonymised', { seekerId: other.seekerId, at: new Date().toISOString() }, 121);
  t.same(await ctx.db.selectFrom('seekers').select('seeker_id').execute(), []);
  // Published before the anonymisation, delivered after it (the consumer applies events concurrently).
  await deliver(ctx, 'seeker.updated', { ...s, skills: ['S002-01'] }, 110);
  await deliver(ctx, 'seekers.imported', { seekers: [other, seeker()] }, 111);
  const left = await ctx.db.selectFrom('seekers').select('seeker_id').execute();
  t.equal(left.length, 1, 'only the seeker never anonymised is projected');
  t.notOk(left.some((r) => r.seeker_id === s.seekerId || r.seeker_id === other.seekerId), 'the forgotten ones stay forgotten');
});
