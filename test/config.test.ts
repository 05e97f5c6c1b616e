import t from 'tap';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ConfigError, DEV_JWT_SECRET, DEV_PII_KEY, resolveSecrets } from '@reemploy/config';
import { deploymentEnvSchema, envOfServices, SERVICE_NAMES } from '@reemploy/config/deployment';
import { resolveServiceSecrets } from '@reemploy/config/service-secrets';
import { spawn } from 'node:child_process';
import { RedisPolicyError } from '@reemploy/messaging';
import { closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';
import { registrationEnvSchema } from '../services/registration/src/config.ts';
import { jobPostingsEnvSchema } from '../services/job-postings/src/config.ts';
import { matchingEnvSchema } from '../services/matching/src/config.ts';
import { assistanceBasesEnvSchema } from '../services/assistance-bases/src/config.ts';

t.test('.env.example describes every variable of every service', async (t) => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  for (const schema of [registrationEnvSchema, jobPostingsEnvSchema, matchingEnvSchema, assistanceBasesEnvSchema, deploymentEnvSchema]) {
    for (const key of Object.keys(schema.shape)) {
      t.match(example, new RegExp(`^#? ?${key}=`, 'm'), `${key} is in .env.example`);
      t.ok((schema.shape as Record<string, { description?: string }>)[key]?.description, `${key} is described in its schema`);
    }
  }
});

t.test('production refuses to start without JWT_SECRET or PII_KEY; development warns', async (t) => {
  const env = registration.parseEnv({ NODE_ENV: 'production' });
  t.throws(() => resolveSecrets(env), ConfigError);
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })), /PII_KEY/);
  const ok = resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PII_KEY: Buffer.alloc(32, 7).toString('base64') }));
  t.equal(ok.jwtSecret, 'x'.repeat(40));
  const warnings: string[] = [];
  resolveSecrets(registration.parseEnv({ NODE_ENV: 'development' }), (m) => warnings.push(m));
  t.equal(warnings.length, 2, 'one warning per development default');
  t.throws(() => registration.parseEnv({ REGISTRATION_PORT: 'eighty' }), /REGISTRATION_PORT/, 'a bad variable is named');
  t.throws(() => resolveSecrets(registration.parseEnv({ PII_KEY: 'c2hvcnQ=' }), () => {}), /32 bytes/);
});

t.test('each service has a PII key of its own: in development one derived from the published key, else PII_KEY', async (t) => {
  const development = registration.parseEnv({ NODE_ENV: 'development' });
  const keys = SERVICE_NAMES.map((s) => resolveServiceSecrets(s, development, () => {}).piiKey.toString('base64'));
  t.equal(new Set(keys).size, SERVICE_NAMES.length, 'four services, four keys');
  t.notOk(keys.includes(DEV_PII_KEY), 'none of them the published key itself');
  t.same(resolveServiceSecrets('matching', development, () => {}).piiKey.toString('base64'), keys[2], 'the same service always derives the same key');
  const own = Buffer.alloc(32, 9).toString('base64');
  t.equal(resolveServiceSecrets('registration', registration.parseEnv({ PII_KEY: own }), () => {}).piiKey.toString('base64'), own, 'a key that is set is used as it is');
  t.throws(() => resolveServiceSecrets('registration', registration.parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })), /PII_KEY is required/, 'production: each service must be given its key');
});

