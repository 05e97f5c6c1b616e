import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

// COUNT(*) and bigserial come back as int8; every count here fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the time zone.
pg.types.setTypeParser(1082, (v) => v);

/**
 * What Postgres allows every session of a pool (0: no limit). A statement
 * running longer is cancelled; a session idle inside a transaction longer is
 * ended, so neither a runaway query nor a forgotten transaction holds a
 * connection and its locks. Batch steps lift the first with allowLongStatements.
 */
export interface SessionLimits {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { statementTimeoutMs: 30_000, idleInTransactionTimeoutMs: 60_000 };

export interface DatabaseOptions {
  url: string;
  /** The service's own schema: first on the search path, so queries name tables bare. */
  schema: string;
  poolMax?: number;
  applicationName?: string;
  limits?: SessionLimits;
  /** Called for errors on idle connections (e.g. Postgres restarted); they must not crash the process. */
  onIdleError?: (err: Error) => void;
}

export interface Database<DB> {
  db: Kysely<DB>;
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}

export function createDatabase<DB>(options: DatabaseOptions): Database<DB> {
  const limits = options.limits ?? DEFAULT_SESSION_LIMITS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? options.schema,
    // Each connection's session defaults (0 included), which SET LOCAL overrides for one transaction.
    options: [
      `-c search_path=${options.schema},public`,
      `-c statement_timeout=${Math.trunc(limits.statementTimeoutMs)}`,
      `-c idle_in_transaction_session_timeout=${Math.trunc(limits.idleInTransactionTimeoutMs)}`,
    ].join(' '),
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (err) => options.onIdleError?.(err));
  // A connection cut while checked out (Postgres restarted) must not crash the
  // process: its query already fails; the client is discarded on release.
  pool.on('connect', (client) => client.on('error', (err) => options.onIdleError?.(err)));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    schema: options.schema,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      // Kysely ends the pool only if it used it itself; code that used only `pool` would leave it open.
      if (!pool.ended) await pool.end();
    },
  };
}
