/**
 * The compiled build, as production runs it (infra/Dockerfile): `pnpm build`
 * compiles every package and service to JavaScript, `pnpm deploy --prod`
 * copies one package with its production dependencies alone, and plain node
 * runs it: no tsx, no loader, only the condition "production", which selects
 * the workspace packages' compiled exports. A service that still needed
 * TypeScript, a development dependency or a file the build left behind fails
 * here. So does one that migrates when it starts: it refuses a schema the
 * compiled `pnpm migrate` has not migrated.
 */
import t from 'tap';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { envPrefix } from '@reemploy/config/deployment';
import { buildProjects } from '../scripts/build-projects.ts';
import { eventually, provisionTestRole, TEST_AUDIENCES, TEST_DATABASE_URL, testIssuer, testQueuePrefix, type TestRole, freePort } from '@reemploy/runtime/testing';

// A build from scratch compiles 22 projects, and five compiled processes start: longer than tap's default for a file.
t.setTimeout(480_000);

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVICES = { registration: 'REGISTRATION_PORT', 'job-postings': 'JOB_POSTINGS_PORT', matching: 'MATCHING_PORT', 'assistance-bases': 'ASSISTANCE_BASES_PORT' } as const;
type Service = keyof typeof SERVICES;
const services = Object.keys(SERVICES) as Service[];

/** pnpm as a developer runs it, without the test runner's hooks (NODE_OPTIONS). */
const toolEnv = { ...process.env, NODE_OPTIONS: '' };
/** What a compiled process gets: this, and nothing of the test runner's (no NODE_OPTIONS, no loader). */
const plainEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test' };
/** How production starts node (infra/Dockerfile: NODE_OPTIONS=--conditions=production). */
const NODE = [process.execPath, '--conditions=production'] as const;

function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...options, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}


function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

interface Manifest {
  name: string;
  exports: Record<string, { production: string; default: string }>;
}
const projects = buildProjects(root).map((p) => p.dir);

t.test('pnpm build compiles every package and service: each export has its JavaScript under the condition "production"', async (t) => {
  const started = Date.now();
  // Type checking is pnpm typecheck's, which the suite runs before; the build here only emits.
  const build = await run('pnpm', ['build', '--no-check'], { cwd: root, env: toolEnv });
  t.equal(build.code, 0, `pnpm build: ${build.stderr.slice(-2000)}${build.stdout.slice(-2000)}`);
  t.comment(`pnpm build --no-check: ${Math.round((Date.now() - started) / 1000)} s`);

  const workspace = ['packages', 'services'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p))).filter((dir) => existsSync(join(dir, 'package.json')));
  t.same(projects.sort(), workspace.sort(), 'tsconfig.build.json builds every workspace package');
  for (const dir of projects) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      t.same(Object.keys(target), ['production', 'default'], `${manifest.name} ${subpath}: compiled in production, the TypeScript source otherwise`);
      const [prefix, suffix] = target.default.split('*') as [string, string | undefined];
      // A pattern ("./*"): every source it exports has its compiled file.
      const sources = suffix === undefined ? [target.default] : [...filesUnder(join(dir, prefix))].map((f) => `./${relative(dir, f)}`).filter((f) => f.endsWith(suffix) && !f.endsWith('.d.ts'));
      const missing = sources.filter((source) => {
        const compiled = suffix === undefined ? target.production : target.production.replace('*', source.slice(prefix.length, source.length - suffix.length));
        return !existsSync(join(dir, compiled));
      });
      t.same(missing, [], `${manifest.name} ${subpath}: ${sources.length} sources compiled`);
    }
  }
  // Read beside the compiled code at run time: copied by the build.
  for (const asset of ['page.html', 'dashboard.js', 'dashboard.css']) t.ok(existsSync(join(root, 'services/registration/dist/src/dashboard', asset)), `the dashboard's ${asset}`);
});

const out = mkdtempSync(join(tmpdir(), 'reemploy-compiled-'));
t.teardown(() => rmSync(out, { recursive: true, force: true }));
const deployed = (pkg: string) => join(out, pkg);

