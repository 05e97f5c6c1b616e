import t from 'tap';
import { build } from './helper.ts';
import { bearer, deliver, seeker, vacancy } from './fixtures.ts';
import { expireReferrals } from '../src/referrals/service.ts';

t.test('referrals: hard constraints and headcount refuse; outcomes publish events; declines are counted', async (t) => {
  const { app, ctx, token } = await build(t);
  const write = bearer(token(['referrals:write', 'matching:read'], ['320508']));
  const refer = (seekerId: string, vacancyId: string, headers = write) => app.inject({ method: 'POST', url: '/v1/referrals', headers, payload: { seekerId, vacancyId, referredBy: '王主任' } });
  const outcome = (id: string, payload: object) => app.inject({ method: 'POST', url: `/v1/referrals/${id}/outcome`, headers: write, payload });

  const householdId = crypto.randomUUID();
  const s = seeker({ householdId, hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'] });
  await deliver(ctx, 'seeker.registered', s);
  const aidBaseId = crypto.randomUUID();
  const reservedPostId = crypto.randomUUID();
  const reserved = vacancy({ source: 'aid-base', reservedFor: [] });
  await deliver(ctx, 'vacancy.created', reserved);
  await deliver(ctx, 'reserved-post.changed', { reservedPostId, aidBaseId, vacancyId: reserved.vacancyId, reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD'], quota: 1, filled: 0, status: 'active' });
  const regular = vacancy();
  const other = vacancy();
  const full = vacancy({ headcountLeft: 0 });
  const young = vacancy({ maxAge: 30 });
  const single = vacancy({ reservedFor: ['SINGLE_PARENT'] });
  for (const v of [regular, other, full, young, single]) await deliver(ctx, 'vacancy.created', v);

  t.equal((await refer(s.seekerId, full.vacancyId)).statusCode, 409, 'no headcount left');
  const tooOld = await refer(s.seekerId, young.vacancyId);
  t.equal(tooOld.statusCode, 422);
  t.match(tooOld.json().detail, /age/);
  t.equal((await refer(s.seekerId, single.vacancyId)).statusCode, 422, 'reserved for another group');
  const outside = await refer(s.seekerId, regular.vacancyId, bearer(token(['referrals:write'], ['320505'])));
  const unknown = await refer(crypto.randomUUID(), regular.vacancyId, bearer(token(['referrals:write'], ['320505'])));
  t.equal(outside.statusCode, 400, 'seeker outside the caller regions: refused');
  t.equal(unknown.statusCode, 400);
  const { instance: _a, requestId: _c, ...outsideProblem } = outside.json();
  const { instance: _b, requestId: _d, ...unknownProblem } = unknown.json();
  t.same(outsideProblem, unknownProblem, 'a seeker outside the regions answers exactly like an unknown one: existence does not leak');
  t.equal((await ctx.database.pool.query('select count(*)::int as n from referrals')).rows[0].n, 0, 'nothing stored');

  const created = await refer(s.seekerId, reserved.vacancyId);
  t.equal(created.statusCode, 201, created.body);
  const referral = created.json();
  t.equal(referral.status, 'pending');
  t.equal(referral.isPriorityOffer, true, 'a reserved post is a priority offer');
  t.ok(referral.expiresAt);
  t.equal((await refer(s.seekerId, reserved.vacancyId)).statusCode, 409, 'one pending referral per seeker and vacancy');
  const createdEvent = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.created').executeTakeFirstOrThrow();
  t.match(createdEvent.payload, { referralId: referral.id, householdId, isPriorityOffer: true });

  // Declines: a justified one is not counted; two unjustified ones put support under review.
  const r1 = (await refer(s.seekerId, regular.vacancyId)).json();
  t.equal((await outcome(r1.id, { outcome: 'declined' })).statusCode, 400, 'a decline needs a reason');
  t.equal((await outcome(r1.id, { outcome: 'declined', reason: 'because' })).statusCode, 400, 'from the list');
  const d1 = (await outcome(r1.id, { outcome: 'declined', reason: 'family-care' })).json();
  t.equal(d1.justified, true);
  t.equal(d1.seekerUnjustifiedDeclinesThisYear, 0);
  t.equal((await outcome(r1.id, { outcome: 'withdrawn' })).statusCode, 409, 'an outcome is final');
  const r2 = (await refer(s.seekerId, regular.vacancyId)).json();
  t.equal((await outcome(r2.id, { outcome: 'declined', reason: 'not-interested' })).json().seekerUnjustifiedDeclinesThisYear, 1);
  const r3 = (await refer(s.seekerId, regular.vacancyId)).json();
  const d3 = (await outcome(r3.id, { outcome: 'declined', reason: 'wage-too-low' })).json();
  t.equal(d3.seekerUnjustifiedDeclinesThisYear, 2);
  t.equal(d3.seekerSupportUnderReview, true);
  const matches = (await app.inject({ url: `/v1/job-seekers/${s.seekerId}/matches`, headers: write })).json();
  t.equal(matches.unjustifiedDeclinesThisYear, 2, 'shown with the seeker too');
  const r4 = (await refer(s.seekerId, regular.vacancyId)).json();
  t.equal((await outcome(r4.id, { outcome: 'rejected', reason: 'nope' })).statusCode, 400);
  // SPEC §6: a write from another system accepts an Idempotency-Key; a retried outcome gets the first answer, not a 409.
  const keyed = (payload: object) => app.inject({ method: 'POST', url: `/v1/referrals/${r4.id}/outcome`, headers: { ...write, 'idempotency-key': `outcome-${r4.id}` }, payload });
  const rejected = await keyed({ outcome: 'rejected', reason: 'failed-interview' });
  t.equal(rejected.json().status, 'rejected');
  const retried = await keyed({ outcome: 'rejected', reason: 'failed-interview' });
  t.equal(retried.statusCode, 200, 'a retry with the same key is answered as the first time');
  t.equal(retried.headers['idempotent-replayed'], 'true');
  t.same(retried.json(), rejected.json());

  // A hire: the event carries what registration, job-postings and assistance-bases need; other pending referrals end.
  const pendingOther = (await refer(s.seekerId, other.vacancyId)).json();
  const hired = await outcome(referral.id, { outcome: 'hired' });
  t.equal(hired.statusCode, 200, hired.body);
  t.equal(hired.json().status, 'hired');
  const hireEvent = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.hired').executeTakeFirstOrThrow();
  t.match(hireEvent.payload, { referralId: referral.id, seekerId: s.seekerId, householdId, employerId: reserved.employerId, hardshipCategories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], aidBaseId, reservedPostId });
  const withdrawn = (await app.inject({ url: `/v1/referrals/${pendingOther.id}`, headers: write })).json();
  t.equal(withdrawn.status, 'withdrawn');
  t.equal(withdrawn.reason, 'seeker-hired');
  const outcomes = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.outcome-recorded').execute();
  t.equal(outcomes.length, 6, 'every outcome recorded as an event');

  const list = (await app.inject({ url: `/v1/referrals?seekerId=${s.seekerId}&limit=4`, headers: write })).json();
  t.equal(list.items.length, 4);
  const rest = (await app.inject({ url: `/v1/referrals?seekerId=${s.seekerId}&limit=4&cursor=${list.nextCursor}`, headers: write })).json();
  t.equal(list.items.length + rest.items.length, 6);
  t.equal(new Set([...list.items, ...rest.items].map((r: { id: string }) => r.id)).size, 6);
  t.equal((await app.inject({ url: `/v1/referrals/${referral.id}`, headers: bearer(token(['matching:read'], ['320505'])) })).statusCode, 404);
});

t.test('unanswered referrals expire after REFERRAL_EXPIRY_DAYS, once', async (t) => {
  const { app, ctx, token } = await build(t, { env: { REFERRAL_EXPIRY_DAYS: '3' } });
  const s = seeker();
  const v = vacancy();
  await deliver(ctx, 'seeker.registered', s);
  await deliver(ctx, 'vacancy.created', v);
  const res = await app.inject({ method: 'POST', url: '/v1/referrals', headers: bearer(token(['referrals:write'])), payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: 'x' } });
  const id = res.json().id;
  const now = Date.now();
  t.equal(await expireReferrals(ctx, new Date(now + 2 * 86_400_000)), 0, 'not yet');
  t.equal(await expireReferrals(ctx, new Date(now + 3 * 86_400_000 + 1000)), 1);
  t.equal(await expireReferrals(ctx, new Date(now + 4 * 86_400_000)), 0, 'expired once');
  const row = await ctx.db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.equal(row.status, 'expired');
  const event = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.outcome-recorded').executeTakeFirstOrThrow();
  t.match(event.payload, { referralId: id, outcome: 'expired', communityCode: s.communityCode, aidBaseId: null }, 'with where it lies, for webhooks');

  // An answer that comes after the expiry, before the daily job has run, finds the referral expired.
  const late = (await app.inject({ method: 'POST', url: '/v1/referrals', headers: bearer(token(['referrals:write'])), payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: 'x' } })).json();
  await ctx.db.updateTable('referrals').set({ created_at: new Date(Date.now() - 3 * 86_400_000 - 60_000) }).where('id', '=', late.id).execute();
  const answered = await app.inject({ method: 'POST', url: `/v1/referrals/${late.id}/outcome`, headers: bearer(token(['referrals:write'])), payload: { outcome: 'hired' } });
  t.equal(answered.statusCode, 409, answered.body);
  t.match(answered.json().detail, /expired/);
  t.equal((await ctx.db.selectFrom('referrals').select('status').where('id', '=', late.id).executeTakeFirstOrThrow()).status, 'expired');
  t.equal((await ctx.db.selectFrom('outbox').select('id').where('type', '=', 'referral.hired').execute()).length, 0, 'no hire published');
  const events = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.outcome-recorded').execute();
  t.equal(events.filter((e) => (e.payload as { referralId: string; outcome: string }).referralId === late.id && (e.payload as { outcome: string }).outcome === 'expired').length, 1, 'its expiry published once');
  t.equal(await expireReferrals(ctx, new Date(Date.now() + 60_000)), 0, 'the daily job finds nothing left to expire');
});

t.test('a community public-welfare post is only for hardship groups; declines count per calendar year', async (t) => {
  const { app, ctx, token } = await build(t);
  const write = bearer(token(['referrals:write', 'matching:read']));
  const refer = (seekerId: string, vacancyId: string) => app.inject({ method: 'POST', url: '/v1/referrals', headers: write, payload: { seekerId, vacancyId, referredBy: '王主任' } });
  const plain = seeker();
  const older = seeker({ hardshipCategories: ['OLDER_4050'] });
  for (const s of [plain, older]) await deliver(ctx, 'seeker.registered', s);
  // SPEC §3: public-welfare posts are reserved for hardship groups, even when the post names no category.
  const welfare = vacancy({ kind: 'public-welfare', source: 'coordinator', reservedFor: [] });
  const regular = vacancy();
  for (const v of [welfare, regular]) await deliver(ctx, 'vacancy.created', v);

  const refused = await refer(plain.seekerId, welfare.vacancyId);
  t.equal(refused.statusCode, 422, refused.body);
  t.match(refused.json().detail, /public-welfare/);
  const accepted = await refer(older.seekerId, welfare.vacancyId);
  t.equal(accepted.statusCode, 201, accepted.body);
  t.equal(accepted.json().isPriorityOffer, true);

  // An unjustified decline of last year does not count in this year's.
  const lastYear = `${Number(new Date().toISOString().slice(0, 4)) - 1}-07-01T10:00:00+08:00`;
  const r1 = (await refer(plain.seekerId, regular.vacancyId)).json();
  // An outcome cannot predate its referral: a decline of last year is a referral of last year, put in place directly.
  const before = await app.inject({ method: 'POST', url: `/v1/referrals/${r1.id}/outcome`, headers: write, payload: { outcome: 'declined', reason: 'not-interested', at: lastYear } });
  t.equal(before.statusCode, 400, 'an outcome dated before the referral was made is refused');
  t.match(before.json().errors, [{ field: 'body.at', message: 'is before the referral was made' }]);
  await ctx.database.pool.query(
    `update referrals set status = 'declined', reason = 'not-interested', justified = false, created_at = $2::timestamptz - interval '1 day', outcome_at = $2 where id = $1`,
    [r1.id, lastYear],
  );
  const r3 = (await refer(plain.seekerId, regular.vacancyId)).json();
  const d1 = await app.inject({ method: 'POST', url: `/v1/referrals/${r3.id}/outcome`, headers: write, payload: { outcome: 'withdrawn' } });
  t.equal(d1.statusCode, 200, d1.body);
  t.equal(d1.json().seekerUnjustifiedDeclinesThisYear, 0, 'last year: not counted');
  const r2 = (await refer(plain.seekerId, regular.vacancyId)).json();
  const d2 = (await app.inject({ method: 'POST', url: `/v1/referrals/${r2.id}/outcome`, headers: write, payload: { outcome: 'declined', reason: 'not-interested' } })).json();
  t.equal(d2.seekerUnjustifiedDeclinesThisYear, 1);
  t.equal(d2.seekerSupportUnderReview, false, 'one this year: no review yet');
});

t.test('a note with a phone or identity number typed into it shows them only to a caller holding pii:read', async (t) => {
  const { app, ctx, token } = await build(t);
  const s = seeker();
  const v = vacancy();
  await deliver(ctx, 'seeker.registered', s);
  await deliver(ctx, 'vacancy.created', v);
  const write = bearer(token(['referrals:write', 'matching:read', 'pii:read']));
  const r = (await app.inject({ method: 'POST', url: '/v1/referrals', headers: write, payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: '王主任' } })).json();
  const note = '本人改用 13912345678 联系';
  const answered = await app.inject({ method: 'POST', url: `/v1/referrals/${r.id}/outcome`, headers: write, payload: { outcome: 'withdrawn', note } });
  t.equal(answered.json().note, note, 'with pii:read: as typed');
  const read = await app.inject({ url: `/v1/referrals/${r.id}`, headers: bearer(token(['matching:read'])) });
  t.equal(read.json().note, '本人改用 [phone] 联系', 'without: the number is not shown');
});

