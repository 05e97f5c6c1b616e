/**
 * "No service reads another's schema" is Postgres's to enforce: each service
 * connects as a role of its own that owns its schema and nothing else, and
 * PUBLIC keeps none of what Postgres gives it by default.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { ConfigError } from '@reemploy/config';
import { dropServiceRole } from '@reemploy/db';
import { closeContext, createContext, prepareContext, prepareService } from '@reemploy/runtime';
import { productionEnv, provisionTestRole, TEST_DATABASE_URL, testIssuer } from '@reemploy/runtime/testing';
import { assistanceBases } from '@reemploy/assistance-bases';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';

/** A production deployment's own keys, and the test issuer whose keys it trusts. */
const productionSecrets = { ...productionEnv(), TOKEN_ISSUER: testIssuer.issuer, JWKS_JSON: JSON.stringify(testIssuer.jwks) };

/** The Postgres error code a query fails with (undefined when it succeeds). */
async function failure(pool: pg.Pool, query: string): Promise<string | undefined> {
  return pool.query(query).then(
    () => undefined,
    (err: { code?: string }) => err.code ?? 'no code',
  );
}

/** A context of assistance-bases (the lightest service) on a connection and schema of the test's choosing. */
function basesContext(url: string, schema: string, extra: Record<string, string> = {}) {
  const env = assistanceBases.parseEnv({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, DB_SCHEMA: schema, DB_POOL_MAX: '2', LOG_LEVEL: 'silent', ...extra });
  return createContext(assistanceBases, env, pino({ level: 'silent' }));
}

t.test("a service cannot read another service's schema: Postgres refuses", async (t) => {
  const registration = await buildRegistration(t);
  const matching = await buildMatching(t);
  const registrationSchema = registration.ctx.database.schema;
  const seekers = `"${registrationSchema}".job_seekers`;
  t.equal(await failure(registration.ctx.database.pool, `select count(*) from ${seekers}`), undefined, 'registration reads its own tables');

  const asMatching = matching.ctx.database.pool;
  t.equal(await failure(asMatching, `select count(*) from ${seekers}`), '42501', "matching reading registration's job seekers: permission denied");
  t.equal(await failure(asMatching, `select * from "${registrationSchema}".outbox limit 1`), '42501', 'nor its outbox');
  const onItsPath = new pg.Client({ connectionString: matching.ctx.env.DATABASE_URL, options: `-c search_path=${registrationSchema}` });
  await onItsPath.connect();
  t.teardown(() => onItsPath.end());
  await t.rejects(onItsPath.query('select count(*) from job_seekers'), { code: '42P01' }, 'nor through the search path (the table is not even visible)');
  const registrationRole = new URL(registration.ctx.env.DATABASE_URL).username;
  t.equal(await failure(asMatching, `set role "${registrationRole}"`), '42501', "nor by taking registration's role");
  t.equal(await failure(asMatching, 'create table public.leak (x int)'), '42501', 'nothing may be created in public to share');
  t.equal(await failure(asMatching, 'create schema leak'), '42501', 'nor a schema of its own making');
  const { rows } = await asMatching.query(`select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user`);
  t.same(rows[0], { rolsuper: false, rolcreaterole: false, rolcreatedb: false }, 'the role has no power beyond its schema');
  t.equal(await failure(asMatching, `select similarity('保洁员', '保洁')`), undefined, "pg_trgm's functions in public stay usable");
});

