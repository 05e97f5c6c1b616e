/**
 * docker-compose.yml runs the whole stack: `docker compose config` (or
 * Debian's docker-compose, which .ci/run installs) validates it against the
 * Compose specification without an engine, and the resolved file is checked
 * against the repository: every service and worker, the environment each
 * reads, Postgres and Redis as the services require them, health checks.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import type { z } from 'zod';
import { baseEnvSchema, resolveSecrets } from '@reemploy/config';
import { deploymentEnvSchema, envPrefix } from '@reemploy/config/deployment';
import { assertRedisPolicy, closeRedis, createRedis, waitReady } from '@reemploy/messaging';
import { eventually, freePort } from '@reemploy/runtime/testing';
import { buildProjects } from '../scripts/build-projects.ts';
import { registrationEnvSchema } from '../services/registration/src/config.ts';
import { jobPostingsEnvSchema } from '../services/job-postings/src/config.ts';
import { matchingEnvSchema } from '../services/matching/src/config.ts';
import { assistanceBasesEnvSchema } from '../services/assistance-bases/src/config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemas: Record<string, z.ZodObject> = {
  registration: registrationEnvSchema as unknown as z.ZodObject,
  'job-postings': jobPostingsEnvSchema as unknown as z.ZodObject,
  matching: matchingEnvSchema as unknown as z.ZodObject,
  'assistance-bases': assistanceBasesEnvSchema as unknown as z.ZodObject,
};
// Every service its own database password and PII key.
const secrets: Record<string, string> = {
  TOKEN_ISSUER: 'https://idp.example.gov.cn/realms/suzhou',
  JWKS_URL: 'https://idp.example.gov.cn/realms/suzhou/certs',
  EVENT_SIGNING_KEY: randomBytes(32).toString('base64'),
  REDIS_PASSWORD: 'compose-test-redis-password-0123',
  POSTGRES_PASSWORD: 'superuser-password',
  ...Object.fromEntries(
    Object.keys(schemas).flatMap((s) => [
      [`${envPrefix(s)}_DB_PASSWORD`, `password-of-${s}`],
      [`${envPrefix(s)}_PII_KEY`, randomBytes(32).toString('base64')],
    ]),
  ),
};

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  user?: string;
  ports?: (string | { target: number; published: string | number; host_ip?: string })[];
  volumes?: (string | { source: string; target: string })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 127) : 0, stdout, stderr }),
    );
  });
}

/** `docker compose` (the v2 plugin) where there is one, else `docker-compose`; null when neither runs. */
async function composeCommand(): Promise<string[] | null> {
  if ((await run('docker', ['compose', 'version'])).code === 0) return ['docker', 'compose'];
  if ((await run('docker-compose', ['version'])).code === 0) return ['docker-compose'];
  return null;
}


const projects = buildProjects(root);

/** The TypeScript source a package's build (its tsconfig.build.json) compiles to this file of its dist/, if it exists. */
function sourceOf(pkg: string, compiled: string): string | undefined {
  const project = projects.find((p) => p.dir === join(root, pkg));
  const source = project && join(project.rootDir, relative(project.outDir, join(project.dir, compiled))).replace(/\.js$/, '.ts');
  return source && compiled.endsWith('.js') && existsSync(source) ? relative(root, source) : undefined;
}

const portOf = (p: NonNullable<ComposeService['ports']>[number]) =>
  typeof p === 'string' ? p.replace(/\/tcp$/, '') : `${p.host_ip ?? ''}${p.host_ip ? ':' : ''}${p.published}:${p.target}`;

const compose = await composeCommand();
// CI installs Debian's docker-compose (.ci/run) and fails without it; a developer without it is told what is missing.
const missingTool = compose || process.env.CI ? false : 'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)';

