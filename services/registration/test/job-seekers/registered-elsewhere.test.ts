/**
 * Issue #18, finding 6: registering a person tells the caller whether that
 * person is registered in another region. The whole request is validated before
 * the lookup, so an invalid request answers the same whoever it names; every
 * answer that does tell is audited (for the person's region), counted and
 * limited per calling system, for single registrations and imports alike.
 */
import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';
import { ALL, COMMUNITY, count } from '../fixtures.ts';

type Svc = Awaited<ReturnType<typeof build>>;

/** 沧浪: another district than the registered people's 姑苏. */
const OTHER_DISTRICT = '320506001012';
const BUDGET = 3;

let n = 0;
const number = () => makeIdNumber('320508', `1981-0${(n % 9) + 1}-1${n % 10}`, 100 + n++, 'female');
const body = (idNumber: string, extra: Record<string, unknown> = {}) => ({ idNumber, name: '王芳', communityCode: OTHER_DISTRICT, education: 'primary', ...extra });

/** A service with people registered in 姑苏 by the city, and a caller from 沧浪 (its own calling system). */
async function setUp(t: { after(fn: () => unknown): void }) {
  const svc = await build(t, { env: { REGISTERED_ELSEWHERE_ANSWERS: String(BUDGET), REGISTERED_ELSEWHERE_PERIOD_HOURS: '24' } });
  const city = svc.token(ALL, ['3205'], { sub: 'city-platform' });
  const registered: { idNumber: string; id: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const idNumber = number();
    const res = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { authorization: `Bearer ${city}` }, payload: body(idNumber, { communityCode: COMMUNITY }) });
    if (res.statusCode !== 201) throw new Error(res.body);
    registered.push({ idNumber, id: res.json().id });
  }
  const as = (sub: string) => {
    const token = svc.token(['seekers:read', 'seekers:write'], ['320506'], { sub });
    return {
      post: (payload: unknown, headers: Record<string, string> = {}) =>
        svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { authorization: `Bearer ${token}`, ...headers }, payload: payload as object }),
      upload: (rows: unknown[]) =>
        svc.app.inject({
          method: 'POST',
          url: '/v1/job-seekers/import',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
          payload: rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
        }),
    };
  };
  return { svc, registered, as };
}

async function auditRows(svc: Svc) {
  const { rows } = await svc.ctx.database.pool.query("select caller, route, record_id, region from pii_audit where record_type = 'registered-elsewhere' order by id");
  return rows as { caller: string; route: string; record_id: string; region: string }[];
}

/** The parts of a problem that depend on the request, not on the moment. */
const answer = (res: { statusCode: number; json(): Record<string, unknown> }) => {
  const { requestId: _id, ...rest } = res.json();
  return { status: res.statusCode, ...rest };
};

t.test('an invalid registration answers the same whether or not the person is registered elsewhere', async (t) => {
  const { svc, registered, as } = await setUp(t);
  const probe = as('canglang-platform');
  const unknownHousehold = { householdId: '00000000-0000-4000-8000-00000000abcd', relationship: 'head' };
  const known = await probe.post(body(registered[0]!.idNumber, unknownHousehold));
  const unknown = await probe.post(body(number(), unknownHousehold));
  t.equal(known.statusCode, 400, known.body);
  t.same(answer(known), answer(unknown), 'the same problem for a person registered elsewhere and for a stranger');
  t.equal(known.json().errors[0].field, 'body.householdId');

  const rows = (idNumber: string) => [body(idNumber, unknownHousehold)];
  const imported = await probe.upload(rows(registered[1]!.idNumber));
  const stranger = await probe.upload(rows(number()));
  t.same(imported.json().report, stranger.json().report, 'an import row too');
  t.same(imported.json().report[0].errors, [{ field: 'householdId', message: 'is not a known household' }]);
  t.same(await auditRows(svc), [], 'nothing was revealed, nothing audited');
});

