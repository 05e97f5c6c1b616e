/**
 * Issue #18, finding 1: without `pii:read`, nothing a caller reads lets it
 * rebuild an identity number or phone (SPEC §6). A small city is made in all
 * four services (regions-fixture.ts: households, seekers with phones, employers
 * with contact phones, vacancies, fairs, aid bases and reserved posts, referrals
 * and a hire, matching runs, escalations, assessments, samples and a phone
 * survey), with webhook subscriptions so their lists hold something too. Then a
 * caller holding every scope but `pii:read` calls every GET route of every
 * service's route catalogue, with every record of the kind its path takes,
 * every format it offers (JSON, CSV, XLSX) and every page, and each answer is
 * searched with piiLeaks (test/support/pii-leaks.ts) for the city's identity
 * numbers and phones. A route added later is walked without touching this file;
 * one whose parameters it cannot fill, or that shows nothing, fails it.
 */
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@reemploy/runtime/testing';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER } from '@reemploy/webhooks';
import { buildCity, call, cityPii, COMMUNITIES } from './regions-fixture.ts';
import { walkGetRoutes } from './support/get-walk.ts';
import { describeLeaks, piiLeaks } from './support/pii-leaks.ts';

// Webhook deliveries need somewhere to go: a receiver (on loopback, a development setting) that keeps every body.
const delivered: { type: string; body: unknown }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    delivered.push({ type: String(req.headers['reemploy-event-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
t.teardown(() => new Promise<void>((r) => receiver.close(() => r())));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const city = await buildCity(
  { after: (fn) => t.teardown(fn) },
  {
    async beforeSeeding(services) {
      for (const [name, svc] of Object.entries(services)) {
        const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => WEBHOOK_PRODUCER[type] === name);
        if (!eventTypes.length) continue;
        const res = await call(svc.app, 'POST', '/v1/webhooks/subscriptions', svc.token(['webhooks:manage', 'seekers:read', 'matching:read']), { url: hookUrl, secret: 'a-secret-of-the-pii-walk', eventTypes });
        if (res.statusCode !== 201) throw new Error(`${name}: subscription ${res.statusCode} ${res.body}`);
      }
    },
    env: { WEBHOOK_ALLOW_LOOPBACK: 'true' },
  },
);

/** Lists that stay empty by design: matching and the aid bases show no personal information, so they audit no reads of it. */
const EMPTY_BY_DESIGN = new Set(['matching GET /v1/audit/pii-access', 'assistance-bases GET /v1/audit/pii-access']);

t.test('without pii:read, no GET route of any service shows anything from which an identity number or phone can be rebuilt', async (t) => {
  const known = await cityPii(city);
  t.ok(known.idNumbers.length >= COMMUNITIES.length * 2, `${known.idNumbers.length} identity numbers known`);
  t.ok(known.phones.length >= COMMUNITIES.length * 3, `${known.phones.length} phones known`);

  const leaks: string[] = [];
  const { routes, unfilled } = await walkGetRoutes(city, ({ key, url, body }) => {
    const found = piiLeaks(known, body);
    if (found.length) leaks.push(`${key} ${url}: ${describeLeaks(found)}`);
  });
  for (const { key, answered, showed } of routes) {
    t.ok(answered > 0 && (showed > 0 || EMPTY_BY_DESIGN.has(key)), `${key}: answered ${answered} times, ${showed} with something to show`);
  }
  t.same(unfilled, [], 'every GET route could be called; teach test/support/get-walk.ts the others');
  t.same(leaks, [], 'no answer lets a caller without pii:read rebuild an identity number or phone');
});

t.test('no webhook body, of any type, shows anything from which an identity number or phone can be rebuilt', async (t) => {
  const known = await cityPii(city);
  const expected = ['seeker.re-employed', 'referral.outcome', 'matching-run.completed'];
  const types = await eventually(async () => {
    const seen = new Set(delivered.map((d) => d.type));
    return expected.every((type) => seen.has(type)) ? seen : undefined;
  }, 15_000);
  t.ok(types, `the city's events reached the receiver: ${[...types].join(', ')}`);
  const leaks = delivered.flatMap((d) => {
    const found = piiLeaks(known, d.body);
    return found.length ? [`${d.type}: ${describeLeaks(found)}`] : [];
  });
  t.same(leaks, [], 'no webhook body lets its receiver rebuild an identity number or phone');
});
