import t from 'tap';
import { randomUUID } from 'node:crypto';
import { cityDate, SERVICE_RECORD_KINDS, ageAt, latestBirthDate } from '@reemploy/domain';
import { applyEvent } from '@reemploy/messaging';
import { registration } from '../src/definition.ts';
import { build } from './helper.ts';
import { ALL, COMMUNITY, client, count, seeker } from './fixtures.ts';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

t.test('employment changes are kept as history and published as snapshots', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const id = (await api.post('/v1/job-seekers', seeker({ unemployedSince: '2024-01-01' }))).json().id;
  t.same((await api.get(`/v1/job-seekers/${id}`)).json().hardshipCategories, ['LONG_TERM_UNEMPLOYED']);
  const vacancyId = randomUUID();
  const hired = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: hoursAgo(48), vacancyId, employerName: '长发商厦' });
  t.equal(hired.statusCode, 201, hired.body);
  t.match(hired.json(), { status: 'employed', employerName: '长发商厦', unemployedSince: null, hardshipCategories: [] });
  const lost = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'unemployed', at: hoursAgo(1) });
  t.equal(lost.json().unemployedSince, cityDate(new Date(hoursAgo(1))), 'unemployed again from that day');
  t.equal((await api.post(`/v1/job-seekers/${id}/employment`, { status: 'unemployed', at: hoursAgo(0) })).statusCode, 409, 'already unemployed');
  const early = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'flexible', at: hoursAgo(24) });
  t.equal(early.statusCode, 400, 'before the last change');
  t.equal(early.json().errors[0].field, 'body.at');
  const future = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'flexible', at: new Date(Date.now() + 86_400_000).toISOString() });
  t.equal(future.json().errors[0].field, 'body.at');
  const wrong = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'withdrawn', at: hoursAgo(0), employerName: 'x' });
  t.equal(wrong.json().errors[0].field, 'body.employerName');
  t.equal((await api.post(`/v1/job-seekers/${id}/employment`, { status: 'retired', at: hoursAgo(0) })).json().errors[0].field, 'body.status');

  const history = await api.get(`/v1/job-seekers/${id}/employment`);
  t.same(history.json().items.map((c: { previousStatus: string; status: string }) => `${c.previousStatus}>${c.status}`), ['unemployed>employed', 'employed>unemployed']);
  t.equal(history.json().items[0].vacancyId, vacancyId);
  t.equal(history.json().nextCursor, null, 'the whole history fits the default page');
  // SPEC §6: lists page by cursor (limit, cursor → items, nextCursor).
  const first = await api.get(`/v1/job-seekers/${id}/employment?limit=1`);
  t.equal(first.statusCode, 200, first.body);
  t.same(first.json().items.map((c: { status: string }) => c.status), ['employed']);
  t.type(first.json().nextCursor, 'string');
  const second = (await api.get(`/v1/job-seekers/${id}/employment?limit=1&cursor=${first.json().nextCursor}`)).json();
  t.same(second.items.map((c: { status: string }) => c.status), ['unemployed']);
  t.equal(second.nextCursor, null);
  t.equal((await api.get(`/v1/job-seekers/${id}/employment?cursor=bm9wZQ`)).statusCode, 400, 'a forged cursor');
  const { rows } = await svc.ctx.database.pool.query("select payload from outbox where type = 'seeker.employment-changed' order by seq");
  t.same(rows.map((r: { payload: { status: string } }) => r.payload.status), ['employed', 'unemployed']);
  t.equal((await client(svc, ALL, ['320506']).post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: hoursAgo(0) })).statusCode, 404, 'outside the caller regions');
});