t.test('each answer that reveals a registration elsewhere is audited for its region and counted; beyond the budget every registration of the caller waits', async (t) => {
  const { svc, registered, as } = await setUp(t);
  const probe = as('canglang-platform');
  for (const person of registered.slice(0, BUDGET)) {
    const res = await probe.post(body(person.idNumber));
    t.equal(res.statusCode, 409, res.body);
    t.notOk(res.body.includes(person.id), 'the record elsewhere is not named');
  }
  t.same(
    (await auditRows(svc)).map((r) => [r.caller, r.route, r.record_id, r.region]),
    registered.slice(0, BUDGET).map((p) => ['canglang-platform', '/v1/job-seekers', p.id, COMMUNITY]),
    'who, by which route, which record, in which region; never the number',
  );
  t.notOk(JSON.stringify(await auditRows(svc)).includes(registered[0]!.idNumber));

  // The budget is spent: the next registration is refused whoever it names, a stranger included, and nothing is stored.
  const before = await count(svc, 'job_seekers');
  for (const idNumber of [registered[BUDGET]!.idNumber, number()]) {
    const res = await probe.post(body(idNumber), { 'idempotency-key': `after-budget-${idNumber}` });
    t.equal(res.statusCode, 429, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.ok(Number(res.headers['retry-after']) > 0, 'says when to retry');
  }
  const upload = await probe.upload([body(number())]);
  t.equal(upload.statusCode, 429, 'an import too');
  t.equal(await count(svc, 'job_seekers'), before, 'nothing stored');
  t.equal((await auditRows(svc)).length, BUDGET, 'no further answer revealed');

  // Another calling system has its own budget; the spent one recovers once its answers age past the period.
  t.equal((await as('suzhou-street-platform').post(body(registered[BUDGET]!.idNumber))).statusCode, 409);
  await svc.ctx.database.pool.query("update pii_audit set at = now() - interval '25 hours' where caller = 'canglang-platform'");
  const later = await probe.post(body(registered[BUDGET]!.idNumber), { 'idempotency-key': `after-budget-${registered[BUDGET]!.idNumber}` });
  t.equal(later.statusCode, 409, 'a refusal for the budget is not kept under its Idempotency-Key: the same request runs again');
  t.equal((await probe.post(body(number()))).statusCode, 201, 'registrations go through again');

  const auditor = svc.token(['audit:read'], ['320508'], { sub: 'gusu-auditor' });
  const trail = await svc.app.inject({ url: '/v1/audit/pii-access?caller=canglang-platform', headers: { authorization: `Bearer ${auditor}` } });
  t.same(
    trail.json().items.map((e: { recordType: string; recordId: string }) => [e.recordType, e.recordId]).sort(),
    registered.slice(0, BUDGET + 1).map((p) => ['registered-elsewhere', p.id]).sort(),
    "the auditor of the person's district sees who learned of them (the answers aged out included)",
  );
  const metrics = (await svc.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } })).body;
  t.match(metrics, /registered_elsewhere_answers_total\{[^}]*channel="post"[^}]*outcome="answered"[^}]*\} 5/, 'answers counted (both callers)');
  t.match(metrics, /registered_elsewhere_answers_total\{[^}]*channel="post"[^}]*outcome="refused"[^}]*\} 2/, 'refusals counted');
});

t.test('an import reveals at most the budget: it stops at the row beyond it and reports that row and the rest as not processed', async (t) => {
  const { svc, registered, as } = await setUp(t);
  const probe = as('canglang-platform');
  // Strangers (new people) and people registered elsewhere, interleaved; the fourth of those is one too many.
  const rows = [
    body(number()), body(registered[0]!.idNumber), body(number()), body(registered[1]!.idNumber), body(registered[2]!.idNumber),
    body(number()), body(registered[3]!.idNumber), body(number()), body(registered[4]!.idNumber), { ...body(number()), education: 'none-such' },
  ];
  const res = await probe.upload(rows);
  t.equal(res.statusCode, 200, res.body);
  const report = res.json().report as { line: number; status: string; errors?: { field: string; message: string }[] }[];
  t.same(report.map((r) => r.status), ['created', 'failed', 'created', 'failed', 'failed', 'created', 'failed', 'failed', 'failed', 'failed']);
  for (const line of [2, 4, 5]) t.same(report[line - 1]!.errors, [{ field: 'idNumber', message: 'this person is registered outside your regions' }], `line ${line} reveals`);
  const notProcessed = report.slice(6).map((r) => r.errors);
  t.ok(notProcessed.every((e) => e?.length === 1 && e[0]!.field === 'row' && /not processed/.test(e[0]!.message)), 'line 7 and every line after it: not processed');
  t.equal(new Set(notProcessed.map((e) => JSON.stringify(e))).size, 1, 'all for the same generic reason, whatever each row holds');
  t.equal(await count(svc, 'job_seekers'), registered.length + 3, 'only the rows before the cut are stored');
  t.same((await auditRows(svc)).map((r) => [r.route, r.record_id]), registered.slice(0, 3).map((p) => ['/v1/job-seekers/import', p.id]));
  t.match((await svc.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } })).body, /registered_elsewhere_answers_total\{[^}]*channel="import"[^}]*outcome="answered"[^}]*\} 3/);
  t.equal((await probe.post(body(number()))).statusCode, 429, 'the budget is spent for single registrations too');
});
