/**
 * What the typed client (packages/client, generated from the documents) lets an
 * integrator write, checked by the compiler and then against the real
 * registration service: an import sent as NDJSON through the typed body, the
 * ETag of a created record read as the document's response header, and sent
 * back as If-Match. Without the documents declaring the import's body and the
 * ETag header, this file does not compile (`pnpm typecheck`).
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { makeIdNumber } from '@reemploy/domain';
import { createReemployClient, type RegistrationPaths } from '@reemploy/client';
import { build } from '../../services/registration/test/helper.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameType = <A, B>(same: Equal<A, B>) => same;

type Registered = RegistrationPaths['/v1/job-seekers']['post']['responses'][201];
type Read = RegistrationPaths['/v1/job-seekers/{id}']['get']['responses'][200];
type Imported = NonNullable<RegistrationPaths['/v1/job-seekers/import']['post']['requestBody']>['content'];
type Ledger = RegistrationPaths['/v1/ledgers/monthly']['get']['responses'][200]['content'];

t.test('the typed client sends an import body and reads the ETag it then sends as If-Match', async (t) => {
  // The compiler's part: each is `true` only when the document declares it.
  t.ok(sameType<Registered['headers']['ETag'], string>(true), 'a create declares its ETag');
  t.ok(sameType<Registered['headers']['Location'], string>(true), 'and its Location');
  t.ok(sameType<Read['headers']['ETag'], string>(true), 'a read declares its ETag');
  t.ok(sameType<keyof Imported, 'application/ndjson' | 'application/x-ndjson' | 'text/csv'>(true), 'the import takes NDJSON and CSV');
  t.ok(sameType<Imported['application/x-ndjson'], string>(true), 'as text');
  t.ok(sameType<keyof Ledger, 'application/json' | 'text/csv' | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'>(true), 'the ledger answers JSON, CSV and XLSX');

  const svc = await build(t);
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
  const client = createReemployClient({ baseUrls: { registration: url, jobPostings: url, matching: url, assistanceBases: url }, token: svc.token(['seekers:read', 'seekers:write']) });

  const rows = [makeIdNumber('320508', '1971-02-03', 701, 'male'), makeIdNumber('320508', '1972-04-05', 702, 'female')].map((idNumber, i) =>
    JSON.stringify({ idNumber, name: `導入${i}`, communityCode: '320508024043', education: 'primary' }),
  );
  const imported = await client.registration.POST('/v1/job-seekers/import', {
    body: rows.join('\n'),
    bodySerializer: (body) => body,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  t.equal(imported.response.status, 200, JSON.stringify(imported.error));
  t.same(imported.data?.report.map((r) => r.status), ['created', 'created'], 'both rows created');

  const registered = await client.registration.POST('/v1/job-seekers', {
    body: { idNumber: makeIdNumber('320508', '1973-06-07', 703, 'male'), name: '錢國強', communityCode: '320508024043', education: 'primary' },
  });
  t.equal(registered.response.status, 201, JSON.stringify(registered.error));
  const etag: Registered['headers']['ETag'] = registered.response.headers.get('etag') ?? '';
  t.match(etag, /^".+"$/, 'the ETag is read from the answer');
  const id = registered.data!.id;
  const changed = await client.registration.PATCH('/v1/job-seekers/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body: { phone: '13912345678' } });
  t.equal(changed.response.status, 200, JSON.stringify(changed.error));
  t.not(changed.response.headers.get('etag'), etag, 'the change answers a new ETag');
  const stale = await client.registration.PATCH('/v1/job-seekers/{id}', { params: { path: { id }, header: { 'If-Match': etag } }, body: { phone: '13912345679' } });
  t.equal(stale.response.status, 412, 'the old ETag is stale');
});