t.test('docker-compose.yml validates and runs every service and worker as the code expects', { skip: missingTool }, async (t) => {
  if (!compose) return t.fail('neither `docker compose` nor `docker-compose` is installed');
  const [cmd, ...pre] = compose;
  const config = (args: string[], env: Record<string, string> = secrets) => run(cmd!, [...pre, ...args], env);

  const missing = await config(['-f', 'docker-compose.yml', 'config'], {});
  t.not(missing.code, 0, 'refused without the secrets');
  t.match(missing.stderr, /TOKEN_ISSUER|PII_KEY|EVENT_SIGNING_KEY|PASSWORD/, 'naming the missing setting');
  const { REDIS_PASSWORD: _, ...withoutRedisPassword } = secrets;
  const noRedisPassword = await config(['-f', 'docker-compose.yml', 'config'], withoutRedisPassword);
  t.not(noRedisPassword.code, 0, 'refused without REDIS_PASSWORD');
  t.match(noRedisPassword.stderr, /REDIS_PASSWORD/);

  // The validator is real: a misspelt key is refused against the Compose specification.
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-compose-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'docker-compose.yml'), readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace('healthcheck: { test: ["CMD", "pg_isready"', 'healthchek: { test: ["CMD", "pg_isready"'));
  const typo = await config(['-f', join(dir, 'docker-compose.yml'), 'config']);
  t.not(typo.code, 0, 'a key outside the specification is refused');
  t.match(typo.stderr, /healthchek/);

  const resolved = await config(['-f', 'docker-compose.yml', 'config']);
  t.equal(resolved.code, 0, `docker compose config: ${resolved.stderr.trim()}`);
  const doc = parse(resolved.stdout) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
  const services = doc.services;

  const repoServices = readdirSync(join(root, 'services')).filter((d) => existsSync(join(root, 'services', d, 'src/server.ts'))).sort();
  t.same(repoServices, Object.keys(schemas).sort(), 'the services of the repository');
  t.same(
    Object.keys(services).sort(),
    ['postgres', 'redis', 'migrate', ...repoServices.flatMap((s) => [s, `${s}-worker`])].sort(),
    'Postgres, Redis, the provisioning step, and a server and a worker for each service',
  );

  // Postgres as the provisioning step expects it, with the extension the migrations use.
  const pg = services.postgres!;
  t.match(pg.image, /^postgres:(1[6-9]|[2-9]\d)/, 'Postgres 16 or later');
  t.equal(pg.environment!.POSTGRES_PASSWORD, secrets.POSTGRES_PASSWORD, "the superuser's password comes from .env");
  const migrate = services.migrate!;
  const adminUrl = new URL(migrate.environment!.DATABASE_ADMIN_URL!);
  t.same([adminUrl.hostname, adminUrl.username, decodeURIComponent(adminUrl.password), adminUrl.pathname], ['postgres', 'postgres', secrets.POSTGRES_PASSWORD, `/${pg.environment!.POSTGRES_DB}`], 'the provisioning step alone connects as the superuser');
  t.same([migrate.build?.dockerfile, migrate.build?.args], ['infra/Dockerfile', { PACKAGE: 'provisioning' }], 'from the image of packages/provisioning');
  t.same(migrate.command, ['node', 'dist/migrate.js'], 'it runs pnpm migrate, compiled');
  t.ok(sourceOf('packages/provisioning', 'dist/migrate.js'), 'which is compiled from packages/provisioning/src/migrate.ts');
  const known = { ...baseEnvSchema.shape, ...deploymentEnvSchema.shape };
  t.same(Object.keys(migrate.environment!).filter((k) => !(k in known)), [], 'every variable it sets is one the tools read');
  t.same(Object.keys(migrate.depends_on ?? {}).sort(), ['postgres', 'redis']);
  const init = (pg.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`)).find((v) => v.includes('docker-entrypoint-initdb.d'));
  t.ok(init, 'an init script');
  t.match(readFileSync(join(root, 'infra/postgres/init.sql'), 'utf8'), /CREATE EXTENSION IF NOT EXISTS pg_trgm/, 'creating pg_trgm');
  const maxConnections = Number(/max_connections=(\d+)/.exec((pg.command ?? []).join(' '))?.[1] ?? 100);
  t.ok(maxConnections >= 8 * 10 + 8, `max_connections ${maxConnections} covers 8 processes x DB_POOL_MAX 10 and their listeners`);

  // Redis as BullMQ and the services' start-up check need it.
  const redis = services.redis!;
  const conf = readFileSync(join(root, 'infra/redis.conf'), 'utf8');
  const args = (redis.command ?? []).join(' ');
  const confInContainer = /REDIS_CONF:-([^}]+)\}/.exec(readFileSync(join(root, 'infra/redis-start.sh'), 'utf8'))?.[1];
  t.ok(
    (redis.volumes ?? []).some((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`).match(/infra\/redis\.conf:(.+?)(:ro)?$/)?.[1] === confInContainer),
    `Redis starts from infra/redis.conf, mounted where infra/redis-start.sh reads it (${confInContainer})`,
  );
  t.match(conf, /^appendonly yes$/m, 'appendonly yes');
  t.match(conf, /^maxmemory-policy noeviction$/m, 'maxmemory-policy noeviction');
  t.notMatch(args, /--appendonly no|--maxmemory-policy (?!noeviction)/, 'not overridden on the command line');
  t.ok((redis.volumes ?? []).some((v) => (typeof v === 'string' ? v : v.target).includes('/data')), 'its append-only file on a volume');
  // Nobody reaches Redis without the password: protected mode, the default user off, the services as an ACL user.
  t.match(conf, /^protected-mode yes$/m, 'protected-mode yes');
  t.notMatch(args, /--protected-mode/, 'not overridden on the command line');
  t.match(args, /redis-start\.sh/, 'started by infra/redis-start.sh, which writes the ACL');
  t.ok((redis.volumes ?? []).some((v) => (typeof v === 'string' ? v : v.source).includes('infra/redis-start.sh')), 'mounted into the container');
  t.equal(redis.environment?.REDIS_PASSWORD, secrets.REDIS_PASSWORD, 'the password from .env');
  t.notMatch(args, secrets.REDIS_PASSWORD, 'and not on the command line');
  t.equal(redis.user, 'redis', 'the server does not run as root');
  const redisUrl = new URL(services.registration!.environment!.REDIS_URL!);
  t.equal(redisUrl.hostname, 'redis');
  t.same([redisUrl.username, decodeURIComponent(redisUrl.password)], ['reemploy', secrets.REDIS_PASSWORD], 'the services log in as the ACL user');
  t.match(redis.healthcheck?.test?.join(' '), /--user reemploy/, 'the health check authenticates');

  const roles = new Map<string, string>();
  const keys = new Map<string, string>();

  // The image: a build stage compiles and deploys one package; the image run holds only that.
  const dockerfile = readFileSync(join(root, 'infra/Dockerfile'), 'utf8');
  // Its instructions, without comments, by stage.
  const stages = dockerfile.replace(/^#.*\n/gm, '').split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
  t.equal(stages.length, 2, 'two stages: build, then run');
  const [build, runtime] = stages as [string, string];
  t.match(build, /^FROM node:20[\w.-]* AS build$/m, 'the build stage');
  t.match(build, /^RUN pnpm install --frozen-lockfile$/m, 'installs every dependency from the lockfile');
  t.match(build, /^RUN pnpm build$/m, 'compiles (pnpm build)');
  t.match(build, /^RUN pnpm --filter "@reemploy\/\$\{PACKAGE\}" deploy --prod \/out$/m, 'and deploys the package chosen (PACKAGE) with its production dependencies alone');
  t.match(runtime, /^FROM node:20[\w.-]*-slim$/m, 'the image run is a slim Node 20');
  t.same([...runtime.matchAll(/^(COPY|ADD) .*$/gm)].map((m) => m[0]), ['COPY --from=build /out ./'], 'holding only what pnpm deploy wrote');
  t.notMatch(runtime, /pnpm|tsx|typescript|--import/, 'no pnpm, no tsx, no TypeScript loader');
  t.match(runtime, /^USER node$/m, 'not root');
  const imageEnv = Object.fromEntries([...runtime.matchAll(/^ENV (.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
  t.equal(imageEnv.NODE_ENV, 'production', 'the image runs in production mode');
  t.equal(imageEnv.NODE_OPTIONS, '--conditions=production', 'on the compiled code of the workspace packages (their exports\' condition "production")');
  const imageCommand = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? 'null') as string[] | null;
  t.same(imageCommand, ['node', 'dist/src/server.js'], "a service's server by default");

  for (const name of repoServices) {
    for (const entry of ['server', 'worker'] as const) {
      const key = entry === 'server' ? name : `${name}-worker`;
      const svc = services[key]!;
      const env = svc.environment ?? {};
      t.same([svc.build?.dockerfile, svc.build?.args], ['infra/Dockerfile', { PACKAGE: name }], `${key}: the image of services/${name}`);
      const command = svc.command ?? imageCommand;
      t.same(command, ['node', `dist/src/${entry}.js`], `${key}: runs its compiled ${entry}`);
      t.equal(sourceOf(`services/${name}`, command?.[1] ?? ''), `services/${name}/src/${entry}.ts`, `${key}: compiled from services/${name}/src/${entry}.ts`);
      const schema = schemas[name]!;
      const dbUrl = new URL(env.DATABASE_URL!);
      t.same([dbUrl.hostname, dbUrl.pathname], ['postgres', `/${pg.environment!.POSTGRES_DB}`], `${key}: connects to the database created`);
      t.not(dbUrl.username, 'postgres', `${key}: not as the superuser`);
      t.equal(decodeURIComponent(dbUrl.password), secrets[`${envPrefix(name)}_DB_PASSWORD`], `${key}: as its own role, with the password from .env`);
      t.equal(env.DATABASE_URL, migrate.environment![`${envPrefix(name)}_DATABASE_URL`], `${key}: the role the provisioning step makes`);
      t.equal(env.PII_KEY, secrets[`${envPrefix(name)}_PII_KEY`], `${key}: its own PII key`);
      t.equal(env.PII_KEY, migrate.environment![`${envPrefix(name)}_PII_KEY`], `${key}: the key the provisioning step migrates with`);
      for (const [seen, value] of [[roles, dbUrl.username], [keys, env.PII_KEY!]] as const) {
        t.ok(!seen.has(value) || seen.get(value) === name, `${key}: shares neither role nor key with ${seen.get(value) ?? 'another service'}`);
        seen.set(value, name);
      }
      const unknown = Object.keys(env).filter((k) => !(k in schema.shape));
      t.same(unknown, [], `${key}: every variable it sets is one the service reads`);
      const parsed = schema.safeParse({ ...imageEnv, ...env });
      t.ok(parsed.success, `${key}: its environment passes the service's configuration schema${parsed.success ? '' : `: ${parsed.error.message}`}`);
      if (parsed.success) t.doesNotThrow(() => resolveSecrets(parsed.data as never, () => undefined), `${key}: its secrets are accepted in production`);
      t.same(Object.keys(svc.depends_on ?? {}).sort(), ['migrate', 'postgres', 'redis'], `${key}: waits for Postgres, Redis and the provisioning step`);
      t.same(
        Object.values(svc.depends_on ?? {}).map((d) => d.condition).sort(),
        ['service_completed_successfully', 'service_healthy', 'service_healthy'],
        `${key}: until they are healthy and provisioning has succeeded`,
      );
      t.ok(svc.healthcheck?.test?.length, `${key}: has a health check`);
      const port = entry === 'server' ? Object.entries(env).find(([k]) => k.endsWith('_PORT') && k !== 'WORKER_METRICS_PORT')?.[1] : env.WORKER_METRICS_PORT;
      t.ok(port, `${key}: sets its port`);
      t.same((svc.ports ?? []).map(portOf), [`127.0.0.1:${port}:${port}`], `${key}: published on loopback only`);
      t.match(svc.healthcheck?.test?.join(' '), `127.0.0.1:${port}/${entry === 'server' ? 'ready' : 'health'}`, `${key}: the health check asks ${entry === 'server' ? '/ready' : 'the metrics port'}`);
    }
  }
  for (const key of ['postgres', 'redis']) t.ok(services[key]!.healthcheck?.test?.length, `${key}: has a health check`);
});

const redisServer = (await run('redis-server', ['--version'])).code === 0;

t.test("Redis as compose starts it: only the services' ACL user gets in, and it can run BullMQ but not wipe Redis", { skip: redisServer || process.env.CI ? false : 'redis-server is not installed' }, async (t) => {
  // A private server on a free port, from infra/redis.conf and infra/redis-start.sh: the shared Redis is not touched.
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-redis-'));
  const port = await freePort();
  const password = 'a-redis-password-for-this-test';
  const start = (pw: string) =>
    spawn('sh', [join(root, 'infra/redis-start.sh'), '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], {
      env: { PATH: process.env.PATH ?? '', REDIS_PASSWORD: pw, REDIS_CONF: join(root, 'infra/redis.conf'), REDIS_ACL_FILE: join(dir, 'users.acl') },
      stdio: 'pipe',
    });
  const refused = start('has spaces in it, so no');
  t.not(await new Promise((r) => refused.on('exit', r)), 0, 'a password that would not fit in REDIS_URL is refused');

  const server = start(password);
  t.teardown(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `redis://reemploy:${password}@127.0.0.1:${port}`;
  const ping = async (u: string) => {
    const client = new Redis(u, { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    let refusal = '';
    client.on('error', (err: Error) => (refusal ||= err.message));
    try {
      await client.connect();
      return await client.ping();
    } catch (err) {
      return refusal || (err as Error).message;
    } finally {
      client.disconnect();
    }
  };
  await eventually(async () => ((await ping(url)) === 'PONG' ? true : undefined), 10_000, 100);

  t.match(await ping(`redis://127.0.0.1:${port}`), /NOAUTH/, 'without credentials: nothing');
  t.match(await ping(`redis://default:${password}@127.0.0.1:${port}`), /WRONGPASS|disabled/, 'the default user is off');
  t.match(await ping(`redis://reemploy:wrong-password-0123@127.0.0.1:${port}`), /WRONGPASS/, 'a wrong password: nothing');

  // What the services do with REDIS_URL: the start-up policy check, a queue and a worker.
  const producer = createRedis(url, 'producer', 'compose-test');
  const consumer = createRedis(url, 'worker', 'compose-test-worker');
  const queue = new Queue('probe', { connection: producer, prefix: 'reemploy' });
  const worker = new Worker('probe', async (job) => (job.data as { n: number }).n * 2, { connection: consumer, prefix: 'reemploy' });
  t.teardown(async () => {
    await worker.close();
    await queue.close();
    await closeRedis(producer, consumer);
  });
  await waitReady(producer);
  await assertRedisPolicy(producer, (msg) => t.fail(msg));
  const job = await queue.add('double', { n: 21 });
  t.equal(await eventually(async () => (await queue.getJob(job.id!))?.returnvalue ?? undefined, 10_000, 50), 42, 'a job runs through BullMQ');
  t.equal((await queue.getWorkers()).length, 1, "the dashboard's worker list (CLIENT LIST) works");
  t.match(await producer.info('server'), /redis_version/);
  t.match(await producer.config('GET', 'protected-mode'), ['protected-mode', 'yes'], 'protected mode is on');
  await t.rejects(producer.flushall(), /NOPERM/, 'FLUSHALL is refused');
  await t.rejects(producer.config('SET', 'maxmemory-policy', 'allkeys-lru'), /NOPERM/, 'so is CONFIG SET');

  // The compose health check, as the container runs it (on this server's port).
  const health = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
  const check = health.services.redis!.healthcheck!.test[1]!.replaceAll('$$', '$').replace('redis-cli', `redis-cli -p ${port}`);
  t.equal((await run('sh', ['-c', check], { REDIS_PASSWORD: password })).code, 0, 'the health check authenticates');
  t.not((await run('sh', ['-c', check], { REDIS_PASSWORD: 'wrong-password-0123' })).code, 0, 'and fails with a wrong password');
});
