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

t.test('household categories reach its members, and an older seeker snapshot does not undo them', async (t) => {
  const { ctx } = await build(t);
  const householdId = crypto.randomUUID();
  const s = seeker({ householdId, hardshipCategories: ['OLDER_4050'] });
  await deliver(ctx, 'seeker.registered', s, 100);
  await deliver(ctx, 'household.categories-changed', { householdId, communityCode: s.communityCode, hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], previous: [], memberIds: [s.seekerId] }, 120);
  let row = await ctx.db.selectFrom('seekers').selectAll().executeTakeFirstOrThrow();
  t.same(row.hardship_categories, ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD']);
  // A seeker snapshot taken before the household changed (seq 110) updates the rest but not the categories.
  await deliver(ctx, 'seeker.updated', { ...s, skills: ['S002-01'] }, 110);
  row = await ctx.db.selectFrom('seekers').selectAll().executeTakeFirstOrThrow();
  t.same(row.skills, ['S002-01']);
  t.same(row.hardship_categories, ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD']);
  await deliver(ctx, 'seeker.updated', { ...s, skills: ['S002-01'], hardshipCategories: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD'] }, 130);
  await deliver(ctx, 'seeker.updated', { ...s, skills: ['S009-01'] }, 125);
  row = await ctx.db.selectFrom('seekers').selectAll().executeTakeFirstOrThrow();
  t.same(row.skills, ['S002-01'], 'an older seeker snapshot changes nothing');
  await deliver(ctx, 'household.categories-changed', { householdId, communityCode: s.communityCode, hardshipCategories: [], previous: ['ZERO_EMPLOYMENT_HOUSEHOLD'], memberIds: [s.seekerId] }, 140);
  row = await ctx.db.selectFrom('seekers').selectAll().executeTakeFirstOrThrow();
  t.same(row.skills, ['S002-01']);
  t.same(row.hardship_categories, ['OLDER_4050'], 'the household category is gone, the personal one stays');
});
