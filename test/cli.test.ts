import t from 'tap';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DEV_JWT_SECRET, DEV_TOKEN_ISSUER } from '@reemploy/config';
import { makeIdNumber } from '@reemploy/domain';
import { createTokenVerifier } from '@reemploy/http-kit';
import { call, createProgress, importFile, mintDevToken } from '@reemploy/cli';
import { build as buildRegistration } from '../services/registration/test/helper.ts';

/** Collects what a plain (non-TTY) progress reporter writes. */
function capture() {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, progress: createProgress(out, { tty: false, everyMs: 0 }) };
}

const HEADER = ['idNumber', 'name', 'communityCode', 'education', 'skills', 'ableToWork'];
const person = (n: number) => [makeIdNumber('320508', `1980-0${n}-1${n}`, 300 + n, n % 2 ? 'male' : 'female'), '陈志强', '320508024043', 'senior-secondary', '', 'yes'];

t.test('token mints a development token that only development and test services accept', async (t) => {
  const trust = { issuer: DEV_TOKEN_ISSUER, refreshSeconds: 60, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };
  const development = (audience: string, secret = DEV_JWT_SECRET) => createTokenVerifier({ ...trust, audience, developmentSecret: secret });
  const warnings: string[] = [];
  const token = mintDevToken({ scopes: ['seekers:read', 'pii:read'], regions: ['320508'], sub: 'ops', expiresIn: 600 }, {}, (m) => warnings.push(m));
  const caller = await development('reemploy-registration')(token);
  t.same([...(caller?.scopes ?? [])], ['seekers:read', 'pii:read']);
  t.same(caller?.regions, ['320508']);
  t.equal(caller?.sub, 'ops');
  t.ok(await development('reemploy-assistance-bases')(token), 'for every service');
  t.match(warnings[0], /published development secret: accepted only by services with NODE_ENV=development or test/);
  const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
  t.same([header.alg, header.typ], ['HS256', 'at+jwt'], 'HS256, shaped as an access token');
  t.equal(await createTokenVerifier({ ...trust, audience: 'reemploy-registration' })(token), null, 'a service without the development secret (production) refuses it');

  const secret = 'a-secret-of-at-least-thirty-two-characters!';
  const signed = mintDevToken({ scopes: ['admin'], regions: ['3205'], audience: ['reemploy-matching'] }, { JWT_SECRET: secret });
  t.ok(await development('reemploy-matching', secret)(signed), 'signed with JWT_SECRET when set');
  t.equal(await development('reemploy-matching')(signed), null);
  t.equal(await development('reemploy-registration', secret)(signed), null, '--audience names the services');

  t.throws(() => mintDevToken({ scopes: ['admin'], regions: ['3205'] }, { NODE_ENV: 'production' }), /REEMPLOY_TOKEN/);
  t.throws(() => mintDevToken({ scopes: ['admin'], regions: ['3205'], expiresIn: 7200 }, {}), /at most 3600 seconds/, 'no longer than services accept');
  t.ok(mintDevToken({ scopes: ['admin'], regions: ['3205'], expiresIn: 7200 }, { TOKEN_MAX_LIFETIME_SECONDS: '7200' }, () => {}));
  t.throws(() => mintDevToken({ scopes: ['admin'], regions: ['sz'] }, {}), /division-code prefix/);

  // The test service trusts the development issuer's name only when told to: as `pnpm start` runs it, TOKEN_ISSUER unset.
  const svc = await buildRegistration(t, { env: { TOKEN_ISSUER: '' } });
  const res = await svc.app.inject({ method: 'GET', url: '/v1/job-seekers', headers: { authorization: `Bearer ${mintDevToken({ scopes: ['seekers:read'], regions: ['3205'] }, {}, () => {})}` } });
  t.equal(res.statusCode, 200, 'the service accepts it');
});