t.test('the last place goes to one hire: two hires at once for it cannot both pass, and it is gone for the next seeker at once', async (t) => {
  const { app, ctx, token } = await build(t, { env: { MATCHER_REFRESH_MS: '0' } });
  const write = bearer(token(['referrals:write', 'matching:read']));
  const v = vacancy({ headcount: 1, headcountLeft: 1 });
  await deliver(ctx, 'vacancy.created', v);
  const [a, b, c] = [seeker(), seeker(), seeker()];
  for (const s of [a, b, c]) await deliver(ctx, 'seeker.registered', s);
  const refer = (s: { seekerId: string }) => app.inject({ method: 'POST', url: '/v1/referrals', headers: write, payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: '王主任' } });
  const ra = (await refer(a)).json();
  const rb = (await refer(b)).json();
  t.equal((await app.inject({ url: `/v1/job-seekers/${c.seekerId}/matches`, headers: write })).json().items.length, 1, 'offered while a place is left');

  const hires = await Promise.all([ra, rb].map((r) => app.inject({ method: 'POST', url: `/v1/referrals/${r.id}/outcome`, headers: write, payload: { outcome: 'hired' } })));
  t.same(hires.map((h) => h.statusCode).sort(), [200, 409], 'one hire, one refusal');
  t.match(hires.find((h) => h.statusCode === 409)!.json().detail, /no places left/);
  t.equal((await ctx.db.selectFrom('outbox').select('id').where('type', '=', 'referral.hired').execute()).length, 1, 'one hire published');
  const loser = await ctx.db.selectFrom('referrals').select('status').where('id', 'in', [ra.id, rb.id]).where('status', '=', 'pending').execute();
  t.equal(loser.length, 1, 'the refused referral is still pending, for the coordinator to close');

  // Before job-postings' next snapshot of the vacancy arrives, the place is already gone here.
  t.equal((await refer(c)).statusCode, 409, 'no referral to a vacancy with no place left');
  t.same((await app.inject({ url: `/v1/job-seekers/${c.seekerId}/matches`, headers: write })).json().items, [], 'no longer offered');
  // A snapshot job-postings made before it counted the hire (a wage changed meanwhile) does not give the place back.
  await deliver(ctx, 'vacancy.updated', { ...v, wageMax: 6000, headcountLeft: 1 });
  const stale = await ctx.db.selectFrom('vacancies').select(['headcount_left', 'wage_max']).executeTakeFirstOrThrow();
  t.same(stale, { headcount_left: 0, wage_max: 6000 }, 'the rest of the snapshot is taken, not the place');
  const loserId = hires[0]!.statusCode === 409 ? ra.id : rb.id;
  t.equal((await app.inject({ method: 'POST', url: `/v1/referrals/${loserId}/outcome`, headers: write, payload: { outcome: 'hired' } })).statusCode, 409, 'still no second hire');
  // Job-postings' snapshot after the hire agrees; a second place added there is a place again here.
  await deliver(ctx, 'vacancy.updated', { ...v, wageMax: 6000, headcountLeft: 0, status: 'filled' });
  t.equal((await ctx.db.selectFrom('vacancies').select('headcount_left').executeTakeFirstOrThrow()).headcount_left, 0);
  await deliver(ctx, 'vacancy.updated', { ...v, wageMax: 6000, headcount: 2, headcountLeft: 1 });
  t.equal((await ctx.db.selectFrom('vacancies').select('headcount_left').executeTakeFirstOrThrow()).headcount_left, 1);
});

