import t from 'tap';
import { registration } from '../src/definition.ts';
import { build } from './helper.ts';
import { ALL, COMMUNITY, client, count, seeker } from './fixtures.ts';

type Svc = Awaited<ReturnType<typeof build>>;

async function auditRows(svc: Svc) {
  const { rows } = await svc.ctx.database.pool.query('select caller, method, route, record_type, record_id from pii_audit order by id');
  return rows as { caller: string; method: string; route: string; record_type: string; record_id: string }[];
}

t.test('every answer that shows a seeker unmasked is audited, one entry per record shown; masked answers are not', async (t) => {
  const svc = await build(t);
  const writer = client(svc, ALL.filter((s) => s !== 'pii:read'));
  const household = await writer.post('/v1/households', { communityCode: COMMUNITY });
  t.equal(household.statusCode, 201, household.body);
  const hh = household.json().id as string;
  const head = await writer.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'head' }));
  const spouse = await writer.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'spouse' }));
  t.equal(head.statusCode, 201, head.body);
  t.equal(spouse.statusCode, 201, spouse.body);
  const [a, b] = [head.json().id as string, spouse.json().id as string];

  // Without pii:read: masked everywhere, nothing audited.
  t.match((await writer.get(`/v1/job-seekers/${a}`)).json().name, /^张\*+$/);
  await writer.get('/v1/job-seekers');
  await writer.get(`/v1/households/${hh}`);
  t.same(await auditRows(svc), [], 'masked answers leave no audit entry');

  // With pii:read: each unmasked answer names each record it showed, and the route.
  const reader = client(svc, ALL);
  const one = await reader.get(`/v1/job-seekers/${a}`);
  t.equal(one.json().name, '张伟', 'unmasked for pii:read');
  const list = await reader.get(`/v1/job-seekers?region=${COMMUNITY}`);
  t.equal(list.json().items.length, 2);
  const house = await reader.get(`/v1/households/${hh}`);
  t.equal(house.json().members[0].name, '张伟');
  const missing = await reader.get('/v1/job-seekers/00000000-0000-4000-8000-000000000000');
  t.equal(missing.statusCode, 404, 'a failed read shows nothing and is not audited');

  const rows = await auditRows(svc);
  const caller = rows[0]?.caller;
  t.ok(caller, 'the caller is named');
  const key = (row: string[]) => row.join(' ');
  t.same(
    rows.map((r) => key([r.method, r.route, r.record_type, r.record_id])).sort(),
    [
      ['GET', '/v1/job-seekers/:id', 'job-seeker', a],
      ...[a, b].map((id) => ['GET', '/v1/job-seekers', 'job-seeker', id]),
      ...[a, b].map((id) => ['GET', '/v1/households/:id', 'job-seeker', id]),
    ].map(key).sort(),
    'one entry per record shown, by route',
  );

  const trail = await reader.get(`/v1/audit/pii-access?recordId=${b}`);
  t.equal(trail.statusCode, 403, 'reading the trail needs audit:read');
  const auditor = client(svc, ['audit:read']);
  const entries = (await auditor.get(`/v1/audit/pii-access?recordId=${b}`)).json().items as { route: string }[];
  t.same(entries.map((e) => e.route).sort(), ['/v1/households/:id', '/v1/job-seekers'], 'an auditor finds who read this person, and where');
});

t.test('a write answered unmasked is audited too', async (t) => {
  const svc = await build(t);
  const reader = client(svc, ALL);
  const created = await reader.post('/v1/job-seekers', seeker());
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as string;
  const changed = await reader.post(`/v1/job-seekers/${id}/employment`, { status: 'employed', at: new Date().toISOString(), employerName: '人民商场' });
  t.equal(changed.statusCode, 201, changed.body);
  const rows = await auditRows(svc);
  t.same(
    rows.map((r) => [r.method, r.route, r.record_id]),
    [
      ['POST', '/v1/job-seekers', id],
      ['POST', '/v1/job-seekers/:id/employment', id],
    ],
  );
});