t.test('PUBLIC keeps nothing: a role outside the service group cannot even connect', async (t) => {
  const role = `t_nobody_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  // A role of ours provisions the lock-down of the test database first.
  const provisioned = await provisionTestRole(`t_group_${randomBytes(4).toString('hex')}`);
  await admin.query(`create role ${role} login password 'nobody-password'`);
  t.teardown(async () => {
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
    await provisioned.drop();
  });
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = 'nobody-password';
  const outsider = new pg.Client({ connectionString: url.toString() });
  await t.rejects(outsider.connect(), { code: '42501' }, 'permission denied for the database');
});

t.test('in production a service refuses to start on a connection that reads every schema', async (t) => {
  const schema = `assistance_bases_t${randomBytes(4).toString('hex')}`;
  const asSuperuser = basesContext(TEST_DATABASE_URL, schema, { NODE_ENV: 'production', ...productionSecrets });
  t.teardown(() => closeContext(asSuperuser));
  await t.rejects(prepareContext(asSuperuser, assistanceBases.migrations), ConfigError, 'refused as the superuser');
  const { rows } = await asSuperuser.database.pool.query('select 1 from pg_namespace where nspname = $1', [schema]);
  t.equal(rows.length, 0, 'before touching anything');

  const role = await provisionTestRole(schema);
  t.teardown(() => role.drop());
  const asItsRole = basesContext(role.url, schema, { NODE_ENV: 'production', ...productionSecrets });
  t.teardown(() => closeContext(asItsRole));
  await t.resolves(prepareService(asItsRole, assistanceBases), 'starts as its own role, migrating the schema it owns');
});

t.test('a schema the superuser migrated before roles existed is handed over to the service role', async (t) => {
  const schema = `assistance_bases_t${randomBytes(4).toString('hex')}`;
  const before = basesContext(TEST_DATABASE_URL, schema);
  await prepareService(before, assistanceBases);
  await closeContext(before);

  const role = await provisionTestRole(schema);
  t.teardown(() => role.drop());
  const name = new URL(role.url).username;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  t.teardown(() => admin.end());
  const owners = await admin.query(
    `select count(*)::int as others from (
       select relowner as owner from pg_class where relnamespace = $1::text::regnamespace
       union all select proowner from pg_proc where pronamespace = $1::text::regnamespace
       union all select nspowner from pg_namespace where nspname = $1::text) o
     where owner <> $2::text::regrole`,
    [schema, name],
  );
  t.equal(owners.rows[0].others, 0, 'the schema, its tables, sequences, indexes and functions belong to the role');

  const after = basesContext(role.url, schema);
  t.teardown(() => closeContext(after));
  await prepareService(after, assistanceBases);
  await after.database.pool.query(`insert into inbox (event_id, type) values (gen_random_uuid(), 'handover-check')`);
  t.equal((await after.database.pool.query('select count(*)::int as n from inbox')).rows[0].n, 1, 'the service writes its tables as its own role');
});

t.test('pnpm migrate provisions each service role and its schema, then migrates connected as that role', async (t) => {
  const suffix = randomBytes(4).toString('hex');
  const schema = `assistance_bases_t${suffix}`;
  const role = `assistance_bases_m${suffix}`;
  const own = new URL(TEST_DATABASE_URL);
  own.username = role;
  own.password = `password-${suffix}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  t.teardown(async () => {
    await dropServiceRole(admin, role);
    await admin.end();
  });
  const migrate = () =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/provisioning/src/migrate.ts', '--service', 'assistance-bases'], {
      cwd: new URL('..', import.meta.url),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        NODE_ENV: 'production',
        ...productionSecrets,
        DATABASE_ADMIN_URL: TEST_DATABASE_URL,
        // Never the development database, whatever the script makes of it.
        DATABASE_URL: TEST_DATABASE_URL,
        ASSISTANCE_BASES_DATABASE_URL: own.toString(),
        DB_SCHEMA: schema,
        LOG_LEVEL: 'silent',
      },
    });
  t.match((await migrate()).stdout, `migrated assistance-bases (schema ${schema}, role ${role})`);
  const owned = await admin.query(
    `select (select rolsuper from pg_roles where rolname = $2::text) as superuser,
            (select count(*)::int from pg_class where relnamespace = $1::text::regnamespace) as relations,
            (select count(*)::int from pg_class where relnamespace = $1::text::regnamespace and relowner <> $2::text::regrole) as others,
            (select nspowner::regrole::text from pg_namespace where nspname = $1::text) as owner`,
    [schema, role],
  );
  t.match(owned.rows[0], { superuser: false, others: 0, owner: role }, 'the schema and every table in it belong to the role, which is no superuser');
  t.ok(owned.rows[0].relations > 5, 'the migrations ran');
  t.match((await migrate()).stdout, 'migrated assistance-bases', 'running it again changes nothing and succeeds');
});
