/**
 * Issue #18, finding 1, the answers to writes: without `pii:read`, neither the
 * first answer to an Idempotency-Key write nor its replay, nor an import
 * report, shows anything from which an identity number or phone can be
 * rebuilt (test/support/pii-leaks.ts). Every idempotent write route of every
 * service's route catalogue is sent a body derived from its schema
 * (test/support/api-routes.ts) by a caller holding every scope its routes
 * declare, which never includes pii:read, and sent again under the same key.
 */
import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { BUILDERS, PII, serviceUnderTest } from '../support/api-routes.ts';
import { describeLeaks, piiLeaks, type KnownPii } from '../support/pii-leaks.ts';

/** The identity numbers and phones a request carries: what its answer must not give back unmasked. */
function carried(payload: unknown): KnownPii {
  const idNumbers = new Set<string>();
  const phones = new Set<string>([PII.phone]);
  const walk = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else if (typeof value === 'string' && /idNumber/i.test(key)) idNumbers.add(value.toUpperCase());
    else if (typeof value === 'string' && /phone/i.test(key)) phones.add(value);
  };
  walk(payload);
  return { idNumbers: [...idNumbers], phones: [...phones] };
}

t.test('without pii:read, no first answer to an idempotent write and no replay of it lets a caller rebuild an identity number or phone', async (t) => {
  const leaks: string[] = [];
  let replayed = 0;
  for (const name of Object.keys(BUILDERS)) {
    const s = await serviceUnderTest(t, name);
    const idempotent = new Set(s.svc.app.routeCatalog.filter((r) => r.idempotent).map((r) => `${r.method} ${r.url}`));
    // Routes on a record first: the helper makes that record through its collection's create, before this test's own create uses up a pair it would want (a referral per seeker and vacancy).
    const routes = s.writes.filter((r) => idempotent.has(`${r.method} ${r.url}`) && r.body).sort((a, b) => Number(b.params.length > 0) - Number(a.params.length > 0));
    for (const route of routes) {
      const payload = JSON.stringify(await s.example(route));
      const url = await s.path(route);
      const headers = { ...s.headers(route), 'idempotency-key': `walk-${route.method}-${route.url}` };
      const first = await s.svc.app.inject({ method: route.method as 'POST', url, headers, payload });
      const again = await s.svc.app.inject({ method: route.method as 'POST', url, headers, payload });
      const key = `${name} ${route.method} ${route.url}`;
      if (first.statusCode >= 500) throw new Error(`${key}: ${first.statusCode} ${first.body.slice(0, 300)}`);
      if (again.headers['idempotent-replayed'] === 'true') replayed++;
      const known = carried(JSON.parse(payload));
      for (const [which, res] of [['first answer', first], ['replay', again]] as const) {
        const found = piiLeaks(known, res.body ? JSON.parse(res.body) : null);
        if (found.length) leaks.push(`${key} ${which} (${res.statusCode}): ${describeLeaks(found)}`);
      }
    }
  }
  t.ok(replayed >= 10, `${replayed} answers replayed`);
  t.same(leaks, [], 'no answer or replay shows an identity number, a phone or a birth date');
});

t.test('without pii:read, an import report names nothing a caller could rebuild a number from', async (t) => {
  const s = await serviceUnderTest(t, 'registration');
  const city = s.svc.token(['seekers:write', 'seekers:read'], ['3205'], { sub: 'city' });
  const elsewhere = makeIdNumber('320508', '1974-11-27', 881, 'male');
  const registered = await s.svc.app.inject({
    method: 'POST',
    url: '/v1/job-seekers',
    headers: { authorization: `Bearer ${city}` },
    payload: { idNumber: elsewhere, name: '陈建军', phone: '13912340077', communityCode: '320508024043', education: 'primary' },
  });
  t.equal(registered.statusCode, 201, registered.body);
  const fresh = makeIdNumber('320506', '1968-02-03', 412, 'female');
  const rows = [
    { idNumber: fresh, name: '王芳', phone: '13912340078', communityCode: '320506001012', education: 'primary' },
    { idNumber: elsewhere, name: '陈建军', phone: '13912340077', communityCode: '320506001012', education: 'primary' },
    { idNumber: makeIdNumber('320506', '1966-07-08', 413, 'male'), name: '张伟', communityCode: '320506001012', education: 'primary', unemployedSince: '1966-07-09' },
    { idNumber: `${fresh.slice(0, 17)}${fresh[17] === '0' ? '1' : '0'}`, name: '李强', communityCode: '320506001012', education: 'primary' },
    { idNumber: makeIdNumber('320506', '1970-09-10', 414, 'male'), name: '赵磊', phone: '139-1234-00', communityCode: '320506001012', education: 'primary' },
  ];
  const district = s.svc.token(['seekers:write', 'seekers:read'], ['320506'], { sub: 'canglang' });
  const res = await s.svc.app.inject({
    method: 'POST',
    url: '/v1/job-seekers/import',
    headers: { authorization: `Bearer ${district}`, 'content-type': 'application/x-ndjson' },
    payload: rows.map((r) => JSON.stringify(r)).join('\n'),
  });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().report.map((r: { status: string }) => r.status), ['created', 'failed', 'failed', 'failed', 'failed']);
  const known = { idNumbers: rows.map((r) => r.idNumber), phones: ['13912340077', '13912340078'] };
  const found = piiLeaks(known, res.json());
  t.same(found, [], describeLeaks(found) || 'the report shows no identity number, phone or birth date');
  t.notOk(res.body.includes(registered.json().id), 'nor the record of the person registered elsewhere');
});
