import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { eventually } from '@reemploy/runtime/testing';
import { verifySignature } from '@reemploy/webhooks';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { ALL, COMMUNITY, client, seeker } from '../../services/registration/test/fixtures.ts';
import { recordOffer } from '../../services/registration/src/escalations/repository.ts';
import { ESCALATION_EVERY_MS, ESCALATION_JOB } from '../../services/registration/src/escalations/publish.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'the-street-office-shared-secret';

t.test('a zero-employment household past its offer deadline reaches subscribers as a signed household.escalated', async (t) => {
  const { received, url: at } = await startReceiver(t);
  const url = at('/escalations');

  // Deadlines of about a second, so the test need not wait a day.
  // The receiver is a local test server: loopback and http are allowed in tests only by this flag.
  const svc = await buildRegistration(t, { env: { ZERO_EMPLOYMENT_OFFER_HOURS: '0.0003', WEBHOOK_ALLOW_LOOPBACK: 'true' } });
  await svc.startWorkers();
  const maintenance = new Queue(queueNames.maintenance('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.teardown(() => maintenance.close());
  const schedulers = await maintenance.getJobSchedulers();
  t.match(schedulers.find((s) => s.key === ESCALATION_JOB), { every: ESCALATION_EVERY_MS }, 'the worker looks for overdue households every minute');

  const hooks = { authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'], ['3205'], { sub: 'street-office' })}` };
  const sub = await svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: hooks, payload: { url, secret: SECRET, eventTypes: ['household.escalated'] } });
  t.equal(sub.statusCode, 201, sub.body);

  const api = client(svc, ALL);
  const household = async () => {
    const hh = await api.post('/v1/households', { communityCode: COMMUNITY });
    t.equal(hh.statusCode, 201, hh.body);
    const head = await api.post('/v1/job-seekers', seeker({ householdId: hh.json().id, relationship: 'head', laidOff: true }));
    t.same(head.json().hardshipCategories, ['ZERO_EMPLOYMENT_HOUSEHOLD'], head.body);
    return hh.json().id as string;
  };
  const overdue = await household();
  const offered = await household();
  await svc.ctx.db.transaction().execute((trx) => recordOffer(trx, offered, new Date()));
  const deadline = new Date((await api.get(`/v1/households/${overdue}`)).json().zeroEmployment.offerDeadline);
  await new Promise((r) => setTimeout(r, Math.max(0, deadline.getTime() - Date.now() + 50)));

  // What the scheduler enqueues every minute, now.
  await maintenance.add(ESCALATION_JOB, {});
  await eventually(async () => (received.length >= 1 ? true : undefined), 15_000, 50);
  const [delivery] = received;
  t.ok(verifySignature(SECRET, delivery!.body, String(delivery!.headers['reemploy-signature'])), 'signed with the subscription secret');
  t.notOk(verifySignature('another-secret-entirely', delivery!.body, String(delivery!.headers['reemploy-signature'])), 'and only with it');
  t.equal(delivery!.headers['reemploy-event-type'], 'household.escalated');
  const body = JSON.parse(delivery!.body);
  t.match(body, { type: 'household.escalated', subject: overdue });
  t.same(Object.keys(body.data).sort(), ['communityCode', 'escalatedAt', 'householdId', 'offerDeadline', 'streetCode'], 'ids, codes and what changed: nothing more');
  t.match(body.data, { householdId: overdue, communityCode: COMMUNITY, streetCode: COMMUNITY.slice(0, 9), offerDeadline: deadline.toISOString() });
  t.ok(new Date(body.data.escalatedAt) >= deadline, 'escalated after the deadline');
  t.notOk(/idNumber|phone|name/.test(delivery!.body), 'no personal information in the delivery');

  const listed = await api.get('/v1/escalations');
  t.same(listed.json().items.map((e: { householdId: string }) => e.householdId), [overdue], 'the same household coordinators see; the one that had an offer is not escalated');

  // Another pass (a second worker, the next minute) publishes nothing more.
  await maintenance.add(ESCALATION_JOB, {});
  await eventually(async () => ((await maintenance.getCompletedCount()) >= 2 ? true : undefined), 10_000, 50);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(received.length, 1, 'one delivery per escalation');
  const { rows } = await svc.ctx.database.pool.query("select subject from outbox where type = 'household.escalated'");
  t.same(rows, [{ subject: overdue }], 'one event, through the outbox');
});
