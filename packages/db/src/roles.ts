/**
 * Each service connects as a login role of its own that owns its schema and
 * nothing else, so that "no service reads another's schema" is Postgres's to
 * enforce. Provisioning them is an administrator's step (`pnpm migrate` with
 * DATABASE_ADMIN_URL, the compose init service, the test helper); services
 * never connect with more than their own role.
 */
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { DDL_LOCK_KEY } from './migrate.ts';

/**
 * Every service role is a member: it may connect, make temporary tables (the
 * registration import stages rows in one) and use what `public` holds
 * (pg_trgm's functions and operator classes). PUBLIC keeps none of these.
 */
export const SERVICE_GROUP = 'reemploy_services';

export interface ServiceRole {
  /** The login role the service connects as. */
  role: string;
  /** Its password; none where loopback is trusted (development). */
  password?: string;
  schema: string;
}

type Admin = pg.Client | pg.PoolClient;

const id = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The role (and password) a connection URL logs in as, for the service owning `schema`. */
export function serviceRoleOf(url: string, schema: string): ServiceRole {
  const u = new URL(url);
  const role = decodeURIComponent(u.username);
  if (!role) throw new Error(`the connection URL for schema "${schema}" names no user`);
  return { role, schema, ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
}

// Provisioning changes the catalog the migrator reads: one at a time with all schema DDL.
async function underDdlLock<T>(admin: Admin, work: () => Promise<T>): Promise<T> {
  await admin.query('select pg_advisory_lock(hashtext($1))', [DDL_LOCK_KEY]);
  try {
    return await work();
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [DDL_LOCK_KEY]);
  }
}

/**
 * Takes from PUBLIC what Postgres gives it by default (connecting, temporary
 * tables, `public`'s usage, and before Postgres 15 creating there) and gives
 * the service group what services need. Only when something differs: each
 * grant rewrites a catalog row that parallel provisioning would contend for.
 */
async function lockDownDatabase(admin: Admin) {
  const { rows } = await admin.query<{ group: boolean; publicDatabase: boolean; publicSchema: boolean }>(
    `select exists (select 1 from pg_roles where rolname = $1) as "group",
       exists (select 1 from pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
               where d.datname = current_database() and a.grantee = 0) as "publicDatabase",
       exists (select 1 from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
               where n.nspname = 'public' and a.grantee = 0) as "publicSchema"`,
    [SERVICE_GROUP],
  );
  const state = rows[0]!;
  const database = id((await admin.query<{ db: string }>('select current_database() as db')).rows[0]!.db);
  if (!state.group) await admin.query(`create role ${id(SERVICE_GROUP)} nologin`);
  const groupConnects = (await admin.query<{ ok: boolean }>(`select has_database_privilege($1, current_database(), 'connect') as ok`, [SERVICE_GROUP])).rows[0]!.ok;
  if (state.publicDatabase || !groupConnects) {
    await admin.query(`revoke all on database ${database} from public`);
    await admin.query(`grant connect, temporary on database ${database} to ${id(SERVICE_GROUP)}`);
  }
  if (state.publicSchema || !state.group) {
    await admin.query('revoke all on schema public from public');
    await admin.query(`grant usage on schema public to ${id(SERVICE_GROUP)}`);
  }
}

/** Statements giving the role every object of its schema that another role owns (a schema migrated by a superuser before roles existed). */
const HAND_OVER = `
  with s as (select oid from pg_namespace where nspname = $1), r as (select oid from pg_roles where rolname = $2)
  select format('alter %s %s owner to %I',
           case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' when 'f' then 'foreign table' else 'table' end,
           c.oid::regclass, $2) as statement
    from pg_class c
   where c.relnamespace = (select oid from s) and c.relowner <> (select oid from r) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
     -- a sequence a column owns follows its table
     and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
  union all
  select format('alter routine %s owner to %I', p.oid::regprocedure, $2)
    from pg_proc p where p.pronamespace = (select oid from s) and p.proowner <> (select oid from r)
  union all
  select format('alter type %s owner to %I', t.oid::regtype, $2)
    from pg_type t
   where t.typnamespace = (select oid from s) and t.typowner <> (select oid from r)
     and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind = 'c')))`;

/**
 * Creates (or brings in line) a service's login role and its schema, owned by
 * it: idempotent, run by every `pnpm migrate`. A role that is a superuser is
 * refused, not demoted: it is someone else's.
 */
export async function provisionServiceRole(admin: Admin, spec: ServiceRole): Promise<void> {
  await underDdlLock(admin, async () => {
    await lockDownDatabase(admin);
    const role = id(spec.role);
    const password = spec.password === undefined ? '' : ` password ${literal(spec.password)}`;
    const existing = await admin.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = $1', [spec.role]);
    if (existing.rows[0]?.rolsuper) throw new Error(`the role "${spec.role}" of schema "${spec.schema}" is a superuser: give the service a role of its own`);
    if (existing.rows.length) await admin.query(`alter role ${role} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls${password}`);
    else await admin.query(`create role ${role} login${password}`);
    await admin.query(`grant ${id(SERVICE_GROUP)} to ${role}`);
    const schema = await admin.query('select 1 from pg_namespace where nspname = $1', [spec.schema]);
    if (!schema.rows.length) {
      await admin.query(`create schema ${id(spec.schema)} authorization ${role}`);
      return;
    }
    await admin.query(`alter schema ${id(spec.schema)} owner to ${role}`);
    const { rows } = await admin.query<{ statement: string }>(HAND_OVER, [spec.schema, spec.role]);
    for (const { statement } of rows) await admin.query(statement);
  });
}

/** Drops a role and whatever it still owns in this database (its schema included). */
export async function dropServiceRole(admin: Admin, role: string): Promise<void> {
  await underDdlLock(admin, async () => {
    const { rows } = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
    if (!rows.length) return;
    await admin.query(`drop owned by ${id(role)} cascade`);
    await admin.query(`drop role ${id(role)}`);
  });
}

/** The role a connection runs as, and whether it reads every schema (a superuser, or a member of pg_read_all_data). */
export async function connectionRole(db: Kysely<unknown>): Promise<{ role: string; readsEverySchema: boolean }> {
  const { rows } = await sql<{ role: string; reads: boolean }>`
    select current_user as role, rolsuper or pg_has_role(current_user, 'pg_read_all_data', 'member') as reads
      from pg_roles where rolname = current_user`.execute(db);
  return { role: rows[0]!.role, readsEverySchema: rows[0]!.reads };
}
