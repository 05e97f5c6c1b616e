/**
 * `pnpm migrate [--service <name>]`: the administrator's step before the
 * services start. For each service (or the one named): provisions its login
 * role and schema with DATABASE_ADMIN_URL (the role from the service's own
 * connection URL, `<SERVICE>_DATABASE_URL`; it owns the schema and nothing
 * else), then applies the service's migrations connected as that role, so that
 * everything in the schema is the role's (docs/operators.md).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminDatabaseUrl, envOfServices } from '@reemploy/config/deployment';
import { provisionServiceRole, serviceRoleOf } from '@reemploy/db';
import { closeContext, createContext, prepareService, schemaOf, type ServiceDefinition } from '@reemploy/runtime';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';

const all = [registration, jobPostings, matching, assistanceBases] as unknown as ServiceDefinition[];
const { values } = parseArgs({ options: { service: { type: 'string' } } });
const defs = values.service ? all.filter((d) => d.name === values.service) : all;
if (!defs.length) throw new Error(`unknown service "${values.service}"; one of ${all.map((d) => d.name).join(', ')}`);

const adminUrl = adminDatabaseUrl(process.env);
const envs = envOfServices(defs.map((d) => d.name));
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  for (const def of defs) {
    const env = def.parseEnv(envs[def.name]!);
    if (new URL(env.DATABASE_URL).pathname !== new URL(adminUrl).pathname) throw new Error(`${def.name}'s DATABASE_URL names another database than DATABASE_ADMIN_URL`);
    const role = serviceRoleOf(env.DATABASE_URL, schemaOf(def, env));
    await provisionServiceRole(admin, role);
    const ctx = createContext(def, env);
    try {
      await prepareService(ctx, def);
    } finally {
      await closeContext(ctx);
    }
    console.log(`migrated ${def.name} (schema ${role.schema}, role ${role.role})`);
  }
} finally {
  await admin.end();
}
