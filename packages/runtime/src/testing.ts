import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { serviceAudience, type BaseEnv } from '@reemploy/config';
import { dropServiceRole, provisionServiceRole } from '@reemploy/db';
import type { Envelope, RelayedEnvelope } from '@reemploy/events';
import { SERVICES } from '@reemploy/events';
import { createLocalIssuer, loggerOptions } from '@reemploy/http-kit';
import { signEnvelope, type MessagingTables } from '@reemploy/messaging';
import { buildApp } from './app.ts';
import { closeContext, createContext, prepareService } from './context.ts';
import { startWorkers, type RunningWorkers } from './run.ts';
import type { ServiceContext, ServiceDefinition } from './service.ts';

/** tap's `t`, reduced to what the helper needs. */
interface TestLike {
  after(fn: () => unknown): void;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/reemploy_test';

/**
 * The identity provider of this test process: an Ed25519 key pair of its own,
 * whose public JWKS every test service trusts, so every test's token goes
 * through the production verification (EdDSA, kid, iss, aud, lifetimes).
 */
export const testIssuer = createLocalIssuer('https://issuer.test.reemploy.invalid');

/** Every service's audience: one test token serves linked services alike. */
export const TEST_AUDIENCES = SERVICES.map(serviceAudience);

export interface TestService<DB extends MessagingTables, Env extends BaseEnv> {
  app: FastifyInstance;
  ctx: ServiceContext<DB, Env>;
  /** Starts this service's relay and consumers in-process (closed with the test). */
  startWorkers(): Promise<RunningWorkers>;
  /** A token of the test issuer for every service (one hour unless `expiresIn` says otherwise). */
  token(scopes: string[], regions?: string[], extra?: { sub?: string; aidBase?: string; expiresIn?: number }): string;
}

/**
 * With TEST_LOG_DIR set (scripts/test.sh sets it), every test service logs at
 * debug level, through the production redaction, to a file there; after the
 * suite, test/after-suite/logs-have-no-pii.ts reads them all for personal information.
 */
function testLogger(service: string) {
  const dir = process.env.TEST_LOG_DIR;
  if (!dir) return pino({ level: 'silent' });
  return pino({ ...loggerOptions(service, 'debug') }, pino.destination({ dest: `${dir}/${service}-${process.pid}.log`, mkdir: true, sync: true }));
}

/**
 * The secrets a production deployment sets beside its issuer (which buildTestService adds):
 * fresh keys of its own, so a test can build a service in production mode.
 */
export function productionEnv(): Record<string, string> {
  return { NODE_ENV: 'production', PII_KEY: randomBytes(32).toString('base64'), EVENT_SIGNING_KEY: randomBytes(32).toString('base64') };
}

/** A fresh queue prefix: services built with the same one talk to each other. */
export function testQueuePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

async function asAdmin<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export interface TestRole {
  /** The role's connection URL: what the service gets as DATABASE_URL. */
  url: string;
  /** Drops the role and whatever it still owns (its schema). */
  drop(): Promise<void>;
}

/**
 * A login role of its own for a test's schema, provisioned as in production
 * (it owns the schema and nothing else), named after the schema so that
 * parallel test processes never share one.
 */
export async function provisionTestRole(schema: string, adminUrl = TEST_DATABASE_URL): Promise<TestRole> {
  const password = randomBytes(12).toString('hex');
  await asAdmin(adminUrl, (admin) => provisionServiceRole(admin, { role: schema, password, schema }));
  const url = new URL(adminUrl);
  url.username = schema;
  url.password = password;
  return { url: url.toString(), drop: () => asAdmin(adminUrl, (admin) => dropServiceRole(admin, schema)) };
}

/**
 * Builds a service on the real Postgres and Redis, in a schema and under a
 * queue prefix of its own, and removes both when the test ends. The service
 * connects as a role of its own, as in production (`options.env.DATABASE_URL`
 * names the administrator's connection where the role is made).
 */
export async function buildTestService<DB extends MessagingTables, Env extends BaseEnv>(
  t: TestLike,
  def: ServiceDefinition<DB, Env>,
  options: { queuePrefix?: string; env?: Record<string, string> } = {},
): Promise<TestService<DB, Env>> {
  const suffix = randomBytes(4).toString('hex');
  const schema = `${def.name.replaceAll('-', '_')}_t${suffix}`;
  const role = await provisionTestRole(schema, options.env?.DATABASE_URL ?? TEST_DATABASE_URL);
  const running: RunningWorkers[] = [];
  const built: { app?: FastifyInstance; ctx?: ServiceContext<DB, Env> } = {};
  t.after(async () => {
    await Promise.all(running.map((w) => w.close()));
    await built.app?.close();
    if (built.ctx) {
      await deleteQueueKeys(built.ctx.redis, built.ctx.queuePrefix);
      await closeContext(built.ctx);
    }
    // With what it owns: the schema and everything in it.
    await role.drop();
  });
  const env = def.parseEnv({
    ...process.env,
    NODE_ENV: 'test',
    DB_SCHEMA: schema,
    DB_POOL_MAX: '5',
    QUEUE_PREFIX: options.queuePrefix ?? testQueuePrefix(),
    LOG_LEVEL: process.env.TEST_LOG_DIR ? 'debug' : 'silent',
    // Parallel test files share two cores: do not shed load unless a test asks to.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    TOKEN_ISSUER: testIssuer.issuer,
    JWKS_JSON: JSON.stringify(testIssuer.jwks),
    JWKS_FILE: '',
    JWKS_URL: '',
    ...options.env,
    DATABASE_URL: role.url,
  });
  const ctx = createContext(def, env, testLogger(def.name));
  built.ctx = ctx;
  await prepareService(ctx, def);
  const app = await buildApp(def, ctx);
  built.app = app;
  return {
    app,
    ctx,
    async startWorkers() {
      const w = await startWorkers(def, ctx);
      running.push(w);
      return w;
    },
    token: (scopes, regions = ['3205'], extra = {}) =>
      testIssuer.token({ audience: TEST_AUDIENCES, sub: extra.sub ?? 'test-system', scopes, regions, ...(extra.aidBase ? { aidBase: extra.aidBase } : {}), ...(extra.expiresIn ? { expiresIn: extra.expiresIn } : {}) }),
  };
}

async function deleteQueueKeys(redis: ServiceContext['redis'], prefix: string) {
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    /* Redis may be down in a fault test; the prefix is unique anyway */
  }
}

/** An envelope as an outbox relay puts it on a queue: signed with the service's key. */
export function relayed(ctx: Pick<ServiceContext, 'secrets'>, envelope: Envelope): RelayedEnvelope {
  return { ...envelope, signature: signEnvelope(ctx.secrets.eventSigningKeys.current, envelope) };
}

/** Polls until the check returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000, everyMs = 25): Promise<Exclude<T, undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value as Exclude<T, undefined>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Whether a loopback port can be listened on at this moment. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A loopback port free at the moment of asking (for a process a test or benchmark starts).
 * Drawn at random below the kernel's ephemeral range (32768 and up on Linux): a port the
 * kernel handed out for `listen(0)` and took back may go to the next process asking the
 * same way, and two test processes starting servers at once would then both get it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + randomInt(12_000);
    if (await canListen(port)) return port;
  }
}
