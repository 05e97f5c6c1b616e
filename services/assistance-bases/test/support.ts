import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { queueNames, type Envelope, type EventPayload, type EventType } from '@reemploy/events';
import { eventually, relayed } from '@reemploy/runtime/testing';
import { build } from './helper.ts';

export type Svc = Awaited<ReturnType<typeof build>>;
type Test = { after(fn: () => unknown): void };

export const READ = 'aid-bases:read';
export const WRITE = 'aid-bases:write';

export function basePayload(overrides: Record<string, unknown> = {}) {
  return { name: '人民商场', communityCode: '320508018036', address: '苏州市姑苏区人民路', sectors: ['零售', '餐饮'], joinedYear: 2005, cohort: 'added', ...overrides };
}

export function vacancySnapshot(overrides: Partial<EventPayload<'vacancy.created'>> = {}): EventPayload<'vacancy.created'> {
  return {
    vacancyId: randomUUID(),
    employerId: randomUUID(),
    title: '营业员',
    occupationCode: '4-01-02',
    skills: [],
    minAge: 18,
    maxAge: 55,
    educationMin: 'junior-secondary',
    wageMin: 2500,
    wageMax: 3500,
    headcount: 3,
    headcountLeft: 3,
    communityCode: '320508018036',
    kind: 'regular',
    source: 'aid-base',
    reservedFor: [],
    status: 'open',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ...overrides,
  };
}

export function hirePayload(vacancyId: string, overrides: Partial<EventPayload<'referral.hired'>> = {}): EventPayload<'referral.hired'> {
  return {
    referralId: randomUUID(),
    seekerId: randomUUID(),
    vacancyId,
    householdId: null,
    employerId: null,
    hardshipCategories: ['OLDER_4050'],
    aidBaseId: null,
    reservedPostId: null,
    at: new Date().toISOString(),
    ...overrides,
  };
}

let seq = 1000;

/**
 * Puts events on this service's real event queue, as job-postings' and
 * matching's relays would, and waits until the consumer has applied them.
 */
export function eventSource(t: Test, svc: Svc) {
  const queue = new Queue(queueNames.events('assistance-bases'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => queue.close());
  async function send<T extends EventType>(type: T, payload: EventPayload<T>, opts: { id?: string; seq?: number; jobId?: string } = {}): Promise<Envelope> {
    const envelope: Envelope = {
      id: opts.id ?? randomUUID(),
      type,
      version: 1,
      producer: type.startsWith('vacancy.') ? 'job-postings' : 'matching',
      seq: opts.seq ?? ++seq,
      subject: 'vacancyId' in payload ? String(payload.vacancyId) : type,
      occurredAt: new Date().toISOString(),
      payload,
    };
    const job = await queue.add(type, relayed(svc.ctx, envelope), { jobId: opts.jobId ?? envelope.id, attempts: 3 });
    // Applied, or skipped as already applied: either way the job completes.
    await eventually(async () => ((await job.isCompleted()) ? true : undefined), 15_000);
    return envelope;
  }
  return { send };
}

export function auth(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** The reserved-post events in this service's outbox, oldest first. */
export async function reservedPostEvents(svc: Svc) {
  const rows = await svc.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'reserved-post.changed').orderBy('seq').execute();
  return rows.map((r) => r.payload as EventPayload<'reserved-post.changed'>);
}

export async function count(svc: Svc, table: 'aid_bases' | 'reserved_posts' | 'placements' | 'outbox'): Promise<number> {
  const { rows } = await svc.ctx.database.pool.query(`select count(*)::int as n from ${table}`);
  return rows[0].n;
}

/** A service with its consumer running, an event source, a city token and one base. */
export async function setup(t: Test) {
  const svc = await build(t);
  await svc.startWorkers();
  const events = eventSource(t, svc);
  const city = auth(svc.token([READ, WRITE]));
  const base = (await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload() })).json() as { id: string };
  return { svc, events, city, base };
}

export function reserve(svc: Svc, headers: Record<string, string>, baseId: string, payload: Record<string, unknown>) {
  return svc.app.inject({ method: 'POST', url: `/v1/aid-bases/${baseId}/reserved-posts`, headers, payload });
}
