import t from 'tap';
import { build } from './helper.ts';
import { auth, createEmployer, createVacancy, inDays, outboxTypes } from './fixtures.ts';

t.test('PATCH needs If-Match, refreshes, re-validates the merged result and publishes the snapshot', async (t) => {
  const svc = await build(t);
  const v = await createVacancy(svc, await createEmployer(svc));
  const url = `/v1/vacancies/${v.id}`;
  const read = await svc.app.inject({ method: 'GET', url, headers: auth(svc) });
  const etag = read.headers.etag as string;

  t.equal((await svc.app.inject({ method: 'PATCH', url, headers: auth(svc), payload: { wageMax: 5000 } })).statusCode, 428);
  const inverted = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: { wageMax: 3000 } });
  t.equal(inverted.statusCode, 400);
  t.equal(inverted.json().errors[0].field, 'body.wageMax', 'checked against the stored wageMin');
  const ages = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: { minAge: 60 } });
  t.equal(ages.json().errors[0].field, 'body.maxAge');
  const welfare = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: { kind: 'public-welfare' } });
  t.equal(welfare.json().errors[0].field, 'body.reservedFor');
  const moved = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: { communityCode: '320506001001' } });
  t.equal(moved.statusCode, 403);

  const ok = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: { wageMax: 5000, headcount: 5, validUntil: inDays(60) } });
  t.equal(ok.statusCode, 200, ok.body);
  t.match(ok.json(), { wageMax: 5000, headcount: 5, headcountLeft: 5, version: 2 });
  t.ok(ok.json().refreshedAt > v.refreshedAt, 'refreshed');
  t.equal((await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': etag }, payload: {} })).statusCode, 412, 'stale ETag');
  t.same(await outboxTypes(svc, v.id), ['vacancy.created', 'vacancy.updated']);
  const { rows } = await svc.ctx.database.pool.query(`select payload from outbox where type = 'vacancy.updated'`);
  t.match(rows[0].payload, { wageMax: 5000, headcount: 5, headcountLeft: 5 });
});

t.test('a PATCH that makes the post equal to another open one is a 409 naming it', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const a = await createVacancy(svc, employerId, { title: '保安员' });
  const b = await createVacancy(svc, employerId, { title: '门卫' });
  const etag = (await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${b.id}`, headers: auth(svc) })).headers.etag as string;
  const res = await svc.app.inject({ method: 'PATCH', url: `/v1/vacancies/${b.id}`, headers: { ...auth(svc), 'if-match': etag }, payload: { title: ' 保安员 ' } });
  t.equal(res.statusCode, 409);
  t.equal(res.json().existingId, a.id);
});

t.test('close: an open vacancy closes with its reason and a vacancy.closed event; closing twice is a 409', async (t) => {
  const svc = await build(t);
  const v = await createVacancy(svc, await createEmployer(svc));
  const noReason = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${v.id}/close`, headers: auth(svc), payload: {} });
  t.equal(noReason.statusCode, 400);
  t.equal(noReason.json().errors[0].field, 'body.reason');
  const stale = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${v.id}/close`, headers: { ...auth(svc), 'if-match': `"${v.id}.9"` }, payload: { reason: 'x' } });
  t.equal(stale.statusCode, 412, 'If-Match is honoured when sent');
  const closed = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${v.id}/close`, headers: auth(svc), payload: { reason: '用人单位已自行招满' } });
  t.equal(closed.statusCode, 200, closed.body);
  t.match(closed.json(), { status: 'closed', statusReason: '用人单位已自行招满' });
  t.ok(closed.json().closedAt);
  const again = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${v.id}/close`, headers: auth(svc), payload: { reason: 'again' } });
  t.equal(again.statusCode, 409);
  const etag = closed.headers.etag as string;
  const patch = await svc.app.inject({ method: 'PATCH', url: `/v1/vacancies/${v.id}`, headers: { ...auth(svc), 'if-match': etag }, payload: { wageMax: 9000 } });
  t.equal(patch.statusCode, 409, 'a closed vacancy does not change');
  t.same(await outboxTypes(svc, v.id), ['vacancy.created', 'vacancy.closed']);
  const readOnly = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${v.id}/close`, headers: auth(svc, ['vacancies:read']), payload: { reason: 'x' } });
  t.equal(readOnly.statusCode, 403, 'closing needs vacancies:write');
});

t.test('merge keeps one vacancy with the sources of both and closes the other', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const collected = await createVacancy(svc, employerId, { title: '商场保安员', source: 'coordinator' });
  const fair = await createVacancy(svc, employerId, { title: '商场保安员(招聘会)', source: 'job-fair', communityCode: '320508024044' });
  t.same(fair.nearDuplicates.map((d: { id: string }) => d.id), [collected.id]);

  const res = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${collected.id}/merge`, headers: auth(svc), payload: { duplicateId: fair.id } });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().sources, ['coordinator', 'job-fair']);
  t.same(res.json().mergedFrom, [fair.id]);
  t.same(res.json().nearDuplicates, [], 'no longer a near duplicate');
  const dup = (await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${fair.id}`, headers: auth(svc) })).json();
  t.match(dup, { status: 'closed', mergedInto: collected.id });
  t.same(await outboxTypes(svc, fair.id), ['vacancy.created', 'vacancy.closed']);
  t.same(await outboxTypes(svc, collected.id), ['vacancy.created', 'vacancy.updated']);

  const twice = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${collected.id}/merge`, headers: auth(svc), payload: { duplicateId: fair.id } });
  t.equal(twice.statusCode, 409, 'a merged vacancy cannot be merged again');
  const self = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${collected.id}/merge`, headers: auth(svc), payload: { duplicateId: collected.id } });
  t.equal(self.json().errors[0].field, 'body.duplicateId');
  const other = await createVacancy(svc, await createEmployer(svc, { name: '别家' }), { title: '商场保安员' });
  const foreign = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${collected.id}/merge`, headers: auth(svc), payload: { duplicateId: other.id } });
  t.equal(foreign.statusCode, 400);
  t.match(foreign.json().errors[0].message, /another employer/);
});

t.test('merge checks If-Match on the kept vacancy when sent: a stale ETag is a 412 and changes nothing', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const keep = await createVacancy(svc, employerId, { title: '商场保安员' });
  const dup = await createVacancy(svc, employerId, { title: '商场保安员(招聘会)', source: 'job-fair' });
  const url = `/v1/vacancies/${keep.id}/merge`;
  const etag = (await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${keep.id}`, headers: auth(svc) })).headers.etag as string;
  const stale = await svc.app.inject({ method: 'POST', url, headers: { ...auth(svc), 'if-match': `"${keep.id}.9"` }, payload: { duplicateId: dup.id } });
  t.equal(stale.statusCode, 412, stale.body);
  t.equal(stale.json().code, 'precondition-failed');
  const unchanged = (await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${dup.id}`, headers: auth(svc) })).json();
  t.match(unchanged, { status: 'open', mergedInto: null });
  t.same(await outboxTypes(svc, keep.id), ['vacancy.created']);

  const merged = await svc.app.inject({ method: 'POST', url, headers: { ...auth(svc), 'if-match': etag }, payload: { duplicateId: dup.id } });
  t.equal(merged.statusCode, 200, merged.body);
  t.not(merged.headers.etag, etag, 'a new ETag');
});
