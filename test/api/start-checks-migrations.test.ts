/**
 * A service never migrates when it starts (every start would take the
 * project-wide DDL lock): its server and worker check that the schema holds
 * every migration they know, and refuse to start otherwise; `pnpm migrate`
 * (and the test helper) migrate. test/compiled-build.test.ts shows the same
 * of the compiled processes.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { ConfigError } from '@reemploy/config';
import { assertMigrated, closeContext, createContext, prepareService, schemaMigrations, startService } from '@reemploy/runtime';
import { provisionTestRole } from '@reemploy/runtime/testing';
import { assistanceBases } from '@reemploy/assistance-bases';

t.test('a service refuses a schema that lacks a migration, names it and pnpm migrate, and changes nothing', async (t) => {
  const schema = `start_check_${randomBytes(4).toString('hex')}`;
  const role = await provisionTestRole(schema);
  t.teardown(() => role.drop());
  const env = assistanceBases.parseEnv({ ...process.env, NODE_ENV: 'test', DATABASE_URL: role.url, DB_SCHEMA: schema, DB_POOL_MAX: '2', LOG_LEVEL: 'silent' });
  const ctx = createContext(assistanceBases, env, pino({ level: 'silent' }));
  t.teardown(() => closeContext(ctx));
  const relations = async () => (await ctx.database.pool.query('select count(*)::int as n from pg_class where relnamespace = $1::text::regnamespace', [schema])).rows[0].n as number;
  const all = Object.keys(schemaMigrations(assistanceBases.migrations)).sort();

  await t.rejects(startService(ctx, assistanceBases), ConfigError, 'an empty schema: the service does not start');
  const refusal = await assertMigrated(ctx, assistanceBases.migrations).catch((err: Error) => err.message);
  t.match(refusal, `schema "${schema}" is not at the latest migration (${all.length} pending: ${all.slice(0, 3).join(', ')} and ${all.length - 3} more): run pnpm migrate first`, 'naming the pending migrations and pnpm migrate');
  t.equal(await relations(), 0, 'nor did it migrate');

  await prepareService(ctx, assistanceBases);
  await t.resolves(startService(ctx, assistanceBases), 'migrated (as pnpm migrate does): it starts');

  // A new release with a migration not yet applied.
  const newest = all.at(-1)!;
  const { rows } = await ctx.database.pool.query(`delete from "${schema}".kysely_migration where name = $1 returning timestamp`, [newest]);
  await t.rejects(assertMigrated(ctx, assistanceBases.migrations), { message: new RegExp(`\\(1 pending: ${newest}\\): run pnpm migrate first`) }, 'the one pending migration named');
  await ctx.database.pool.query(`insert into "${schema}".kysely_migration (name, timestamp) values ($1, $2)`, [newest, rows[0].timestamp]);

  // A newer release migrated first: what the running version does not know does not stop it.
  await ctx.database.pool.query(`insert into "${schema}".kysely_migration (name, timestamp) values ('2099-01-01-00-of-a-later-release', now()::text)`);
  await t.resolves(assertMigrated(ctx, assistanceBases.migrations), 'a migration it does not know does not stop it');
});