t.test('tools that run several services give each its own role and key; production refuses two that share one', async (t) => {
  const development = envOfServices(SERVICE_NAMES, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/reemploy' });
  const urls = SERVICE_NAMES.map((s) => new URL(development[s]!.DATABASE_URL!));
  t.same(
    urls.map((u) => u.username),
    ['reemploy_registration', 'reemploy_job_postings', 'reemploy_matching', 'reemploy_assistance_bases'],
    'development: a role per service, on the same server and database',
  );
  t.ok(urls.every((u) => u.host === '127.0.0.1:5432' && u.pathname === '/reemploy' && u.password === ''), 'without password (loopback is trusted)');
  const production: NodeJS.ProcessEnv = { NODE_ENV: 'production', DATABASE_ADMIN_URL: 'postgres://admin:secret@db:5432/reemploy' };
  for (const s of SERVICE_NAMES) {
    const prefix = s.toUpperCase().replaceAll('-', '_');
    production[`${prefix}_DATABASE_URL`] = `postgres://reemploy_${prefix.toLowerCase()}:${randomBytes(8).toString('hex')}@db:5432/reemploy`;
    production[`${prefix}_PII_KEY`] = randomBytes(32).toString('base64');
  }
  const envs = envOfServices(SERVICE_NAMES, production);
  t.same(
    SERVICE_NAMES.map((s) => [envs[s]!.DATABASE_URL, envs[s]!.PII_KEY]),
    SERVICE_NAMES.map((s) => {
      const prefix = s.toUpperCase().replaceAll('-', '_');
      return [production[`${prefix}_DATABASE_URL`], production[`${prefix}_PII_KEY`]];
    }),
    'each gets its own variables under the plain names',
  );
  t.throws(() => envOfServices(SERVICE_NAMES, { ...production, MATCHING_PII_KEY: production.REGISTRATION_PII_KEY }), /registration and matching share one PII key/);
  t.throws(
    () => envOfServices(SERVICE_NAMES, { ...production, JOB_POSTINGS_DATABASE_URL: production.REGISTRATION_DATABASE_URL }),
    /registration and job-postings share one database role/,
  );
  t.throws(() => envOfServices(SERVICE_NAMES, { ...production, REGISTRATION_PII_KEY: undefined, MATCHING_PII_KEY: undefined, PII_KEY: production.JOB_POSTINGS_PII_KEY }), /share one PII key/, 'a shared PII_KEY too');
});

t.test('production refuses the published development secrets', async (t) => {
  const own = { JWT_SECRET: 'x'.repeat(40), PII_KEY: Buffer.alloc(32, 7).toString('base64') };
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, JWT_SECRET: DEV_JWT_SECRET })), /JWT_SECRET is the published development default/);
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, PII_KEY: DEV_PII_KEY })), /PII_KEY is the published development key/);
  t.doesNotThrow(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'development', JWT_SECRET: DEV_JWT_SECRET, PII_KEY: DEV_PII_KEY }), () => {}), 'development may name them');
});

t.test('.env.example as it is loads: a variable set to nothing is unset', async (t) => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const vars = Object.fromEntries(
    example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  t.equal(vars.JWT_SECRET, '', 'the file sets JWT_SECRET to nothing');
  const warnings: string[] = [];
  for (const service of [registration, jobPostings, matching, assistanceBases]) {
    const env = service.parseEnv(vars);
    t.equal(env.JWT_SECRET, undefined);
    t.ok(resolveSecrets(env, (m) => warnings.push(m)).jwtSecret, 'starts with the development default');
  }
  t.ok(warnings.some((w) => /JWT_SECRET is not set/.test(w)), 'and warns');
});

t.test('each service has its own port variable and schema', async (t) => {
  const defs = [registration, jobPostings, matching, assistanceBases];
  t.same(
    defs.map((d) => d.portVar),
    ['REGISTRATION_PORT', 'JOB_POSTINGS_PORT', 'MATCHING_PORT', 'ASSISTANCE_BASES_PORT'],
  );
  t.same(
    defs.map((d) => (d.parseEnv({}) as unknown as Record<string, number>)[d.portVar]),
    [3001, 3002, 3003, 3004],
  );
});

t.test('a service refuses to start on a Redis that may evict', async (t) => {
  // A second, real Redis configured the way BullMQ must not be run.
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  t.teardown(() => server.kill('SIGKILL'));
  const env = registration.parseEnv({ ...process.env, NODE_ENV: 'test', REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL });
  const ctx = createContext(registration, env);
  t.teardown(() => closeContext(ctx));
  await t.rejects(prepareContext(ctx, registration.migrations), RedisPolicyError);
});
