/**
 * docs/configuration.md names every variable of every service's schema and of
 * the tools that run several services, and no variable that nothing reads.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentEnvSchema, envPrefix, SERVICE_NAMES } from '@reemploy/config/deployment';
import { registrationEnvSchema } from '../services/registration/src/config.ts';
import { jobPostingsEnvSchema } from '../services/job-postings/src/config.ts';
import { matchingEnvSchema } from '../services/matching/src/config.ts';
import { assistanceBasesEnvSchema } from '../services/assistance-bases/src/config.ts';

const root = join(import.meta.dirname, '..');
const page = readFileSync(join(root, 'docs/configuration.md'), 'utf8');
const named = new Set([...page.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));

/** `JOB_POSTINGS_PII_OLD_KEYS` is named as itself or as `<SERVICE>_PII_OLD_KEYS`. */
function isNamed(variable: string): boolean {
  if (named.has(variable)) return true;
  const service = SERVICE_NAMES.find((s) => variable.startsWith(`${envPrefix(s)}_`));
  return service !== undefined && named.has(`<SERVICE>_${variable.slice(envPrefix(service).length + 1)}`);
}

t.test('every variable of the schemas is on the page', async (t) => {
  const variables = new Set(
    [registrationEnvSchema, jobPostingsEnvSchema, matchingEnvSchema, assistanceBasesEnvSchema, deploymentEnvSchema].flatMap((schema) => Object.keys(schema.shape)),
  );
  t.ok(variables.size > 60, `${variables.size} variables`);
  t.same([...variables].filter((v) => !isNamed(v)), [], 'none missing');
});

/** The text of the files that read the environment: sources, scripts, tests, benches, infrastructure. */
function sources(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|sh|ya?ml|conf)$|^Dockerfile$/.test(entry)) texts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of ['packages', 'services', 'scripts', 'infra', 'test']) walk(join(root, dir));
  texts.push(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
  return texts.join('\n');
}

t.test('every variable on the page is read somewhere', async (t) => {
  const text = sources().replace(readFileSync(join(import.meta.dirname, 'docs-configuration.test.ts'), 'utf8'), '');
  const onPage = [...named].filter((n) => /^(<SERVICE>_)?[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(n));
  t.ok(onPage.length > 70, `${onPage.length} variables on the page`);
  const unknown = onPage.filter((name) => {
    const candidates = name.startsWith('<SERVICE>_') ? SERVICE_NAMES.map((s) => `${envPrefix(s)}_${name.slice('<SERVICE>_'.length)}`) : [name];
    return !candidates.some((c) => new RegExp(`\\b${c}\\b`).test(text) || c in deploymentEnvSchema.shape);
  });
  t.same(unknown, [], 'none unknown');
});