t.test('pnpm deploy --prod: each service with its production dependencies alone, compiled, without TypeScript or tsx', async (t) => {
  for (const pkg of [...services, 'provisioning']) {
    const deploy = await run('pnpm', ['--filter', `@reemploy/${pkg}`, 'deploy', '--prod', '--offline', deployed(pkg)], { cwd: root, env: toolEnv });
    t.equal(deploy.code, 0, `pnpm deploy ${pkg}: ${deploy.stderr.slice(-2000)}`);
    const modules = join(deployed(pkg), 'node_modules');
    t.notOk(existsSync(join(modules, 'tsx')) || existsSync(join(modules, 'typescript')), `${pkg}: neither tsx nor typescript is a dependency`);
    t.same(readdirSync(join(modules, '.pnpm')).filter((p) => p.startsWith('tsx@')), [], `${pkg}: tsx is nowhere among its packages`);
    // The package and the workspace packages it depends on: their dist/ alone, no TypeScript source.
    const workspacePackages = readdirSync(join(modules, '@reemploy')).map((p) => join(modules, '@reemploy', p));
    t.notOk(existsSync(join(modules, '@reemploy', 'testkit')), `${pkg}: the test kit (packages/testkit) is not among them`);
    const sources = [deployed(pkg), ...workspacePackages].flatMap((dir) =>
      [...filesUnder(dir)].filter((f) => !relative(dir, f).startsWith('node_modules')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    t.same(sources, [], `${pkg}: no TypeScript source, in it or in the ${workspacePackages.length} workspace packages it holds`);
  }
});

/** A compiled process of a deployed package, stopped when the test ends. */
interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}
const children: Started[] = [];

function start(pkg: string, file: string, env: Record<string, string>): Started {
  const child = spawn(NODE[0], [...NODE.slice(1), file], { cwd: deployed(pkg), env: { ...plainEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const started = { child, output: () => output, exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  children.push(started);
  return started;
}

async function stopAll() {
  await Promise.all(
    children.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Polls a URL until it answers 200 (a busy machine may take long to load a service); fails with the process's output when it exits first or never does. */
async function answers(url: string, proc: Started, timeoutMs = 180_000): Promise<Response> {
  return eventually(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`exited with ${proc.child.exitCode}: ${proc.output()}`);
      return fetch(url).then((r) => (r.status === 200 ? r : undefined), () => undefined);
    },
    timeoutMs,
    200,
  ).catch((err: Error) => {
    throw new Error(`${url}: ${err.message}; output: ${proc.output()}`);
  });
}

t.test('compiled services refuse an unmigrated schema, run after the compiled pnpm migrate, and answer /ready', async (t) => {
  const suffix = randomBytes(4).toString('hex');
  const queuePrefix = testQueuePrefix();
  const roles = {} as Record<Service, TestRole>;
  const schemas = Object.fromEntries(services.map((s) => [s, `compiled_${envPrefix(s).toLowerCase()}_${suffix}`])) as Record<Service, string>;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  t.teardown(async () => {
    await stopAll();
    await admin.end();
    for (const role of Object.values(roles)) await role.drop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  });
  // Each service's role, owning its (empty) schema, as the provisioning step leaves it.
  for (const s of services) roles[s] = await provisionTestRole(schemas[s]);
  const serviceEnv = (s: Service): Record<string, string> => ({
    DATABASE_URL: roles[s].url,
    DB_SCHEMA: schemas[s],
    DB_POOL_MAX: '3',
    QUEUE_PREFIX: queuePrefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    TOKEN_ISSUER: testIssuer.issuer,
    JWKS_JSON: JSON.stringify(testIssuer.jwks),
  });
  const relations = async (schema: string) => (await admin.query('select count(*)::int as n from pg_class where relnamespace = $1::text::regnamespace', [schema])).rows[0].n as number;

  // A service does not migrate when it starts: on a schema without its migrations it refuses, and leaves it alone.
  const early = start('assistance-bases', 'dist/src/server.js', { ...serviceEnv('assistance-bases'), ASSISTANCE_BASES_PORT: String(await freePort()) });
  t.not(await early.exited, 0, 'a server on an unmigrated schema does not start');
  t.match(early.output(), /schema "compiled_assistance_bases_\w+" is not at the latest migration \(\d+ pending: .+\): run pnpm migrate first/, 'and says why');
  t.equal(await relations(schemas['assistance-bases']), 0, 'its schema still holds nothing: it did not migrate');

  // pnpm migrate, compiled: its own deployed package, as the compose service migrate runs it.
  await Promise.all(
    services.map(async (s) => {
      const migrate = await run(NODE[0], [...NODE.slice(1), 'dist/migrate.js', '--service', s], {
        cwd: deployed('provisioning'),
        env: { ...plainEnv, ...serviceEnv(s), DATABASE_ADMIN_URL: TEST_DATABASE_URL, [`${envPrefix(s)}_DATABASE_URL`]: roles[s].url, LOG_LEVEL: 'error' },
      });
      t.equal(migrate.code, 0, `node dist/migrate.js --service ${s}: ${migrate.stderr.slice(-2000)}`);
      t.match(migrate.stdout, `migrated ${s} (schema ${schemas[s]}`, `${s}: migrated`);
    }),
  );
  t.ok((await relations(schemas['assistance-bases'])) > 5, 'the schema holds its tables now');

  // Each compiled server, and matching's worker, under plain node.
  const ports = {} as Record<Service, number>;
  const servers = {} as Record<Service, Started>;
  for (const s of services) {
    ports[s] = await freePort();
    servers[s] = start(s, 'dist/src/server.js', { ...serviceEnv(s), [SERVICES[s]]: String(ports[s]) });
  }
  const workerPort = await freePort();
  const worker = start('matching', 'dist/src/worker.js', { ...serviceEnv('matching'), WORKER_METRICS_PORT: String(workerPort) });
  await Promise.all(
    services.map(async (s) => {
      const ready = await answers(`http://127.0.0.1:${ports[s]}/ready`, servers[s]);
      t.equal(ready.status, 200, `${s}: GET /ready answers 200`);
    }),
  );
  const health = await answers(`http://127.0.0.1:${workerPort}/health`, worker);
  t.same(await health.json(), { status: 'ok', service: 'matching', role: 'worker' }, "matching's worker runs");

  // The worker threads, compiled: registration prepares an upload this large in its preparing threads,
  // matching answers GET matches from its ranking thread (which connects to Postgres under a name of its own).
  const authorization = (scopes: string[]) => `Bearer ${testIssuer.token({ audience: TEST_AUDIENCES, sub: 'compiled-build-test', scopes, regions: ['3205'] })}`;
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ name: `compiled build row ${i}`, padding: 'x'.repeat(80) })).join('\n') + '\n';
  const imported = await fetch(`http://127.0.0.1:${ports.registration}/v1/job-seekers/import`, {
    method: 'POST',
    headers: { authorization: authorization(['seekers:write']), 'content-type': 'application/x-ndjson' },
    body: rows,
  });
  const report = (await imported.json()) as { rows?: number; failed?: number };
  t.equal(imported.status, 200, `an import of ${Math.round(rows.length / 1024)} kB, prepared by the threads: ${JSON.stringify(report).slice(0, 300)}; ${servers.registration.output()}`);
  t.match(report, { rows: 3000, failed: 3000 }, 'every row checked (and refused: no person in them)');

  const matches = await fetch(`http://127.0.0.1:${ports.matching}/v1/job-seekers/${randomUUID()}/matches`, { headers: { authorization: authorization(['matching:read']) } });
  t.equal(matches.status, 404, 'GET matches of no one: 404');
  const ranker = await eventually(async () => {
    const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [`${schemas.matching}-ranker`]);
    return rows[0].n > 0 ? rows[0].n : undefined;
  }, 30_000).catch(() => 0);
  t.ok(ranker > 0, `the ranking thread runs and reads Postgres; ${servers.matching.output()}`);
  t.notMatch(servers.matching.output(), /ranking thread/, 'no ranking thread failed');

  await stopAll();
  for (const [s, proc] of [...Object.entries(servers), ['matching worker', worker] as const]) t.equal(await proc.exited, 0, `${s}: stops cleanly on SIGTERM`);
});
