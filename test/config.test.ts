import t from 'tap';
import { readFileSync } from 'node:fs';
import { ConfigError, DEV_EVENT_SIGNING_KEY, DEV_JWT_SECRET, DEV_PII_KEY, resolveSecrets } from '@reemploy/config';
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
  for (const schema of [registrationEnvSchema, jobPostingsEnvSchema, matchingEnvSchema, assistanceBasesEnvSchema]) {
    for (const key of Object.keys(schema.shape)) {
      t.match(example, new RegExp(`^#? ?${key}=`, 'm'), `${key} is in .env.example`);
      t.ok((schema.shape as Record<string, { description?: string }>)[key]?.description, `${key} is described in its schema`);
    }
  }
});

t.test('production refuses to start without JWT_SECRET, PII_KEY or EVENT_SIGNING_KEY; development warns', async (t) => {
  const env = registration.parseEnv({ NODE_ENV: 'production' });
  t.throws(() => resolveSecrets(env), ConfigError);
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })), /PII_KEY/);
  const keys = { JWT_SECRET: 'x'.repeat(40), PII_KEY: Buffer.alloc(32, 7).toString('base64') };
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...keys })), /EVENT_SIGNING_KEY is required/);
  const ok = resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...keys, EVENT_SIGNING_KEY: 'e'.repeat(40), EVENT_SIGNING_OLD_KEYS: `${'o'.repeat(32)},${'p'.repeat(32)}` }));
  t.equal(ok.jwtSecret, 'x'.repeat(40));
  t.same(ok.eventSigningKeys, { current: 'e'.repeat(40), previous: ['o'.repeat(32), 'p'.repeat(32)] });
  const warnings: string[] = [];
  resolveSecrets(registration.parseEnv({ NODE_ENV: 'development' }), (m) => warnings.push(m));
  t.equal(warnings.length, 3, 'one warning per development default');
  t.throws(() => registration.parseEnv({ EVENT_SIGNING_KEY: 'short' }), /EVENT_SIGNING_KEY/, 'a signing key is at least 32 characters');
  t.throws(() => registration.parseEnv({ EVENT_SIGNING_OLD_KEYS: `${'o'.repeat(32)},short` }), /EVENT_SIGNING_OLD_KEYS/);
  t.throws(() => registration.parseEnv({ CITY_CODE: '320508' }), /CITY_CODE/, 'the city is a four-digit code');
  t.throws(() => registration.parseEnv({ REGISTRATION_PORT: 'eighty' }), /REGISTRATION_PORT/, 'a bad variable is named');
  t.throws(() => resolveSecrets(registration.parseEnv({ PII_KEY: 'c2hvcnQ=' }), () => {}), /32 bytes/);
});

t.test('production refuses the published development secrets', async (t) => {
  const own = { JWT_SECRET: 'x'.repeat(40), PII_KEY: Buffer.alloc(32, 7).toString('base64'), EVENT_SIGNING_KEY: 'e'.repeat(40) };
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, JWT_SECRET: DEV_JWT_SECRET })), /JWT_SECRET is the published development default/);
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, PII_KEY: DEV_PII_KEY })), /PII_KEY is the published development key/);
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, EVENT_SIGNING_KEY: DEV_EVENT_SIGNING_KEY })), /published development key/);
  t.throws(
    () => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, EVENT_SIGNING_OLD_KEYS: DEV_EVENT_SIGNING_KEY })),
    /published development key/,
    'not even as a retired key: events signed with it would still be applied',
  );
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, EVENT_SIGNING_KEY: own.JWT_SECRET })), /must differ from JWT_SECRET/);
  t.doesNotThrow(
    () => resolveSecrets(registration.parseEnv({ NODE_ENV: 'development', JWT_SECRET: DEV_JWT_SECRET, PII_KEY: DEV_PII_KEY, EVENT_SIGNING_KEY: DEV_EVENT_SIGNING_KEY }), () => {}),
    'development may name them',
  );
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