t.test("a hire names the aid base behind the vacancy only when the seeker is in one of its post's categories", async (t) => {
  const { app, ctx, token } = await build(t);
  const write = bearer(token(['referrals:write', 'matching:read']));
  const v = vacancy({ source: 'aid-base', reservedFor: ['DISABLED'] });
  await deliver(ctx, 'vacancy.created', v);
  const aidBaseId = crypto.randomUUID();
  await deliver(ctx, 'reserved-post.changed', { reservedPostId: crypto.randomUUID(), aidBaseId, vacancyId: v.vacancyId, reservedFor: ['SINGLE_PARENT'], quota: 1, filled: 0, status: 'active' });
  const hire = async (categories: ('DISABLED' | 'SINGLE_PARENT')[]) => {
    const s = seeker({ hardshipCategories: categories });
    await deliver(ctx, 'seeker.registered', s);
    const r = await app.inject({ method: 'POST', url: '/v1/referrals', headers: write, payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: 'x' } });
    t.equal(r.statusCode, 201, r.body);
    t.equal((await app.inject({ method: 'POST', url: `/v1/referrals/${r.json().id}/outcome`, headers: write, payload: { outcome: 'hired' } })).statusCode, 200);
    const event = await ctx.db.selectFrom('outbox').select('payload').where('type', '=', 'referral.hired').where('subject', '=', r.json().id).executeTakeFirstOrThrow();
    return (event.payload as { aidBaseId: string | null }).aidBaseId;
  };
  t.equal(await hire(['DISABLED']), null, "a disabled seeker's hire is no placement of a base whose post is for single parents");
  t.equal(await hire(['SINGLE_PARENT', 'DISABLED']), aidBaseId, "a single parent's is");
});

