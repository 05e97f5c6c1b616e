import t from 'tap';
import { readFileSync } from 'node:fs';
import { ConfigError, DEV_JWT_SECRET, DEV_PII_KEY, resolveSecrets } from '@reemploy/config';
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

t.test('TRUST_PROXY: false by default, true, or addresses and CIDRs; anything else refuses to start', async (t) => {
  const parse = (value?: string) => registration.parseEnv(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;
  t.equal(parse(), false);
  t.equal(parse(''), false, 'set to nothing is unset');
  t.equal(parse('false'), false);
  t.equal(parse('true'), true);
  t.same(parse('10.0.0.0/8, 192.168.1.10,loopback,fd00::/8'), ['10.0.0.0/8', '192.168.1.10', 'loopback', 'fd00::/8']);
  t.throws(() => parse('1'), /TRUST_PROXY: a hop count/, 'a hop count is refused');
  t.throws(() => parse('proxy.example'), /TRUST_PROXY: .*invalid IP address/);
  t.throws(() => parse('10.0.0.0/33'), /TRUST_PROXY: .*invalid range/);
});