t.test('service records of every kind', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const id = (await api.post('/v1/job-seekers', seeker())).json().id;
  for (const [i, kind] of SERVICE_RECORD_KINDS.entries()) {
    const res = await api.post(`/v1/job-seekers/${id}/service-records`, { kind, at: hoursAgo(SERVICE_RECORD_KINDS.length - i), coordinatorId: 'c-17', note: '走访' });
    t.equal(res.statusCode, 201, `${kind}: ${res.body}`);
  }
  const first = await api.get(`/v1/job-seekers/${id}/service-records?limit=10`);
  const second = await api.get(`/v1/job-seekers/${id}/service-records?limit=10&cursor=${first.json().nextCursor}`);
  t.same([...first.json().items, ...second.json().items].map((r: { kind: string }) => r.kind), [...SERVICE_RECORD_KINDS]);
  t.equal(second.json().nextCursor, null);
  t.equal((await api.get(`/v1/job-seekers/${id}/service-records?kind=visit`)).json().items[0].communityCode, COMMUNITY);
  const bad = await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'party', at: hoursAgo(0), coordinatorId: 'c' });
  t.equal(bad.json().errors[0].field, 'body.kind');
  const future = await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at: new Date(Date.now() + 86_400_000).toISOString(), coordinatorId: 'c' });
  t.equal(future.json().errors[0].field, 'body.at');
  t.equal((await api.post(`/v1/job-seekers/${randomUUID()}/service-records`, { kind: 'visit', at: hoursAgo(0), coordinatorId: 'c' })).statusCode, 404);
  t.equal(await count(svc, 'service_records'), SERVICE_RECORD_KINDS.length);

  // A note someone typed a phone or identity number into shows it only to a caller holding pii:read.
  const typed = '家属电话 13912345678，身份证 110105194912310021';
  const noted = await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at: hoursAgo(0), coordinatorId: 'c-17', note: typed });
  t.equal(noted.json().note, typed, 'with pii:read: as typed');
  const reader = client(svc, ['seekers:read']);
  const seen = (await reader.get(`/v1/job-seekers/${id}/service-records?kind=visit&limit=50`)).json().items.find((r: { id: string }) => r.id === noted.json().id);
  t.equal(seen.note, '家属电话 [phone]，身份证 [id-number]', 'without: the number is not shown');
});

function envelope(type: string, payload: object) {
  return { id: randomUUID(), type, version: 1, producer: 'matching', seq: 1, subject: 'x', occurredAt: new Date().toISOString(), payload };
}

t.test('referral.created with a priority offer stops the clock; an overdue household is escalated', async (t) => {
  const svc = await build(t, { env: { ZERO_EMPLOYMENT_OFFER_HOURS: '0.0002' } });
  const api = client(svc);
  const handlers = registration.eventHandlers!(svc.ctx);
  const households: string[] = [];
  const members: string[] = [];
  for (let i = 0; i < 3; i++) {
    const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
    households.push(hh);
    members.push((await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }))).json().id);
  }
  const referral = (i: number, isPriorityOffer: boolean) => ({ referralId: randomUUID(), seekerId: members[i], vacancyId: randomUUID(), householdId: null, isPriorityOffer, at: new Date().toISOString() });
  t.ok(await applyEvent(svc.ctx.db, handlers, envelope('referral.created', referral(0, true))));
  await applyEvent(svc.ctx.db, handlers, envelope('referral.created', referral(1, false)));
  await new Promise((r) => setTimeout(r, 800));
  const list = await api.get('/v1/escalations');
  t.equal(list.statusCode, 200, list.body);
  t.same(list.json().items.map((e: { householdId: string }) => e.householdId).sort(), households.slice(1).sort(), 'the offered household is not escalated; a regular referral is no offer');
  t.match(list.json().items[0], { communityCode: COMMUNITY, streetCode: '320508024', streetName: '吴门桥街道', members: 1 });
  t.equal((await client(svc, ALL, ['320506']).get('/v1/escalations')).json().items.length, 0, 'by region');
  t.ok((await api.get(`/v1/households/${households[0]}`)).json().zeroEmployment.offeredAt);

  // An offer made before a household became zero-employment, whose event arrives after its clock started, is no offer to it.
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
  const head = (await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }))).json().id;
  const since = (await api.get(`/v1/households/${hh}`)).json().zeroEmployment.since;
  t.ok(since, 'the clock runs');
  const early = { referralId: randomUUID(), seekerId: head, vacancyId: randomUUID(), householdId: null, isPriorityOffer: true, at: new Date(Date.parse(since) - 60_000).toISOString() };
  await applyEvent(svc.ctx.db, handlers, envelope('referral.created', early));
  t.equal((await api.get(`/v1/households/${hh}`)).json().zeroEmployment.offeredAt, null, 'the clock still runs');
});

t.test('referral.hired employs the seeker once, however often it arrives', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const handlers = registration.eventHandlers!(svc.ctx);
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
  const id = (await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }))).json().id;
  const hire = { referralId: randomUUID(), seekerId: id, vacancyId: randomUUID(), householdId: hh, employerId: null, hardshipCategories: [], aidBaseId: null, reservedPostId: null, at: new Date().toISOString() };
  await applyEvent(svc.ctx.db, handlers, envelope('referral.hired', hire));
  await applyEvent(svc.ctx.db, handlers, envelope('referral.hired', hire));
  const read = await api.get(`/v1/job-seekers/${id}`);
  t.equal(read.json().status, 'employed');
  t.equal(await count(svc, 'employment_changes'), 1, 'one change for one referral');
  t.same((await api.get(`/v1/households/${hh}`)).json().hardshipCategories, [], 'the household is re-derived');
});

