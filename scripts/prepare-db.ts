/**
 * Creates the application and test databases when missing, with the
 * extensions the services use (pg_trgm for title search). An administrator's
 * step, like `pnpm migrate` after it (DATABASE_ADMIN_URL).
 */
import pg from 'pg';
import { adminDatabaseUrl } from '@reemploy/config/deployment';

const appUrl = adminDatabaseUrl(process.env);
const testUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/reemploy_test';

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('create extension if not exists pg_trgm');
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
  } finally {
    await db.end();
  }
}

for (const url of new Set([appUrl, ...(process.argv.includes('--with-test') ? [testUrl] : [])])) await ensureDatabase(url);
