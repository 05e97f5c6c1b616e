import t from 'tap';
import { recordEvent } from '@reemploy/messaging';
import { eventually } from '@reemploy/runtime/testing';
import { verifySignature } from '@reemploy/webhooks';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'a-shared-secret-of-the-subscriber';
/** The receivers here are local test servers: loopback and http are allowed in tests only by this flag. */
const LOCAL_RECEIVERS = { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } };

function snapshot(seekerId: string, status: 'employed' | 'unemployed') {
  return {
    seekerId,
    householdId: null,
    communityCode: '320508024043',
    gender: 'female' as const,
    birthDate: '1975-03-12',
    education: 'primary' as const,
    skills: [],
    desiredOccupations: [],
    expectedMonthlyWage: null,
    ableToWork: true,
    willingToWork: true,
    status,
    hardshipCategories: [],
  };
}

t.test('webhooks: signed deliveries, retries with backoff, order kept per subject, a log and replay', async (t) => {
  const received: { subject: string; eventId: string; attempt: number; valid: boolean }[] = [];
  let failuresLeft = 2;
  const firstSubject = crypto.randomUUID();
  const hooks = await startReceiver(t, ({ headers, body }, res) => {
    const parsed = JSON.parse(body);
    const valid = verifySignature(SECRET, body, headers['reemploy-signature']);
    if (parsed.subject === firstSubject && failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(500).end();
      return;
    }
    received.push({ subject: parsed.subject, eventId: parsed.id, attempt: Number(headers['reemploy-attempt']), valid });
    res.writeHead(204).end();
  });
  const url = hooks.url();

  const svc = await buildRegistration(t, LOCAL_RECEIVERS);
  await svc.startWorkers();
  const headers = { authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'], ['3205'], { sub: 'social-insurance' })}` };
  const bad = await svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url, secret: SECRET, eventTypes: ['matching-run.completed'] } });
  t.equal(bad.statusCode, 400, 'a type this service does not produce is refused');
  const sub = await svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url, secret: SECRET, eventTypes: ['seeker.re-employed'] } });
  t.equal(sub.statusCode, 201, sub.body);
  t.notOk(sub.body.includes(SECRET), 'the secret is never echoed');

  // Three changes: two for the first seeker (the first delivery fails twice), one for another.
  const other = crypto.randomUUID();
  const ids: string[] = [];
  for (const [subject, status] of [[firstSubject, 'employed'], [other, 'employed'], [firstSubject, 'unemployed'], [firstSubject, 'employed']] as const) {
    await svc.ctx.db.transaction().execute(async (trx) => {
      ids.push(await recordEvent(trx, 'seeker.employment-changed', subject, snapshot(subject, status)));
    });
  }
  await eventually(async () => (received.length === 3 ? true : undefined), 15_000, 100);
  t.ok(received.every((r) => r.valid), 'every delivery carries a valid signature');
  t.same(received.map((r) => r.eventId), [ids[1], ids[0], ids[3]], 'the other subject is not held up; the first subject keeps its order; a change back to unemployed is no re-employment');
  t.equal(received.find((r) => r.eventId === ids[0])?.attempt, 3, 'delivered on the third attempt after two failures');

  const log = await svc.app.inject({ url: '/v1/webhooks/deliveries', headers });
  t.equal(log.statusCode, 200);
  const first = log.json().items.find((d: { eventId: string }) => d.eventId === ids[0]);
  t.equal(first.status, 'delivered');
  t.equal(first.attempts, 3);

  const replay = await svc.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${first.id}/replay`, headers });
  t.equal(replay.statusCode, 202);
  await eventually(async () => (received.length === 4 ? true : undefined), 10_000, 100);
  t.equal(received[3]!.eventId, ids[0], 'replayed');

  const stranger = await svc.app.inject({ url: '/v1/webhooks/deliveries', headers: { authorization: `Bearer ${svc.token(['webhooks:manage'], ['3205'], { sub: 'someone-else' })}` } });
  t.same(stranger.json().items, [], "another system does not see this system's deliveries");
});

t.test('the delivery log and the subscriptions page by cursor without losing rows made together', async (t) => {
  const svc = await buildRegistration(t, LOCAL_RECEIVERS);
  const headers = { authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'])}` };
  const subscribe = () => svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url: 'http://127.0.0.1:9/hook', secret: SECRET, eventTypes: ['seeker.re-employed'] } });
  const subs: string[] = [];
  for (let i = 0; i < 5; i++) subs.push((await subscribe()).json().id);
  // Five deliveries recorded in one statement, as one relay batch records them: one created_at to the microsecond.
  await svc.ctx.database.pool.query(
    `insert into webhook_deliveries (id, subscription_id, event_id, event_type, subject, seq, body, status, next_attempt_at)
     select gen_random_uuid(), $1, gen_random_uuid(), 'seeker.re-employed', 'x', n, '{}', 'failed', now() + interval '1 day' from generate_series(1, 5) n`,
    [subs[0]],
  );
  const pageAll = async (url: string) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { statusCode: number; json(): { items: { id: string }[]; nextCursor: string | null } } = await svc.app.inject({ url: `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers });
      t.equal(res.statusCode, 200);
      seen.push(...res.json().items.map((i) => i.id));
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor && pages < 10);
    return seen;
  };
  const deliveries = await pageAll('/v1/webhooks/deliveries');
  t.equal(deliveries.length, 5, 'every delivery, two at a time');
  t.equal(new Set(deliveries).size, 5, 'none twice');
  const firstTwo = (await svc.app.inject({ url: '/v1/webhooks/subscriptions?limit=2', headers })).json();
  t.equal(firstTwo.items.length, 2, 'the subscriptions honour limit');
  t.ok(firstTwo.nextCursor, 'and say where the next page starts');
  t.same(await pageAll('/v1/webhooks/subscriptions'), subs, 'every subscription once, oldest first');
  const forged = await svc.app.inject({ url: `/v1/webhooks/deliveries?cursor=${Buffer.from(JSON.stringify({ at: '2026-01-01 00:00:00+99', id: crypto.randomUUID() })).toString('base64url')}`, headers });
  t.equal(forged.statusCode, 400, 'a forged cursor is a 400, not a 500');
});
