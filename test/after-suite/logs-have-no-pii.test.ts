/**
 * The suite's PII log scan: it passes only over a suite's worth of clean
 * logs, and fails, saying why, when there is nothing to scan or a line holds
 * an identity number or a phone.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIdNumber } from '@reemploy/domain';
import { LOGGING_SERVICES, MIN_LOG_LINES, scanLogDir } from './log-scan.ts';

const root = join(import.meta.dirname, '../..');

function freshDir(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'pii-scan-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Fills `dir` with a log of each service, `perService` clean debug lines each, and `extra` files. */
function writeLogs(dir: string, perService: number, extra: Record<string, string> = {}) {
  for (const [i, service] of LOGGING_SERVICES.entries()) {
    const line = (n: number) => JSON.stringify({ level: 20, time: 1764000000000 + n, pid: 100 + i, service, reqId: `req-${n}`, msg: 'request completed', responseTime: 1.25 });
    writeFileSync(join(dir, `${service}-${100 + i}.log`), Array.from({ length: perService }, (_, n) => line(n)).join('\n') + '\n');
  }
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return dir;
}

const enough = Math.ceil(MIN_LOG_LINES / LOGGING_SERVICES.length);

t.test('a suite of clean logs passes', async (t) => {
  const scan = scanLogDir(writeLogs(freshDir(t), enough));
  t.same(scan.nothingToScan, []);
  t.same(scan.leaks, []);
  t.equal(scan.lines, enough * LOGGING_SERVICES.length);
});

t.test('nothing to scan is said, never passed over', async (t) => {
  t.match(scanLogDir(undefined).nothingToScan, [/TEST_LOG_DIR is not set/], 'TEST_LOG_DIR unset');
  t.match(scanLogDir(join(tmpdir(), `pii-scan-missing-${process.pid}`)).nothingToScan, [/does not exist/], 'a directory that does not exist');
  t.match(scanLogDir(freshDir(t)).nothingToScan, [/holds no \.log file/], 'an empty directory');
  t.match(scanLogDir(writeLogs(freshDir(t), 10)).nothingToScan, [/holds 40 log lines in 4 files, fewer than/], 'too few lines');
  const silent = writeLogs(freshDir(t), enough);
  rmSync(join(silent, 'matching-102.log'));
  writeFileSync(join(silent, 'registration-999.log'), '{"msg":"more"}\n'.repeat(enough));
  t.match(scanLogDir(silent).nothingToScan, [/^matching wrote no log/], 'a service that wrote none');
});

t.test('an identity number or a mobile number in a line is a leak', async (t) => {
  const id = makeIdNumber('320508', '1975-03-12', 124, 'female');
  const dir = writeLogs(freshDir(t), enough, {
    'registration-7.log': `{"msg":"registered","idNumber":"${id}"}\n`,
    'matching-8.log': '{"msg":"call","phone":"13812345678"}\n',
    'matching-9.log': '{"msg":"ids","id":"3f1c2a9e-1385-4c1d-9f2e-138123456780","score":0.13812345678}\n',
  });
  t.same(scanLogDir(dir).leaks.map((l) => l.split(':')[0]).sort(), ['matching-8.log', 'registration-7.log'], 'the two, not a UUID or a decimal');
});

/** The scan run as tap's `after` runs it: a process of its own; its exit code and output. */
function runScan(logDir: string | undefined): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
  if (logDir !== undefined) env.TEST_LOG_DIR = logDir;
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'test/after-suite/logs-have-no-pii.ts'], { cwd: root, env, timeout: 100_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

t.test('the scan fails its run, saying why, when TEST_LOG_DIR is unset or missing', async (t) => {
  const [unset, missing] = await Promise.all([runScan(undefined), runScan(join(tmpdir(), `pii-scan-missing-${process.pid}`))]);
  t.not(unset.code, 0, 'unset');
  t.match(unset.out, /not ok 1 - TEST_LOG_DIR is not set: there are no logs to scan/);
  t.not(missing.code, 0, 'missing');
  t.match(missing.out, /not ok 1 - TEST_LOG_DIR .* does not exist/);
});

t.test('the whole-suite command runs the scan after the suite', async (t) => {
  t.match(readFileSync(join(root, 'scripts/test.sh'), 'utf8'), /pnpm exec tap --after test\/after-suite\/logs-have-no-pii\.ts /);
});
