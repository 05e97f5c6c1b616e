import { randomUUID } from 'node:crypto';
import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames, type Envelope, type EventPayload } from '@reemploy/events';
import { applyEvent } from '@reemploy/messaging';
import { eventually, relayed } from '@reemploy/runtime/testing';
import { jobPostings } from '../src/definition.ts';
import { build } from './helper.ts';
import { auth, createEmployer, createVacancy, outboxTypes, type Svc } from './fixtures.ts';

type Post = EventPayload<'reserved-post.changed'>;

function post(vacancyId: string, overrides: Partial<Post> = {}): Post {
  return { reservedPostId: randomUUID(), aidBaseId: randomUUID(), vacancyId, reservedFor: ['SINGLE_PARENT'], quota: 2, filled: 0, status: 'active', ...overrides };
}

/** reserved-post.changed as assistance-bases' relay sends it; `seq` is its outbox sequence. */
function changed(payload: Post, seq: number): Envelope {
  return {
    id: randomUUID(),
    type: 'reserved-post.changed',
    version: 1,
    producer: 'assistance-bases',
    seq,
    subject: payload.reservedPostId,
    occurredAt: new Date().toISOString(),
    payload,
  };
}

async function postRow(svc: Svc, id: string) {
  const { rows } = await svc.ctx.database.pool.query(
    'select status, filled, quota, reserved_for, source_seq::int as seq, updated_at from reserved_posts where reserved_post_id = $1',
    [id],
  );
  return rows[0];
}

async function readVacancy(svc: Svc, id: string) {
  return svc.app.inject({ url: `/v1/vacancies/${id}`, headers: auth(svc) });
}

async function listIds(svc: Svc, query: string): Promise<string[]> {
  const res = await svc.app.inject({ url: `/v1/vacancies?${query}`, headers: auth(svc) });
  return res.json().items.map((v: { id: string }) => v.id).sort();
}

t.test('the newest snapshot of a post wins whatever the delivery order; a snapshot applied twice changes nothing', async (t) => {
  const svc = await build(t);
  const handlers = jobPostings.eventHandlers!(svc.ctx);
  const v = await createVacancy(svc, await createEmployer(svc));

  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  for (const order of orders) {
    const reserved = post(v.id);
    const snapshots = [
      changed(reserved, 10),
      changed({ ...reserved, filled: 1 }, 11),
      changed({ ...reserved, reservedFor: ['DISABLED'], filled: 1, status: 'withdrawn' }, 12),
    ];
    for (const i of order) t.equal(await applyEvent(svc.ctx.db, handlers, snapshots[i]), true);
    t.match(await postRow(svc, reserved.reservedPostId), { status: 'withdrawn', filled: 1, reserved_for: ['DISABLED'], seq: 12 }, `order ${order.join(',')}: the newest wins`);
  }

  const reserved = post(v.id);
  const first = changed(reserved, 20);
  await applyEvent(svc.ctx.db, handlers, first);
  const held = await postRow(svc, reserved.reservedPostId);
  t.equal(await applyEvent(svc.ctx.db, handlers, first), false, 'the same envelope again is dropped by the inbox');
  t.equal(await applyEvent(svc.ctx.db, handlers, changed({ ...reserved, quota: 9 }, 20)), true);
  t.same(await postRow(svc, reserved.reservedPostId), held, 'the same sequence in another envelope changes nothing');
  t.same(await outboxTypes(svc, v.id), ['vacancy.created'], 'a reservation is not a change of the vacancy: nothing is published');
});

