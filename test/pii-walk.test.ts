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
import { eventually } from '@reemploy/runtime/testing';
import { buildCity, cityPii, COMMUNITIES } from './regions-fixture.ts';
import { walkGetRoutes } from './support/get-walk.ts';
import { describeLeaks, piiLeaks } from './support/pii-leaks.ts';
import { startReceiver } from './support/webhook-receiver.ts';

// Webhook deliveries need somewhere to go: a receiver (on loopback, a development setting) that keeps every body.
const receiver = await startReceiver(t);
const delivered = () => receiver.received.map((r) => ({ type: String(r.headers['reemploy-event-type']), body: JSON.parse(r.body) as unknown }));
const city = await buildCity({ after: (fn) => t.teardown(fn) }, { webhooksTo: receiver.url() });

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
    const seen = new Set(delivered().map((d) => d.type));
    return expected.every((type) => seen.has(type)) ? seen : undefined;
  }, 15_000);
  t.ok(types, `the city's events reached the receiver: ${[...types].join(', ')}`);
  const leaks = delivered().flatMap((d) => {
    const found = piiLeaks(known, d.body);
    return found.length ? [`${d.type}: ${describeLeaks(found)}`] : [];
  });
  t.same(leaks, [], 'no webhook body lets its receiver rebuild an identity number or phone');
});
