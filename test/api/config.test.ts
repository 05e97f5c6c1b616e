import t from 'tap';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ConfigError, DEV_EVENT_SIGNING_KEY, DEV_JWT_SECRET, DEV_PII_KEY, DEV_TOKEN_ISSUER, estimatedEntropyBits, resolveSecrets } from '@reemploy/config';
import { deploymentEnvSchema, envOfServices, SERVICE_NAMES } from '@reemploy/config/deployment';
import { resolveServiceSecrets } from '@reemploy/config/service-secrets';
import { spawn } from 'node:child_process';
import { RedisPolicyError } from '@reemploy/messaging';
import { closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { freePort, TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';
import { registrationEnvSchema } from '../../services/registration/src/config.ts';
import { jobPostingsEnvSchema } from '../../services/job-postings/src/config.ts';
import { matchingEnvSchema } from '../../services/matching/src/config.ts';
import { assistanceBasesEnvSchema } from '../../services/assistance-bases/src/config.ts';

t.test('.env.example describes every variable of every service', async (t) => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  for (const schema of [registrationEnvSchema, jobPostingsEnvSchema, matchingEnvSchema, assistanceBasesEnvSchema, deploymentEnvSchema]) {
    for (const key of Object.keys(schema.shape)) {
      t.match(example, new RegExp(`^#? ?${key}=`, 'm'), `${key} is in .env.example`);
      t.ok((schema.shape as Record<string, { description?: string }>)[key]?.description, `${key} is described in its schema`);
    }
  }
});

const key = () => randomBytes(32).toString('base64');
/** What a production deployment sets: its own PII and event signing keys, the identity provider and its keys. */
const own = { PII_KEY: key(), EVENT_SIGNING_KEY: key(), TOKEN_ISSUER: 'https://idp.example.gov.cn/realms/suzhou', JWKS_URL: 'https://idp.example.gov.cn/realms/suzhou/certs' };
const production = (vars: Record<string, string>) => () => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...own, ...vars }), () => {});

t.test('outside development and test every secret is required; development warns', async (t) => {
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production' })), ConfigError);
  t.throws(production({ PII_KEY: '' }), /PII_KEY is required/);
  t.throws(production({ EVENT_SIGNING_KEY: '' }), /EVENT_SIGNING_KEY is required/);
  const ok = production({})();
  t.same(ok.piiKey, Buffer.from(own.PII_KEY, 'base64'));
  t.same(ok.tokens, { issuer: own.TOKEN_ISSUER, keys: { url: own.JWKS_URL }, refreshSeconds: 60, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 }, 'no development secret: HS256 is never accepted');
  const warnings: string[] = [];
  const development = resolveSecrets(registration.parseEnv({ NODE_ENV: 'development' }), (m) => warnings.push(m));
  t.equal(warnings.length, 3, 'one warning per development default (PII_KEY, JWT_SECRET, EVENT_SIGNING_KEY)');
  t.same([development.tokens.issuer, development.tokens.developmentSecret], [DEV_TOKEN_ISSUER, DEV_JWT_SECRET]);
  t.throws(() => registration.parseEnv({ CITY_CODE: '320508' }), /CITY_CODE/, 'the city is a four-digit code');
  t.throws(() => registration.parseEnv({ REGISTRATION_PORT: 'eighty' }), /REGISTRATION_PORT/, 'a bad variable is named');
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'test', PII_KEY: 'c2hvcnQ=' }), () => {}), /32 bytes/);
});

t.test('an unset NODE_ENV is production: every secret required, no development tokens', async (t) => {
  const problems = (vars: Record<string, string>) => {
    try {
      resolveSecrets(registration.parseEnv(vars), () => {});
      return '';
    } catch (err) {
      t.type(err, ConfigError);
      return (err as Error).message;
    }
  };
  const unset = problems({});
  for (const missing of [/PII_KEY is required/, /TOKEN_ISSUER is required/, /JWKS_URL or JWKS_FILE is required/, /NODE_ENV unset/]) t.match(unset, missing);
  t.equal(problems({ NODE_ENV: '' }), unset, 'set to nothing is unset');
  t.equal(problems({ ...own }), '', 'with every secret it starts');
  t.match(problems({ ...own, JWT_SECRET: DEV_JWT_SECRET }), /JWT_SECRET is for development tokens only/);
  t.throws(() => registration.parseEnv({ NODE_ENV: 'Development' }), /NODE_ENV/, 'development means exactly "development"');
  t.throws(() => registration.parseEnv({ NODE_ENV: 'staging' }), /NODE_ENV/);
});