t.test('a vacancy shows its live aid-base post; its own reservedFor, version and If-Match stay as published', async (t) => {
  const svc = await build(t);
  const handlers = jobPostings.eventHandlers!(svc.ctx);
  const v = await createVacancy(svc, await createEmployer(svc), { reservedFor: ['OLDER_4050'] });
  t.equal(v.aidBaseReservation, null, 'a new vacancy has no aid-base post');
  const etag = (await readVacancy(svc, v.id)).headers.etag;

  const reserved = post(v.id, { reservedFor: ['SINGLE_PARENT', 'DISABLED'], quota: 2 });
  await applyEvent(svc.ctx.db, handlers, changed(reserved, 5));
  const expected = { reservedPostId: reserved.reservedPostId, aidBaseId: reserved.aidBaseId, reservedFor: ['SINGLE_PARENT', 'DISABLED'], quota: 2, filled: 0, status: 'active' };
  const read = await readVacancy(svc, v.id);
  t.same(read.json().aidBaseReservation, expected);
  t.same(read.json().reservedFor, ['OLDER_4050'], 'the vacancy’s own categories are unchanged');
  t.equal(read.headers.etag, etag, 'the vacancy itself did not change');
  const [listed] = (await svc.app.inject({ url: '/v1/vacancies', headers: auth(svc) })).json().items;
  t.same(listed.aidBaseReservation, expected, 'lists carry it too');

  const patched = await svc.app.inject({ method: 'PATCH', url: `/v1/vacancies/${v.id}`, headers: { ...auth(svc), 'if-match': etag }, payload: {} });
  t.equal(patched.statusCode, 200, 'an If-Match read before the reservation still holds');
  t.match(patched.json(), { reservedFor: ['OLDER_4050'], aidBaseReservation: expected });

  await applyEvent(svc.ctx.db, handlers, changed({ ...reserved, filled: 2, status: 'filled' }, 6));
  t.match((await readVacancy(svc, v.id)).json().aidBaseReservation, { filled: 2, status: 'filled' }, 'a filled post is still the vacancy’s');

  await applyEvent(svc.ctx.db, handlers, changed({ ...reserved, filled: 2, status: 'withdrawn' }, 7));
  t.equal((await readVacancy(svc, v.id)).json().aidBaseReservation, null, 'a withdrawn post is gone');

  // Reserved again by another base; its post arrives before a late, older snapshot of the first.
  const again = post(v.id, { reservedFor: ['LONG_TERM_UNEMPLOYED'], quota: 1 });
  await applyEvent(svc.ctx.db, handlers, changed(again, 9));
  await applyEvent(svc.ctx.db, handlers, changed(reserved, 4));
  t.match((await readVacancy(svc, v.id)).json().aidBaseReservation, { reservedPostId: again.reservedPostId, reservedFor: ['LONG_TERM_UNEMPLOYED'], status: 'active' });

  // An assistance base's own systems see only that base's post.
  const asBase = (aidBase: string) => ({ authorization: `Bearer ${svc.token(['vacancies:read'], ['320508'], { aidBase })}` });
  const own = (await svc.app.inject({ url: `/v1/vacancies/${v.id}`, headers: asBase(again.aidBaseId) })).json();
  t.match(own.aidBaseReservation, { reservedPostId: again.reservedPostId });
  const other = (await svc.app.inject({ url: `/v1/vacancies/${v.id}`, headers: asBase(randomUUID()) })).json();
  t.equal(other.aidBaseReservation, null, "another base's post is not shown to a base");
});

t.test('reservedFor finds vacancies an aid-base post keeps places in, as matching reads them', async (t) => {
  const svc = await build(t);
  const handlers = jobPostings.eventHandlers!(svc.ctx);
  const employerId = await createEmployer(svc);
  const vacancy = async (title: string, overrides: Record<string, unknown> = {}) => (await createVacancy(svc, employerId, { title, ...overrides })).id as string;
  const own = await vacancy('营业员', { reservedFor: ['SINGLE_PARENT'] });
  const active = await vacancy('保洁员');
  const filled = await vacancy('收银员');
  const withdrawn = await vacancy('理货员');
  const noCategories = await vacancy('仓管员');
  const other = await vacancy('保安员');
  await vacancy('厨师');

  const seqs = { n: 100 };
  const reserve = (vacancyId: string, overrides: Partial<Post>) => applyEvent(svc.ctx.db, handlers, changed(post(vacancyId, overrides), ++seqs.n));
  const activePost = post(active, { quota: 2, filled: 1 });
  await applyEvent(svc.ctx.db, handlers, changed(activePost, ++seqs.n));
  await reserve(filled, { quota: 1, filled: 1, status: 'filled' });
  await reserve(withdrawn, { status: 'withdrawn' });
  await reserve(noCategories, { reservedFor: [] });
  await reserve(other, { reservedFor: ['DISABLED'] });

  t.same(await listIds(svc, 'reservedFor=SINGLE_PARENT'), [own, active].sort(), 'its own categories, or an active post with quota left; not a filled or withdrawn one');
  t.same(await listIds(svc, 'reservedFor=DISABLED'), [other]);
  t.same(await listIds(svc, 'reservedFor=OLDER_4050'), [], 'a post naming no category keeps places for no group in particular');
  t.same(await listIds(svc, 'reservedFor=SINGLE_PARENT&source=employer'), [], 'other filters still apply');

  await applyEvent(svc.ctx.db, handlers, changed({ ...activePost, filled: 2, status: 'filled' }, ++seqs.n));
  t.same(await listIds(svc, 'reservedFor=SINGLE_PARENT'), [own], 'once the quota is used up the post stops counting');
});

t.test('over the real queue: the worker applies reserved-post.changed', async (t) => {
  const svc = await build(t);
  await svc.startWorkers();
  const v = await createVacancy(svc, await createEmployer(svc));
  const queue = new Queue(queueNames.events('job-postings'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => queue.close());

  const envelope = changed(post(v.id), 1);
  await queue.add(envelope.type, relayed(svc.ctx, envelope), { jobId: envelope.id });
  const shown = await eventually(async () => (await readVacancy(svc, v.id)).json().aidBaseReservation ?? undefined);
  t.match(shown, { reservedFor: ['SINGLE_PARENT'], status: 'active' });
  t.same(await listIds(svc, 'reservedFor=SINGLE_PARENT'), [v.id]);
});
