/**
 * Issue #18, findings 1 and 9: the queue board shows a city operator every
 * event the services exchange; without `pii:read` none of it may let the
 * operator rebuild an identity number or phone. The city of regions-fixture.ts
 * runs with its workers, and more is done so that every event type of
 * packages/events occurs (an import, a change, a withdrawal and the retention
 * job's anonymisation, a vacancy closed, the escalation job's pass). Every event a relay routed to a queue
 * then sits there completed; a copy of one real event of every type (routed or
 * not) is also put on a queue by hand, as anyone with Redis could, so the
 * consumer refuses it and the board shows it failed, with its reason and stack.
 * A city-level operator holding every scope but `pii:read` then reads each
 * service's board: every queue and its schedulers, every status, every page,
 * and each job alone with its logs and flow; each answer is searched with piiLeaks. The walk fails unless it
 * saw a job of every event type.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { eventContracts, queueNames, type EventType, type ServiceName } from '@reemploy/events';
import { makeIdNumber } from '@reemploy/domain';
import { eventually } from '@reemploy/runtime/testing';
import { anonymiseWithdrawnSeekers } from '../services/registration/src/maintenance/retention.ts';
import { publishEscalations } from '../services/registration/src/escalations/publish.ts';
import { buildCity, call, cityPii, COMMUNITIES } from './regions-fixture.ts';
import { describeLeaks, piiLeaks } from './support/pii-leaks.ts';

const city = await buildCity({ after: (fn) => t.teardown(fn) });
const { registration, 'job-postings': jobPostings } = city.services;
const names = Object.keys(city.services) as ServiceName[];
const ALL_TYPES = Object.keys(eventContracts) as EventType[];
const STATUSES = ['latest', 'active', 'waiting', 'waiting-children', 'prioritized', 'completed', 'failed', 'delayed', 'paused'];

/** What the fixture does not do already: every other event type. */
async function completeTheEventTypes() {
  const writer = registration.token(['seekers:write', 'seekers:read']);
  const row = (i: number, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      idNumber: makeIdNumber('320508', `1968-0${i}-2${i}`, 700 + i, i % 2 ? 'male' : 'female'),
      name: `導入${i}`,
      phone: `1370000${String(1000 + i)}`,
      communityCode: COMMUNITIES[0],
      education: 'college',
      ...over,
    });
  const imported = await registration.app.inject({
    method: 'POST',
    url: '/v1/job-seekers/import',
    headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/x-ndjson' },
    payload: [row(1), row(2)].join('\n'),
  });
  if (imported.statusCode !== 200) throw new Error(`import: ${imported.statusCode} ${imported.body}`);
  const [first, second] = (imported.json().report as { id: string }[]).map((r) => r.id);
  const read = await call(registration.app, 'GET', `/v1/job-seekers/${first}`, writer);
  const patched = await call(registration.app, 'PATCH', `/v1/job-seekers/${first}`, writer, { skills: ['S010-01'] }, { 'if-match': String(read.headers.etag) });
  if (patched.statusCode !== 200) throw new Error(`update: ${patched.statusCode} ${patched.body}`);
  const withdrawn = await call(registration.app, 'POST', `/v1/job-seekers/${second}/employment`, writer, { status: 'withdrawn', at: new Date(Date.now() - 30 * 86_400_000).toISOString() });
  if (withdrawn.statusCode !== 201) throw new Error(`withdraw: ${withdrawn.statusCode} ${withdrawn.body}`);
  const vacancy = city.records.find((r) => r.kind === 'vacancy')!;
  const closed = await call(jobPostings.app, 'POST', `/v1/vacancies/${vacancy.id}/close`, city.admin['job-postings'], { reason: '已招滿' });
  if (closed.statusCode !== 200) throw new Error(`close: ${closed.statusCode} ${closed.body}`);
  // The escalation job's pass (every minute in a worker) over the fixture's overdue households.
  if ((await publishEscalations(registration.ctx.db)) === 0) throw new Error('no household escalated');
}

await completeTheEventTypes();
/** Read before the retention job forgets the withdrawn person. */
const known = await cityPii(city);
// The retention job, run as if its period had passed for the withdrawn person.
await anonymiseWithdrawnSeekers(registration.ctx, new Date(Date.now() + 20 * 365 * 86_400_000));

/** The producer's outbox rows of a type, as envelopes. */
async function publishedOf(type: EventType) {
  const producer = city.services[eventContracts[type].producer];
  const { rows } = await producer.ctx.database.pool.query('select id, type, version, seq, subject, occurred_at, payload, published_at from outbox where type = $1 order by seq', [type]);
  return rows.map((r) => ({
    published: r.published_at !== null,
    envelope: { id: r.id as string, type, version: r.version as number, producer: eventContracts[type].producer, seq: Number(r.seq), subject: r.subject as string, occurredAt: (r.occurred_at as Date).toISOString(), payload: r.payload },
  }));
}