t.test('imports seekers from CSV and XLSX with a per-row error file', async (t) => {
  const svc = await buildRegistration(t);
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = svc.app.server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = svc.token(['seekers:write'], ['3205']);
  const dir = await mkdtemp(join(tmpdir(), 'reemploy-cli-'));

  // Rows 2-4 are fine; row 5 has a bad identity number; row 6 lies outside the token's city.
  const csv = join(dir, 'seekers.csv');
  const bad = ['32050819800101123X', '陈志强', '320508024043', 'senior-secondary', '', 'yes'];
  const outside = [makeIdNumber('110101', '1980-02-02', 401, 'male'), '陈志强', '110101001001', 'senior-secondary', '', 'yes'];
  await writeFile(csv, '\uFEFF' + [HEADER, person(1), person(2), person(3), bad, outside].map((r) => r.join(',')).join('\n') + '\n');

  const { lines, progress } = capture();
  const first = await importFile({ kind: 'seekers', file: csv, baseUrl, token, batchSize: 2, progress });
  t.equal(first.rows, 5);
  t.equal(first.statuses.created, 3, JSON.stringify(first.statuses));
  t.equal(first.failed, 2);
  t.same(lines.at(-1), 'import seekers: 5/5 (2 failed)', 'plain progress lines without a terminal');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 3);

  const errors = (await readFile(`${csv}.errors.csv`, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
  t.equal(errors[0], 'row,errors');
  t.match(errors[1], /^5,.*idNumber/, 'the bad identity number is reported on its row');
  t.match(errors[2], /^6,/, 'the row outside the caller’s regions is reported');
  t.notOk(errors.join('\n').includes(bad[0]!), 'the error file does not echo identity numbers');

  const again = await importFile({ kind: 'seekers', file: csv, baseUrl, token, batchSize: 100, progress: capture().progress });
  t.equal(again.statuses.created ?? 0, 0, 'importing the same file again creates nobody');
  t.equal(again.statuses.unchanged, 3);

  const xlsx = join(dir, 'seekers.xlsx');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('求职人员');
  sheet.addRow(HEADER);
  sheet.addRow(person(4));
  sheet.addRow([]);
  sheet.addRow(person(5));
  sheet.addRow([makeIdNumber('320508', '1980-06-16', 306, 'male'), '陈志强', '320508024043', 'no-such-level', '', 'yes']);
  await workbook.xlsx.writeFile(xlsx);

  const fromXlsx = await importFile({ kind: 'seekers', file: xlsx, baseUrl, token, progress: capture().progress });
  t.equal(fromXlsx.rows, 3, 'the blank row is skipped');
  t.equal(fromXlsx.statuses.created, 2);
  t.equal(fromXlsx.errorFile, `${xlsx}.errors.csv`);
  const xlsxErrors = (await readFile(`${xlsx}.errors.csv`, 'utf8')).trim().split('\r\n');
  t.match(xlsxErrors[1], /^5,.*education/, 'sheet row numbers, header = row 1');

  // A clean rerun removes the stale error file.
  await writeFile(csv, [HEADER, person(1)].map((r) => r.join(',')).join('\n'));
  const clean = await importFile({ kind: 'seekers', file: csv, baseUrl, token, progress: capture().progress });
  t.equal(clean.failed, 0);
  t.notOk(existsSync(`${csv}.errors.csv`));

  await t.rejects(importFile({ kind: 'seekers', file: csv, baseUrl, token: svc.token(['seekers:read']), progress: capture().progress }), { name: 'ApiError', message: /: 403 / });
});

t.test('the error file shows a header or cell that looks like a formula as text', async (t) => {
  const svc = await buildRegistration(t);
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
  const csv = join(await mkdtemp(join(tmpdir(), 'reemploy-cli-')), 'formulas.csv');
  const hyperlink = '=HYPERLINK("http://x","y")';
  // The service names the unknown column in its report, and the CLI repeats it in the error file.
  const quoted = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
  await writeFile(csv, [quoted([...HEADER, hyperlink, '-cmd']), quoted([...person(7), '@SUM(1)', '+1'])].join('\n'));

  const summary = await importFile({ kind: 'seekers', file: csv, baseUrl, token: svc.token(['seekers:write']), progress: capture().progress });
  t.equal(summary.failed, 1);
  const text = await readFile(`${csv}.errors.csv`, 'utf8');
  const cells = (parseCsv(text, { bom: true, relax_column_count: true }) as string[][]).flat();
  t.same(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell)), [], 'no cell starts a formula');
  t.match(cells.find((cell) => cell.includes('HYPERLINK')), /^'=HYPERLINK\("http:\/\/x","y"\)/, 'the header is shown, as text');
});

t.test('progress is a bar on a terminal and plain lines otherwise', async (t) => {
  let text = '';
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY: true, columns: 80 },
  );
  const bar = createProgress(out);
  bar.start(10, 'import seekers');
  bar.update(10, '1 failed');
  bar.stop('done');
  t.match(text, /import seekers \[█+\] 100% \| 10\/10 \| 1 failed/);

  const { lines, progress } = capture();
  progress.start(10, 'import seekers');
  progress.update(10);
  t.same(lines, ['import seekers: 0/10', 'import seekers: 10/10']);
});

t.test('a write the service carried out but whose answer was lost is retried under the same Idempotency-Key: done once', async (t) => {
  const svc = await buildRegistration(t);
  await svc.app.listen({ host: '127.0.0.1', port: 0 });
  const target = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
  // A proxy that passes the first POST on and then cuts the connection before answering: the caller never hears.
  const keys: (string | undefined)[] = [];
  let cut = false;
  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    keys.push(req.headers['idempotency-key'] as string | undefined);
    const answer = await fetch(`${target}${req.url}`, { method: req.method!, headers: req.headers as Record<string, string>, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    const body = await answer.text();
    if (req.method === 'POST' && !cut) {
      cut = true;
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain', 'idempotent-replayed': answer.headers.get('idempotent-replayed') ?? '' }).end(body);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => proxy.close(() => r())));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const token = svc.token(['seekers:write', 'seekers:read']);

  const res = await call(`${url}/v1/job-seekers`, { method: 'POST', token, contentType: 'application/json', body: JSON.stringify({ idNumber: person(7)[0], name: '陈志强', communityCode: '320508024043', education: 'senior-secondary' }) });
  t.equal(res.status, 201);
  t.equal(res.headers.get('idempotent-replayed'), 'true', 'the retry got the first answer');
  t.equal(keys.length, 2, 'sent twice');
  t.ok(keys[0] && keys[0] === keys[1], 'under one Idempotency-Key');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 1, 'the person is registered once');
  await call(`${url}/v1/job-seekers?limit=1`, { token });
  t.equal(keys[2], undefined, 'a read carries no key');
});