t.test('a hire reported after later changes took effect joins the history and leaves the present to them', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const handlers = registration.eventHandlers!(svc.ctx);
  const id = (await api.post('/v1/job-seekers', seeker())).json().id;
  const t0 = Date.now() - 60 * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  t.equal((await api.post(`/v1/job-seekers/${id}/employment`, { status: 'flexible', at: at(10), employerName: '零工' })).statusCode, 201);
  t.equal((await api.post(`/v1/job-seekers/${id}/employment`, { status: 'unemployed', at: at(20) })).statusCode, 201);
  // Matching reports a hire dated before both (recorded late, dated to the day it happened).
  const hire = { referralId: randomUUID(), seekerId: id, vacancyId: randomUUID(), householdId: null, employerId: null, hardshipCategories: [], aidBaseId: null, reservedPostId: null, at: at(5) };
  await applyEvent(svc.ctx.db, handlers, envelope('referral.hired', hire));
  t.equal((await api.get(`/v1/job-seekers/${id}`)).json().status, 'unemployed', 'the latest change still decides the present');
  const history = (await api.get(`/v1/job-seekers/${id}/employment`)).json().items;
  t.same(
    history.map((c: { status: string; previousStatus: string; referralId: string | null }) => [c.status, c.previousStatus, c.referralId]),
    [['employed', 'unemployed', hire.referralId], ['flexible', 'unemployed', null], ['unemployed', 'flexible', null]],
    'the hire sits in the history where it took effect',
  );
  // Delivered again, it changes nothing.
  await applyEvent(svc.ctx.db, handlers, envelope('referral.hired', hire));
  t.equal(await count(svc, 'employment_changes', `seeker_id = '${id}'`), 3);
});

t.test('an employment change or service record dated before the person was born is a 400 and is not stored; paging still works', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const person = seeker();
  const id = (await api.post('/v1/job-seekers', person)).json().id;
  const birthDate = (await api.get(`/v1/job-seekers/${id}`)).json().birthDate as string;
  const dayBefore = new Date(Date.parse(`${birthDate}T00:00:00+08:00`) - 60_000).toISOString();
  for (const at of ['0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', dayBefore]) {
    const change = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at, employerName: '人民商场' });
    t.equal(change.statusCode, 400, `${at}: ${change.body}`);
    t.match(change.headers['content-type'], /^application\/problem\+json/);
    t.equal(change.json().errors[0].field, 'body.at');
    const record = await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at, coordinatorId: 'c-1' });
    t.equal(record.statusCode, 400, `${at}: ${record.body}`);
    t.equal(record.json().errors[0].field, 'body.at');
  }
  t.equal(await count(svc, 'employment_changes'), 0);
  t.equal(await count(svc, 'service_records'), 0);
  // The latest birth date the age allows, in the city's time, is a possible date (test/birth-date.test.ts).
  const born = new Date(Date.parse(`${latestBirthDate(ageAt(birthDate))}T00:00:00+08:00`)).toISOString();
  t.equal((await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at: born, coordinatorId: 'c-1' })).statusCode, 201);
  t.equal((await api.post(`/v1/job-seekers/${id}/service-records`, { kind: 'visit', at: hoursAgo(1), coordinatorId: 'c-1' })).statusCode, 201);
  const first = await api.get(`/v1/job-seekers/${id}/service-records?limit=1`);
  const second = await api.get(`/v1/job-seekers/${id}/service-records?limit=1&cursor=${first.json().nextCursor}`);
  t.equal(second.statusCode, 200, second.body);
  t.equal(second.json().items.length, 1);
});

t.test("unemployedSince after a change is the city's calendar date of the change", async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const id = (await api.post('/v1/job-seekers', seeker())).json().id;
  const today = new Date();
  const utcDay = (offsetDays: number, hour: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offsetDays, hour)).toISOString();
  t.equal((await api.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: utcDay(-2, 10) })).statusCode, 201);
  // 20:00 UTC is 04:00 the next morning in Suzhou.
  const lost = await api.post(`/v1/job-seekers/${id}/employment`, { status: 'unemployed', at: utcDay(-1, 20) });
  t.equal(lost.statusCode, 201, lost.body);
  t.equal(lost.json().unemployedSince, utcDay(0, 0).slice(0, 10), 'the Suzhou date, a day after the UTC date');
});