t.test('an outcome reason is a code from a list: free text goes in the note, which is masked without pii:read', async (t) => {
  const { app, ctx, token } = await build(t);
  const write = bearer(token(['referrals:write', 'matching:read']));
  const s = seeker();
  const v = vacancy();
  await deliver(ctx, 'seeker.registered', s);
  await deliver(ctx, 'vacancy.created', v);
  const referral = (await app.inject({ method: 'POST', url: '/v1/referrals', headers: write, payload: { seekerId: s.seekerId, vacancyId: v.vacancyId, referredBy: 'x' } })).json();
  for (const outcome of ['withdrawn', 'no-show', 'hired']) {
    const res = await app.inject({ method: 'POST', url: `/v1/referrals/${referral.id}/outcome`, headers: write, payload: { outcome, reason: '改用13912345678' } });
    t.equal(res.statusCode, 400, `${outcome} with a reason`);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.match(res.json().errors, [{ field: 'body.reason' }]);
  }
  t.equal((await ctx.db.selectFrom('referrals').select('status').executeTakeFirstOrThrow()).status, 'pending', 'nothing stored');
  const withdrawn = await app.inject({ method: 'POST', url: `/v1/referrals/${referral.id}/outcome`, headers: write, payload: { outcome: 'withdrawn', note: '改用13912345678 联系' } });
  t.equal(withdrawn.statusCode, 200, withdrawn.body);
  t.equal(withdrawn.json().reason, null);
  t.notMatch(withdrawn.json().note, /13912345678/, 'the phone in the note is masked without pii:read');
});