t.test('an Idempotency-Key answer that showed a seeker unmasked is stored encrypted, replayed only with pii:read and audited again', async (t) => {
  const svc = await build(t);
  const reader = client(svc, ALL);
  const person = seeker({ phone: '13812345678' });
  const first = await reader.post('/v1/job-seekers', person, { 'idempotency-key': 'pii-seal-1' });
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.json().idNumber, person.idNumber, 'unmasked for pii:read');
  const id = first.json().id as string;

  const stored = JSON.stringify((await svc.ctx.database.pool.query('select response from idempotency_keys')).rows);
  t.notOk(stored.includes(person.idNumber), 'no plaintext identity number in the stored answer');
  t.notOk(stored.includes('13812345678'), 'no plaintext phone in the stored answer');
  t.notOk(stored.includes('张伟'), 'no plaintext name in the stored answer');
  t.ok(stored.includes(id), 'the record it showed stays findable (retention removes the stored answer with the person)');

  const replay = await reader.post('/v1/job-seekers', person, { 'idempotency-key': 'pii-seal-1' });
  t.equal(replay.statusCode, 201);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.body, first.body, 'the first answer, byte for byte');

  const masked = client(svc, ALL.filter((s) => s !== 'pii:read'));
  const refused = await masked.post('/v1/job-seekers', person, { 'idempotency-key': 'pii-seal-1' });
  t.equal(refused.statusCode, 403, 'the same caller without pii:read does not get the unmasked answer');
  t.notOk(refused.body.includes(person.idNumber));
  t.notOk(refused.body.includes('13812345678'));

  const rows = await auditRows(svc);
  t.same(
    rows.map((r) => [r.method, r.route, r.record_id]),
    [
      ['POST', '/v1/job-seekers', id],
      ['POST', '/v1/job-seekers', id],
    ],
    'the first answer and its replay are both audited; the refusal is not',
  );

  // A masked first answer is stored (and replayed) as before.
  const other = seeker();
  const plain = await masked.post('/v1/job-seekers', other, { 'idempotency-key': 'pii-seal-2' });
  t.equal(plain.statusCode, 201, plain.body);
  const again = await masked.post('/v1/job-seekers', other, { 'idempotency-key': 'pii-seal-2' });
  t.equal(again.body, plain.body);
  t.equal(again.headers['idempotent-replayed'], 'true');
});

t.test('an unknown path or a bad field name holding an identity number or phone is not echoed in the problem', async (t) => {
  const svc = await build(t);
  const writer = client(svc, ALL);
  const person = seeker();
  const missing = await writer.get(`/v1/nothing/${person.idNumber}/13812345678`);
  t.equal(missing.statusCode, 404);
  t.notOk(missing.body.includes(person.idNumber), missing.body);
  t.notOk(missing.body.includes('13812345678'), missing.body);
  const unknown = await writer.post('/v1/job-seekers', { ...person, [person.idNumber]: '13812345678' });
  t.equal(unknown.statusCode, 400);
  t.notOk(unknown.body.includes(person.idNumber), unknown.body);
});

t.test('an Idempotency-Key answer is replayed only to a token with the same regions and scopes', async (t) => {
  const svc = await build(t);
  const key = { 'idempotency-key': 'household-1' };
  const body = { communityCode: COMMUNITY };
  const city = client(svc, ALL, ['3205']);
  const first = await city.post('/v1/households', body, key);
  t.equal(first.statusCode, 201, first.body);
  const replay = await city.post('/v1/households', body, key);
  t.equal(replay.headers['idempotent-replayed'], 'true', 'the same token gets the first answer');
  t.equal(replay.body, first.body);
  // The same system (sub) with a token for another district, or other scopes, is not the same request.
  for (const other of [client(svc, ALL, ['320506']), client(svc, ['seekers:write'], ['3205'])]) {
    const res = await other.post('/v1/households', body, key);
    t.equal(res.statusCode, 422, res.body);
    t.match(res.json().detail, /other regions or scopes/);
    t.notOk(res.headers['idempotent-replayed']);
    t.notOk(res.body.includes(first.json().id), 'the household is not shown');
  }
  t.equal(await count(svc, 'households'), 1, 'nothing stored twice');
});

