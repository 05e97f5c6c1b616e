import t from 'tap';
import { build } from './helper.ts';
import { auth, COMMUNITY, count, employer } from './fixtures.ts';

t.test('registers an employer, encrypts and masks the contact, reveals it with pii:read and audits that', async (t) => {
  const svc = await build(t);
  const body = employer({ creditCode: '91440300708461136t', contactPhone: '139-1234-5678' });
  const res = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: body });
  t.equal(res.statusCode, 201, res.body);
  const created = res.json();
  t.equal(created.creditCode, '91440300708461136T', 'normalised to upper case');
  t.equal(created.contactPhone, '139****5678');
  t.equal(created.contactName, '李**');
  t.equal(res.headers.location, `/v1/employers/${created.id}`);

  const reveal = await svc.app.inject({ method: 'GET', url: `/v1/employers/${created.id}`, headers: auth(svc, ['employers:read', 'pii:read']) });
  t.equal(reveal.statusCode, 200, reveal.body);
  t.equal(reveal.json().contactPhone, '13912345678');
  t.equal(reveal.json().contactName, '李建国');
  const { rows: audit } = await svc.ctx.database.pool.query('select record_id from pii_audit');
  t.same(audit.map((r: { record_id: string }) => r.record_id), [created.id], 'only the unmasked read is audited');

  const { rows } = await svc.ctx.database.pool.query('select * from employers');
  const dump = JSON.stringify(rows);
  t.notOk(dump.includes('13912345678'), 'no plaintext phone at rest');
  t.notOk(dump.includes('李建国'), 'no plaintext contact name at rest');
});

t.test('credit code check: each failure names the field and stores nothing', async (t) => {
  const svc = await build(t);
  const cases = [
    ['91440300708461136X', /check character/],
    ['9144030070846113', /18 characters/],
    ['91440300708461136I', /capital letters/],
  ] as const;
  for (const [code, message] of cases) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer({ creditCode: code }) });
    t.equal(res.statusCode, 400, code);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(res.json().errors[0].field, 'body.creditCode');
    t.match(res.json().errors[0].message, message);
  }
  const phone = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer({ contactPhone: '12345' }) });
  t.equal(phone.json().errors[0].field, 'body.contactPhone');
  t.notOk(phone.body.includes('12345'), 'the phone is not echoed');
  const unknown = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: { ...employer(), extra: 1 } });
  t.equal(unknown.statusCode, 400, 'unknown keys are refused');
  t.equal(await count(svc, 'employers'), 0);
});

t.test('the same credit code twice is a 409 with the existing id, lower case included', async (t) => {
  const svc = await build(t);
  const body = employer({ creditCode: '91110108551385082Q' });
  const first = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: body });
  const again = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: { ...body, name: '小米', creditCode: '91110108551385082q' } });
  t.equal(again.statusCode, 409);
  t.equal(again.json().existingId, first.json().id);
  t.equal(await count(svc, 'employers'), 1);
});

t.test('regions: writes outside are 403, reads outside are 404, lists filter', async (t) => {
  const svc = await build(t);
  const outside = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc, undefined, ['320506']), payload: employer() });
  t.equal(outside.statusCode, 403);
  t.equal(outside.json().errors[0].field, 'body.communityCode');
  const badCode = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer({ communityCode: '3205080240' }) });
  t.equal(badCode.json().errors[0].field, 'body.communityCode');

  const mine = (await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer() })).json();
  const theirs = (await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc, undefined, ['320506']), payload: employer({ communityCode: '320506001001', name: '苏州人民商场' }) })).json();
  const hidden = await svc.app.inject({ method: 'GET', url: `/v1/employers/${theirs.id}`, headers: auth(svc) });
  t.equal(hidden.statusCode, 404);
  const list = await svc.app.inject({ method: 'GET', url: '/v1/employers', headers: auth(svc, undefined, ['3205']) });
  t.equal(list.json().items.length, 2);
  const narrowed = await svc.app.inject({ method: 'GET', url: '/v1/employers?region=320508', headers: auth(svc, undefined, ['3205']) });
  t.same(narrowed.json().items.map((e: { id: string }) => e.id), [mine.id]);
  const byName = await svc.app.inject({ method: 'GET', url: `/v1/employers?q=${encodeURIComponent('人民')}`, headers: auth(svc, undefined, ['3205']) });
  t.same(byName.json().items.map((e: { id: string }) => e.id), [theirs.id]);
  const byCode = await svc.app.inject({ method: 'GET', url: `/v1/employers?creditCode=${mine.creditCode.toLowerCase()}`, headers: auth(svc, undefined, ['3205']) });
  t.same(byCode.json().items.map((e: { id: string }) => e.id), [mine.id]);
});