const queues = new Map<string, Queue>();
function queueOf(service: ServiceName, name: string) {
  const key = `${service}/${name}`;
  if (!queues.has(key)) queues.set(key, new Queue(name, { connection: city.services[service].ctx.redis, prefix: city.services[service].ctx.queuePrefix }));
  return queues.get(key)!;
}
t.teardown(() => Promise.all([...queues.values()].map((q) => q.close())));

const handPlaced = new Set<string>();

t.before(async () => {
  // Every event published, and every routed one consumed.
  for (const type of ALL_TYPES) {
    await eventually(async () => ((await publishedOf(type)).every((e) => e.published) ? true : undefined), 20_000, 100);
  }
  await eventually(async () => {
    for (const name of names) {
      const counts = await queueOf(name, queueNames.events(name)).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return undefined;
    }
    return true;
  }, 30_000, 200);
  // A copy of one real event of every type, put on a queue by hand: on its consumer's, or its producer's when no service consumes it.
  for (const type of ALL_TYPES) {
    const [one] = await publishedOf(type);
    if (!one) continue;
    const service = eventContracts[type].consumers[0] ?? eventContracts[type].producer;
    const job = await queueOf(service, queueNames.events(service)).add(type, { ...one.envelope, id: randomUUID() }, { jobId: randomUUID(), attempts: 1 });
    handPlaced.add(`${service}/${job.id}`);
  }
  await eventually(async () => {
    for (const key of handPlaced) {
      const [service, id] = key.split('/') as [ServiceName, string];
      if ((await queueOf(service, queueNames.events(service)).getJobState(id)) !== 'failed') return undefined;
    }
    return true;
  }, 20_000, 100);
});

interface BoardJob {
  id: string;
  name: string;
  data: { signature?: unknown } | null;
  failedReason?: string;
}

t.test('without pii:read, no job the queue board shows, of any event type, lets a city operator rebuild an identity number or phone', async (t) => {
  t.ok(known.idNumbers.length > COMMUNITIES.length * 2, `${known.idNumbers.length} identity numbers known`);
  for (const type of ALL_TYPES) t.ok((await publishedOf(type)).length > 0, `the city published ${type}`);

  const leaks: string[] = [];
  /** Per event type: seen as a relay put it on a queue, and as put there by hand. */
  const relayed = new Set<string>();
  const byHand = new Set<string>();
  let failedSeen = 0;
  const check = (what: string, body: unknown) => {
    const found = piiLeaks(known, body);
    if (found.length) leaks.push(`${what}: ${describeLeaks(found)}`);
  };

  for (const name of names) {
    const svc = city.services[name];
    const scopes = [...new Set(svc.app.routeCatalog.map((r) => r.scope).filter((s): s is string => !!s && s !== 'pii:read'))];
    t.ok(scopes.includes('admin'), `${name}: the operator holds the admin scope`);
    const operator = svc.token(scopes, ['3205']);
    const get = async (url: string) => {
      const res = await call(svc.app, 'GET', url, operator);
      t.equal(res.statusCode, 200, `${name} ${url}`);
      const body = res.json();
      check(`${name} ${url}`, body);
      return body;
    };
    const overview = (await get('/admin/queues/api/queues')) as { queues: { name: string }[] };
    await get('/admin/queues/api/job-schedulers');
    t.ok(overview.queues.length >= 2, `${name}: its queues are listed`);
    for (const queue of overview.queues.map((q) => q.name)) {
      const seen = new Set<string>();
      for (const status of STATUSES) {
        for (let page = 1, pages = 1; page <= pages; page++) {
          const listing = (await get(`/admin/queues/api/queues?activeQueue=${encodeURIComponent(queue)}&status=${status}&page=${page}&jobsPerPage=100`)) as {
            queues: { name: string; jobs: BoardJob[]; pagination: { pageCount: number } }[];
          };
          const mine = listing.queues.find((q) => q.name === queue)!;
          pages = mine.pagination.pageCount;
          for (const job of mine.jobs) seen.add(job.id);
        }
      }
      for (const id of seen) {
        const { job } = (await get(`/admin/queues/api/queues/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`)) as { job: BoardJob };
        await get(`/admin/queues/api/queues/${encodeURIComponent(queue)}/${encodeURIComponent(id)}/logs`);
        await get(`/admin/queues/api/queues/${encodeURIComponent(queue)}/${encodeURIComponent(id)}/flow`);
        if (!(job.name in eventContracts)) continue;
        if (handPlaced.has(`${name}/${id}`)) {
          byHand.add(job.name);
          if (job.failedReason) failedSeen++;
        } else if (job.data?.signature) relayed.add(job.name);
      }
    }
  }

  for (const type of ALL_TYPES) {
    t.ok(byHand.has(type), `a job of ${type} was read on the board`);
    if (eventContracts[type].consumers.length) t.ok(relayed.has(type), `${type}: as a relay published it, too`);
    else t.notOk(relayed.has(type), `${type}: no relay puts it on any queue (no service consumes it)`);
  }
  t.equal(failedSeen, ALL_TYPES.length, 'every job put there by hand was read failed, with its reason');
  t.same(leaks, [], 'no board answer lets an operator without pii:read rebuild an identity number or phone');
});
