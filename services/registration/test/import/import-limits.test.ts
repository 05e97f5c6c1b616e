/**
 * What one slow or careless uploader can cost the service: an import holds a
 * Postgres connection only while it stores a chunk (never while it waits for
 * its upload), imports run a few at a time per caller and per process, and a
 * line (or CSV record) longer than 64 KiB stops the upload.
 */
import t from 'tap';
import { request, type ClientRequest } from 'node:http';
import { makeIdNumber } from '@reemploy/domain';
import { eventually } from '@reemploy/runtime/testing';
import { build } from '../helper.ts';
import { ALL, COMMUNITY, count } from '../fixtures.ts';

type Svc = Awaited<ReturnType<typeof build>>;

const person = (i: number, over: Record<string, unknown> = {}) => ({
  idNumber: makeIdNumber('320508', `19${80 + (i % 10)}-0${(i % 9) + 1}-12`, i, i % 2 ? 'male' : 'female'),
  name: `居民${i}`,
  communityCode: COMMUNITY,
  education: 'junior-secondary',
  ...over,
});

async function listening(t: { teardown(fn: () => unknown): void }, svc: Svc): Promise<number> {
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  return (svc.app.server.address() as { port: number }).port;
}

/** An upload that sends the start of a first line and then nothing more, as a stalled client does. */
function stalledUpload(t: { teardown(fn: () => unknown): void }, port: number, token: string): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/job-seekers/import',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
  req.write('{"idNumber":"3205');
  t.teardown(() => void req.destroy());
  return { req, answer };
}

t.test('slow uploads hold no Postgres connection: an ordinary read still answers at once', async (t) => {
  // More stalled uploads than the pool has connections (5 in tests), all admitted.
  const svc = await build(t, { env: { IMPORT_CONCURRENCY_PER_CALLER: '10', IMPORT_CONCURRENCY_PER_SERVICE: '10' } });
  const port = await listening(t, svc);
  const uploads = Array.from({ length: 7 }, () => stalledUpload(t, port, svc.token(ALL)));
  // Each import has started (its handler runs as soon as the headers are in) and waits for its body.
  await new Promise((r) => setTimeout(r, 800));

  const started = Date.now();
  const read = await fetch(`http://127.0.0.1:${port}/v1/job-seekers/${crypto.randomUUID()}`, { headers: { authorization: `Bearer ${svc.token(ALL)}` } });
  const ms = Date.now() - started;
  t.equal(read.status, 404, 'answered, not 503 for want of a connection');
  t.ok(ms < 1500, `in ${ms} ms`);
  const { rows } = await svc.ctx.database.pool.query(`select count(*)::int as n from pg_stat_activity where application_name = 'reemploy-registration' and state like 'idle in transaction%'`);
  t.equal(rows[0].n, 0, 'no connection sits in a transaction waiting for an upload');
  for (const u of uploads) u.req.destroy();
});

t.test('imports run a few at a time: beyond the caller\'s share 429, beyond the process\'s 503, both with Retry-After', async (t) => {
  const svc = await build(t, { env: { IMPORT_CONCURRENCY_PER_CALLER: '1', IMPORT_CONCURRENCY_PER_SERVICE: '2' } });
  const port = await listening(t, svc);
  const tokenOf = (sub: string) => svc.token(ALL, ['3205'], { sub });
  const body = JSON.stringify(person(1));
  const quick = (sub: string) =>
    svc.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { authorization: `Bearer ${tokenOf(sub)}`, 'content-type': 'application/x-ndjson' }, payload: body });

  const first = stalledUpload(t, port, tokenOf('street-a'));
  await new Promise((r) => setTimeout(r, 300));
  const second = await quick('street-a');
  t.equal(second.statusCode, 429, 'a second import of the same caller');
  t.equal(second.json().code, 'too-many-imports');
  t.equal(second.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.ok(Number(second.headers['retry-after']) > 0, 'Retry-After');

  const other = stalledUpload(t, port, tokenOf('street-b'));
  await new Promise((r) => setTimeout(r, 300));
  const third = await quick('street-c');
  t.equal(third.statusCode, 503, 'a third import while two run');
  t.equal(third.json().code, 'imports-busy');
  t.equal(third.headers['retry-after'], '5');
  t.equal(await count(svc, 'job_seekers'), 0, 'nothing stored by the refused imports');

  // A client that goes away gives its slot back.
  first.req.destroy();
  other.req.destroy();
  const done = await eventually(async () => {
    const res = await quick('street-a');
    return res.statusCode === 200 ? res : undefined;
  }, 5000, 100);
  t.match(done.json(), { created: 1 });
});

t.test('an NDJSON line or CSV record over 64 KiB is a 413 naming its line, and nothing of the upload is stored', async (t) => {
  const svc = await build(t);
  const upload = (payload: string | Buffer, type: string) =>
    svc.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { authorization: `Bearer ${svc.token(ALL)}`, 'content-type': type }, payload });

  const lines = [person(1), person(2), person(3, { name: '长'.repeat(30_000) }), person(4)].map((p) => JSON.stringify(p));
  const ndjson = await upload(lines.join('\n'), 'application/x-ndjson');
  t.equal(ndjson.statusCode, 413, ndjson.body.slice(0, 300));
  t.match(ndjson.json(), { code: 'line-too-long', line: 3, errors: [{ field: 'body.line[3]' }] });
  t.equal(await count(svc, 'job_seekers'), 0, 'nothing stored');

  // One endless line is refused as soon as it passes the limit, not read to its end.
  const endless = await upload(Buffer.alloc(8 * 1024 * 1024, 'x'), 'application/x-ndjson');
  t.equal(endless.statusCode, 413);
  t.match(endless.json(), { code: 'line-too-long', line: 1 });

  const header = 'idNumber,name,communityCode,education';
  const row = (p: ReturnType<typeof person>) => `${p.idNumber},"${p.name}",${p.communityCode},${p.education}`;
  const csv = await upload([header, row(person(5)), row(person(6, { name: 'x'.repeat(70_000) })), row(person(7))].join('\n'), 'text/csv');
  t.equal(csv.statusCode, 413, csv.body.slice(0, 300));
  t.match(csv.json(), { code: 'line-too-long', line: 3 });
  t.equal(await count(svc, 'job_seekers'), 0, 'nothing stored');

  const fine = await upload([header, row(person(8, { name: '长'.repeat(20) }))].join('\n'), 'text/csv');
  t.match(fine.json(), { created: 1 }, 'rows under the limit import as before');
});