t.test('pages by cursor without repeats; a forged cursor is a 400', async (t) => {
  const svc = await build(t);
  for (let i = 0; i < 5; i++) await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer({ name: `企业${i}` }) });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/employers?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await svc.app.inject({ method: 'GET', url, headers: auth(svc) })).json();
    seen.push(...page.items.map((e: { id: string }) => e.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.equal(seen.length, 5);
  t.equal(new Set(seen).size, 5);
  const forged = await svc.app.inject({ method: 'GET', url: '/v1/employers?cursor=abc', headers: auth(svc) });
  t.equal(forged.statusCode, 400);
  t.equal(forged.json().errors[0].field, 'query.cursor');
});

t.test('PATCH needs If-Match, keeps the credit code, refuses a stale ETag', async (t) => {
  const svc = await build(t);
  const created = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: auth(svc), payload: employer() });
  const id = created.json().id;
  const etag = created.headers.etag as string;
  const missing = await svc.app.inject({ method: 'PATCH', url: `/v1/employers/${id}`, headers: auth(svc), payload: { name: '新名' } });
  t.equal(missing.statusCode, 428);
  const changed = await svc.app.inject({ method: 'PATCH', url: `/v1/employers/${id}`, headers: { ...auth(svc), 'if-match': etag }, payload: { name: '新名', contactPhone: null } });
  t.equal(changed.statusCode, 200, changed.body);
  t.equal(changed.json().name, '新名');
  t.equal(changed.json().contactPhone, null);
  const stale = await svc.app.inject({ method: 'PATCH', url: `/v1/employers/${id}`, headers: { ...auth(svc), 'if-match': etag }, payload: { name: '又名' } });
  t.equal(stale.statusCode, 412);
  const code = await svc.app.inject({ method: 'PATCH', url: `/v1/employers/${id}`, headers: { ...auth(svc), 'if-match': changed.headers.etag as string }, payload: { creditCode: '91110108551385082Q' } });
  t.equal(code.statusCode, 400, 'the credit code is fixed');
  t.equal(COMMUNITY.length, 12);
});

t.test('an Idempotency-Key answer that showed a contact unmasked is stored encrypted and replayed only with pii:read, audited', async (t) => {
  const svc = await build(t);
  const body = employer();
  const headers = { ...auth(svc, ['employers:write', 'pii:read']), 'idempotency-key': 'employer-seal-1' };
  const first = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers, payload: body });
  t.equal(first.statusCode, 201, first.body);
  t.equal(first.json().contactPhone, '13912345678');
  const stored = JSON.stringify((await svc.ctx.database.pool.query('select response from idempotency_keys')).rows);
  t.notOk(stored.includes('13912345678'), 'no plaintext contact phone in the stored answer');
  t.notOk(stored.includes('李建国'), 'no plaintext contact name in the stored answer');

  const replay = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers, payload: body });
  t.equal(replay.statusCode, 201);
  t.equal(replay.body, first.body);
  const refused = await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: { ...auth(svc, ['employers:write']), 'idempotency-key': 'employer-seal-1' }, payload: body });
  t.equal(refused.statusCode, 403, 'without pii:read the unmasked answer is not replayed');
  t.notOk(refused.body.includes('13912345678'));
  const { rows } = await svc.ctx.database.pool.query('select record_id from pii_audit');
  t.equal(rows.length, 2, 'the first answer and its replay are audited');
});