t.test("the audit trail shows an auditor only the reads of records inside the auditor's regions, whoever the caller asked about", async (t) => {
  const svc = await build(t);
  const reader = client(svc, ALL);
  const inside = await reader.post('/v1/job-seekers', seeker({ communityCode: COMMUNITY }));
  const elsewhere = await reader.post('/v1/job-seekers', seeker({ communityCode: '320506001012' }));
  t.equal(inside.statusCode, 201, inside.body);
  t.equal(elsewhere.statusCode, 201, elsewhere.body);
  const [a, b] = [inside.json().id as string, elsewhere.json().id as string];
  await reader.get(`/v1/job-seekers/${a}`);
  await reader.get(`/v1/job-seekers/${b}`);

  const auditor = (regions: string[], extra: { aidBase?: string } = {}) => {
    const token = svc.token(['audit:read'], regions, { sub: `auditor-${regions.join('-')}`, ...extra });
    return async (query = '') => {
      const res = await svc.app.inject({ url: `/v1/audit/pii-access${query}`, headers: { authorization: `Bearer ${token}` } });
      t.equal(res.statusCode, 200, res.body);
      return res.json().items as { recordId: string; region: string; caller: string }[];
    };
  };
  const gusu = auditor(['320508']);
  const canglang = auditor(['320506']);
  for (const query of ['', '?caller=test-system', `?recordId=${b}`, `?caller=test-system&recordId=${b}`]) {
    const seen = await gusu(query);
    t.ok(seen.every((e) => e.recordId === a && e.region === COMMUNITY), `姑苏 ${query || '(all)'}: only the record inside`);
    t.equal(seen.length, query.includes(b) ? 0 : 2, `姑苏 ${query || '(all)'}: the create and the read of its own record`);
  }
  const other = await canglang('?caller=test-system');
  t.same([...new Set(other.map((e) => e.recordId))], [b], 'the other district sees only its own record');
  t.ok(other.every((e) => e.region === '320506001012'));
  t.same((await auditor(['3205'])('?caller=test-system')).map((e) => e.recordId).sort(), [a, a, b, b].sort(), 'a city auditor sees both');
  t.same(await auditor(['3205'], { aidBase: '00000000-0000-4000-8000-000000000001' })(), [], "an aid base's token sees none: no audited record belongs to a base");
});

t.test('entries and stored answers from before regions and before the birth date was withheld are brought up to date', async (t) => {
  const svc = await build(t);
  const pool = svc.ctx.database.pool;
  const reader = client(svc, ALL);
  const masked = client(svc, ALL.filter((s) => s !== 'pii:read'));
  const [first, second] = [seeker(), seeker()];
  const sealed = await reader.post('/v1/job-seekers', first, { 'idempotency-key': 'legacy-sealed' });
  const plain = await masked.post('/v1/job-seekers', second, { 'idempotency-key': 'legacy-plain' });
  t.equal(sealed.statusCode, 201, sealed.body);
  t.equal(plain.statusCode, 201, plain.body);
  const [a, b] = [sealed.json().id as string, plain.json().id as string];
  const birthDate = (await reader.get(`/v1/job-seekers/${b}`)).json().birthDate as string;
  // As they were written before: entries without a region, audit notes with bare ids, masked answers with the birth date.
  await pool.query('update pii_audit set region = null');
  await pool.query(`update idempotency_keys set response = jsonb_set(response, '{pii}', '[{"recordType":"job-seeker","ids":["${a}"]}]') where key = 'legacy-sealed'`);
  await pool.query(
    `update idempotency_keys set response = jsonb_set(response, '{body}', to_jsonb(regexp_replace(response->>'body', '("gender":"[a-z]+",)', '\\1"birthDate":"${birthDate}",'))) where key = 'legacy-plain'`,
  );
  t.match((await pool.query(`select response->>'body' as body from idempotency_keys where key = 'legacy-plain'`)).rows[0].body, birthDate, 'the legacy answer holds the birth date');

  const { migrations } = registration;
  for (const name of ['2026-12-08-10-pii-audit-regions', '2026-12-08-11-answers-without-birth-date']) await migrations[name]!.up(svc.ctx.db as never);

  const { rows } = await pool.query('select record_id, region from pii_audit');
  t.ok(rows.length > 0 && rows.every((r: { region: string | null }) => r.region === COMMUNITY), 'every old entry names its record\'s community');
  const replay = await reader.post('/v1/job-seekers', first, { 'idempotency-key': 'legacy-sealed' });
  t.equal(replay.headers['idempotent-replayed'], 'true');
  const last = (await pool.query('select record_id, region from pii_audit order by id desc limit 1')).rows[0];
  t.same(last, { record_id: a, region: COMMUNITY }, 'a replay of an old sealed answer is audited with the region');
  const again = await masked.post('/v1/job-seekers', second, { 'idempotency-key': 'legacy-plain' });
  t.equal(again.statusCode, 201);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.notOk(again.json().birthDate, 'a replay of an old masked answer no longer shows the birth date');
  t.equal(again.body, plain.body, 'and is otherwise the first answer, byte for byte');
});
