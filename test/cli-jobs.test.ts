import t from 'tap';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createProgress, exportLedger, importFile, runMatching } from '@reemploy/cli';
import { build as buildJobPostings } from '../services/job-postings/test/helper.ts';
import { createEmployer, inDays } from '../services/job-postings/test/fixtures.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';
import { loadCity } from '../services/matching/bench/load.ts';
import { build as buildRegistration } from '../services/registration/test/helper.ts';

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

async function listening(svc: { app: { listen(o: object): Promise<unknown>; server: { address(): unknown } } }) {
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(svc.app.server.address() as { port: number }).port}`;
}

const tmp = () => mkdtemp(join(tmpdir(), 'reemploy-cli-'));

t.test('imports vacancies from CSV, reporting the bad row', async (t) => {
  const svc = await buildJobPostings(t);
  const baseUrl = await listening(svc);
  const employerId = await createEmployer(svc);
  const until = inDays(20);
  const file = join(await tmp(), 'vacancies.csv');
  await writeFile(
    file,
    [
      'employerId,title,occupationCode,skills,wageMin,wageMax,headcount,communityCode,kind,source,reservedFor,validUntil',
      `${employerId},社区保洁员,4-09-09,S008-01;S009-02,2490,2800,2,320508024043,public-welfare,coordinator,ZERO_EMPLOYMENT_HOUSEHOLD;OLDER_4050,${until}`,
      `${employerId},"叉车司机, 夜班",6-30-01,S018-05,5000,6500,1,320508024043,regular,employer,,${until}`,
      `${employerId},仓管员,4-02-06,,abc,6500,1,320508024043,regular,employer,,${until}`,
    ].join('\n'),
  );
  const token = svc.token(['vacancies:write'], ['320508']);
  const summary = await importFile({ kind: 'vacancies', file, baseUrl, token, progress: capture().progress });
  t.equal(summary.statuses.created, 2, JSON.stringify(summary.statuses));
  t.equal(summary.failed, 1);
  const errors = (await readFile(`${file}.errors.csv`, 'utf8')).trim().split('\r\n');
  t.match(errors[1], /^4,.*wageMin/, errors.join('\n'));

  const again = await importFile({ kind: 'vacancies', file, baseUrl, token, progress: capture().progress });
  t.equal(again.statuses.created ?? 0, 0, 'a rerun creates nothing');
  t.equal(again.statuses.duplicate, 2, 'and reports the rows it already holds');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from vacancies');
  t.equal(rows[0].n, 2);
});

t.test('starts a matching run and follows it to the end', async (t) => {
  const svc = await buildMatching(t, { env: { MATCHING_PARTITION_SIZE: '100', MATCHER_REFRESH_MS: '0', MAX_EVENT_LOOP_DELAY_MS: '60000' } });
  await loadCity(svc.ctx.database.pool, { seekers: 200, vacancies: 60, seed: 'cli' });
  await svc.startWorkers();
  const baseUrl = await listening(svc);
  const { lines, progress } = capture();
  const run = await runMatching({ baseUrl, token: svc.token(['matching:run', 'matching:read'], ['3205']), regionCode: '3205', follow: true, pollMs: 100, timeoutMs: 40_000, progress });
  t.equal(run.status, 'completed', run.error ?? '');
  t.equal(run.progress, 1);
  t.ok((run.recommendations ?? 0) > 0);
  t.match(lines.at(-1), new RegExp(`^run ${run.id} completed: \\d+ seekers`));
  t.ok(lines.some((l) => /: 100\/100/.test(l)), 'the progress reaches 100');

  const started = await runMatching({ baseUrl, token: svc.token(['matching:run', 'matching:read'], ['320508']), follow: false });
  t.ok(['queued', 'running', 'completed'].includes(started.status), 'without --follow it returns the started run');
  await t.rejects(runMatching({ baseUrl, token: svc.token(['matching:read'], ['3205']) }), { name: 'ApiError', message: /: 403 / });
});

t.test('exports the monthly ledger as CSV and XLSX', async (t) => {
  const svc = await buildRegistration(t);
  const baseUrl = await listening(svc);
  const dir = await tmp();
  const token = svc.token(['assessment:read'], ['3205']);

  const csv = await exportLedger({ baseUrl, token, period: '2026-10', regionCode: '320508', format: 'csv', out: join(dir, 'ledger.csv') });
  t.equal(csv.bytes, (await stat(csv.file)).size);
  t.ok(csv.bytes > 0);
  t.match(await readFile(csv.file, 'utf8'), /320508/);

  const xlsx = await exportLedger({ baseUrl, token, period: '2026-10', regionCode: '320508', format: 'xlsx', out: join(dir, 'ledger.xlsx') });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(xlsx.file);
  t.ok(workbook.worksheets.length >= 1, `sheets: ${workbook.worksheets.map((s) => s.name).join(', ')}`);

  await t.rejects(exportLedger({ baseUrl, token, period: '2026-13', regionCode: '320508', format: 'csv', out: join(dir, 'x.csv') }), /YYYY-MM/);
  await t.rejects(exportLedger({ baseUrl, token: svc.token(['assessment:read'], ['3206']), period: '2026-10', regionCode: '320508', format: 'csv', out: join(dir, 'y.csv') }), { name: 'ApiError', message: /: 404 / });
});
