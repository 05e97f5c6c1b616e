/**
 * `redocly lint` (the @redocly/cli binary, with redocly.yaml: the recommended
 * ruleset, some rules raised to errors) over each service's OpenAPI document as
 * committed in packages/client/openapi; test/api/client.test.ts keeps those equal
 * to what the services produce. Errors fail; warnings are listed.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = join(root, 'packages/client/openapi');
const redocly = join(root, 'node_modules/.bin/redocly');

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { source: { ref: string }; pointer: string }[];
}

/** Runs `redocly lint --format json` on the files; one JSON report per file, in order. */
function lint(files: string[]): Promise<{ code: number; reports: { totals: { errors: number; warnings: number }; problems: Problem[] }[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      redocly,
      ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', ...files],
      // No telemetry or update checks: CI reaches no network.
      { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout) => {
        if (err && typeof err.code !== 'number') return reject(err);
        try {
          const reports = stdout
            .trim()
            .split(/\n\}\s*\{\n/)
            .map((part, i, all) => JSON.parse(`${i > 0 ? '{' : ''}${part}${i < all.length - 1 ? '}' : ''}`));
          resolve({ code: typeof err?.code === 'number' ? err.code : 0, reports });
        } catch (parseError) {
          reject(new Error(`redocly printed no JSON report: ${(parseError as Error).message}\n${stdout.slice(0, 2000)}`));
        }
      },
    );
  });
}

t.test('every service document passes redocly lint with no errors', async (t) => {
  const names = readdirSync(docsDir).filter((f) => f.endsWith('.json')).sort();
  t.same(names, ['assistance-bases.json', 'job-postings.json', 'matching.json', 'registration.json'], 'a document per service');

  // A control: the same linter and config must catch an operation without security or error responses.
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-openapi-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const broken = JSON.parse(readFileSync(join(docsDir, 'registration.json'), 'utf8'));
  const [path, ops] = Object.entries(broken.paths as Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>).find(([p]) => p.startsWith('/v1/'))!;
  const op = Object.values(ops)[0]!;
  delete op.security;
  for (const status of Object.keys(op.responses)) if (status.startsWith('4')) delete op.responses[status];
  const control = join(dir, 'control.json');
  writeFileSync(control, JSON.stringify(broken));

  const { code, reports } = await lint([...names.map((n) => join(docsDir, n)), control]);
  t.equal(reports.length, names.length + 1, 'a report per file');

  names.forEach((name, i) => {
    const report = reports[i]!;
    const errors = report.problems.filter((p) => p.severity === 'error');
    t.equal(report.totals.errors, 0, `${name}: no errors`);
    for (const p of errors) t.comment(`${name} ${p.location[0]?.pointer}: ${p.ruleId}: ${p.message}`);
    const warnings = [...new Set(report.problems.filter((p) => p.severity === 'warn').map((p) => p.ruleId))];
    if (warnings.length) t.comment(`${name}: warnings ${warnings.join(', ')}`);
  });

  const rules = new Set(reports[names.length]!.problems.filter((p) => p.severity === 'error').map((p) => p.ruleId));
  t.ok(rules.has('security-defined') && rules.has('operation-4xx-response'), `the control document fails (${path}: ${[...rules].join(', ')})`);
  t.equal(code, 1, 'redocly exits 1 when a document has errors');
});
