/**
 * `pnpm migrate [--service <name>]` (compiled: `node dist/migrate.js`, the
 * compose service migrate): the administrator's step before the services
 * start, which never migrate themselves and refuse a schema that lacks a
 * migration. For each service (or the one named): provisions its login
 * role and schema with DATABASE_ADMIN_URL (the role from the service's own
 * connection URL, `<SERVICE>_DATABASE_URL`; it owns the schema and nothing
 * else), then applies the service's migrations connected as that role, so that
 * everything in the schema is the role's (docs/operators.md).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminDatabaseUrl, envOfServices } from '@reemploy/config/deployment';
import { provisionServiceRole, serviceRoleOf } from '@reemploy/db';
import { closeContext, createContext, prepareService, schemaOf } from '@reemploy/runtime';
import { loadService, servicesNamed } from './services.ts';

const { values } = parseArgs({ options: { service: { type: 'string' } } });
const names = servicesNamed(values.service);

const adminUrl = adminDatabaseUrl(process.env);
const envs = envOfServices(names);
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  for (const name of names) {
    const def = await loadService(name);
    const env = def.parseEnv(envs[name]!);
    if (new URL(env.DATABASE_URL).pathname !== new URL(adminUrl).pathname) throw new Error(`${def.name}'s DATABASE_URL names another database than DATABASE_ADMIN_URL`);
    const role = serviceRoleOf(env.DATABASE_URL, schemaOf(def, env));
    await provisionServiceRole(admin, role);
    const ctx = createContext(def, env);
    try {
      await prepareService(ctx, def);
    } finally {
      await closeContext(ctx);
    }
    process.stdout.write(`migrated ${def.name} (schema ${role.schema}, role ${role.role})\n`);
  }
} finally {
  await admin.end();
}