t.test('production refuses the published development secrets however they are written (finding 5)', async (t) => {
  const devBytes = Buffer.from(DEV_PII_KEY, 'base64');
  const published = /is a published development key/;
  t.throws(production({ PII_KEY: DEV_PII_KEY }), published, 'the development key');
  t.throws(production({ PII_KEY: DEV_PII_KEY.replace(/=+$/, '') }), published, 'without its = padding');
  t.throws(production({ PII_KEY: devBytes.toString('base64url') }), published, 're-encoded as base64url');
  t.throws(production({ PII_KEY: ` ${DEV_PII_KEY}\n` }), published, 'with spaces around it');
  t.throws(production({ PII_HASH_KEY: DEV_PII_KEY }), /PII_HASH_KEY is a published development key/, 'as PII_HASH_KEY');
  t.throws(production({ PII_OLD_KEYS: `k0:${devBytes.toString('base64url')}` }), /PII_OLD_KEYS\[k0\] is a published development key/, 'in PII_OLD_KEYS');
  t.throws(production({ JWT_SECRET: `${DEV_JWT_SECRET} ` }), /JWT_SECRET is for development tokens only/, 'the development JWT secret with a trailing space');
  t.throws(production({ JWT_SECRET: 'a'.repeat(32) }), /JWT_SECRET is for development tokens only/, 'any JWT secret: production takes no HS256 tokens');
  t.throws(production({ EVENT_SIGNING_KEY: DEV_EVENT_SIGNING_KEY }), /EVENT_SIGNING_KEY is a published development key/, 'the development event signing key');
  t.throws(
    production({ EVENT_SIGNING_OLD_KEYS: Buffer.from(DEV_EVENT_SIGNING_KEY, 'base64').toString('base64url') }),
    /EVENT_SIGNING_OLD_KEYS\[0\] is a published development key/,
    'not even as a retired key: events signed with it would still be applied',
  );
  t.throws(production({ EVENT_SIGNING_KEY: own.PII_KEY }), /EVENT_SIGNING_KEY must differ from PII_KEY/);
  const rotated = production({ EVENT_SIGNING_OLD_KEYS: `${key()},${key()}` })();
  t.equal(rotated.eventSigningKeys.previous.length, 2, 'retired keys are read');
  t.doesNotThrow(
    () => resolveSecrets(registration.parseEnv({ NODE_ENV: 'development', JWT_SECRET: DEV_JWT_SECRET, PII_KEY: DEV_PII_KEY, EVENT_SIGNING_KEY: DEV_EVENT_SIGNING_KEY }), () => {}),
    'development may name them',
  );
});

t.test('production refuses keys below 128 bits of estimated entropy, naming the variable and never the value', async (t) => {
  const aaaa = Buffer.from('a'.repeat(32)).toString('base64');
  const passphrase = Buffer.from('my-secret-password-for-prod-2026').toString('base64');
  const sequence = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
  for (const [label, value] of [['"a".repeat(32)', aaaa], ['a passphrase', passphrase], ['bytes 0 to 31', sequence], ['32 equal bytes', Buffer.alloc(32, 7).toString('base64')]]) {
    for (const name of ['PII_KEY', 'PII_HASH_KEY', 'EVENT_SIGNING_KEY']) t.throws(production({ [name]: value! }), new RegExp(`${name} is too predictable`), `${label} as ${name}`);
    t.throws(production({ PII_OLD_KEYS: `k0:${value}` }), /PII_OLD_KEYS\[k0\] is too predictable/, `${label} in PII_OLD_KEYS`);
    try {
      production({ PII_KEY: value! })();
    } catch (err) {
      t.notOk((err as Error).message.includes(value!), 'the message does not show the value');
    }
  }
  t.throws(production({ PII_KEY: `${key().slice(0, 20)}!!${key().slice(22)}` }), /PII_KEY must be base64 of exactly 32 bytes/, 'characters outside base64 are not skipped');
  const refused = Array.from({ length: 200 }, () => production({ PII_KEY: key(), PII_HASH_KEY: key(), PII_OLD_KEYS: `k0:${key()}` })).filter((start) => {
    try {
      start();
      return false;
    } catch {
      return true;
    }
  });
  t.equal(refused.length, 0, 'keys from openssl rand -base64 32 (200 of each) pass');
  const random = Array.from({ length: 10_000 }, () => estimatedEntropyBits(randomBytes(32)));
  t.ok(Math.min(...random) >= 140, `random bytes estimate well above 128 (least of 10,000: ${Math.min(...random).toFixed(1)})`);
  t.equal(estimatedEntropyBits(Buffer.from('a'.repeat(32))), 0);
  t.ok(estimatedEntropyBits(Buffer.from('0123456789abcdef0123456789abcdef')) < 40, 'a repeated run');
  t.ok(estimatedEntropyBits(Buffer.from(randomBytes(16).toString('hex'))) <= 128, 'hex text: at most 4 bits a digit');
});

t.test('each service has a PII key of its own: in development one derived from the published key, else PII_KEY', async (t) => {
  const development = registration.parseEnv({ NODE_ENV: 'development' });
  const keys = SERVICE_NAMES.map((s) => resolveServiceSecrets(s, development, () => {}).piiKey.toString('base64'));
  t.equal(new Set(keys).size, SERVICE_NAMES.length, 'four services, four keys');
  t.notOk(keys.includes(DEV_PII_KEY), 'none of them the published key itself');
  t.same(resolveServiceSecrets('matching', development, () => {}).piiKey.toString('base64'), keys[2], 'the same service always derives the same key');
  const given = key();
  t.equal(resolveServiceSecrets('registration', registration.parseEnv({ NODE_ENV: 'test', PII_KEY: given }), () => {}).piiKey.toString('base64'), given, 'a key that is set is used as it is');
  t.throws(() => resolveServiceSecrets('registration', registration.parseEnv({ NODE_ENV: 'production' })), /PII_KEY is required/, 'production: each service must be given its key');
});

t.test('tools that run several services give each its own role and key; production refuses two that share one', async (t) => {
  const development = envOfServices(SERVICE_NAMES, { NODE_ENV: 'development', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/reemploy' });
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

t.test('.env.example as it is loads: a variable set to nothing is unset', async (t) => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const vars = Object.fromEntries(
    example
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  t.equal(vars.NODE_ENV, 'development', 'the file is for development');
  t.equal(vars.JWT_SECRET, '', 'the file sets JWT_SECRET to nothing');
  const warnings: string[] = [];
  for (const service of [registration, jobPostings, matching, assistanceBases]) {
    const env = service.parseEnv(vars);
    t.equal(env.JWT_SECRET, undefined);
    t.equal(resolveSecrets(env, (m) => warnings.push(m)).tokens.developmentSecret, DEV_JWT_SECRET, 'starts with the development secret');
  }
  t.ok(warnings.some((w) => /JWT_SECRET is not set/.test(w)), 'and warns');
});

t.test('each service has its own port variable and schema', async (t) => {
  t.same(
    [registration.parseEnv({}).REGISTRATION_PORT, jobPostings.parseEnv({}).JOB_POSTINGS_PORT, matching.parseEnv({}).MATCHING_PORT, assistanceBases.parseEnv({}).ASSISTANCE_BASES_PORT],
    [3001, 3002, 3003, 3004],
  );
});

t.test('a service refuses to start on a Redis that may evict', async (t) => {
  // A second, real Redis configured the way BullMQ must not be run.
  const port = await freePort();
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
