/**
 * PII key rotation without downtime. After PII_KEY (and PII_KEY_ID) change and
 * the old key moves to PII_OLD_KEYS, every record stays readable (the cipher
 * decrypts with any configured key); this job then re-encrypts, in small
 * batches, every value still under a retired key, so the old key can be
 * removed. The same job binds the values written before ciphertexts were bound
 * to their row (read only while PII_READ_UNBOUND is on). It is resumable by
 * construction: what remains to do is exactly the set of values that do not
 * begin with the current prefix (`v2.<keyId>.`), so a stopped run simply
 * continues where it was. Safe while the API serves: each batch locks only its
 * own rows (FOR UPDATE SKIP LOCKED) and never changes a row's version, ETag or
 * updated_at, since the content does not change.
 */
import { inClientTransaction } from '@reemploy/db';
import { isBound, PiiIntegrityError, type PiiCipher, type PiiPlace } from '@reemploy/pii';
import type { ServiceContext, ServiceDefinition } from './service.ts';

export interface EncryptedColumns {
  /** Table in the service's schema. */
  table: string;
  /** Primary-key column (uuid). */
  key: string;
  /** Columns holding `v2.keyId.iv.tag.ciphertext` values (nullable or not), each bound to its row. */
  columns: string[];
  /**
   * Lookup hashes over a decrypted column: checked for every row the job
   * touches, so that a rotation under a lookup-hash key that changed (PII_HASH_KEY
   * not set) stops before it goes further, instead of orphaning every lookup.
   */
  hashes?: { hash: string; of: string }[];
}

/** Encrypted columns every service has, from the platform's own tables. */
export const PLATFORM_ENCRYPTED_COLUMNS: EncryptedColumns[] = [{ table: 'webhook_subscriptions', key: 'id', columns: ['secret_enc'] }];

export function encryptedColumnsOf(def: Pick<ServiceDefinition, 'encryptedColumns'>): EncryptedColumns[] {
  return [...(def.encryptedColumns ?? []), ...PLATFORM_ENCRYPTED_COLUMNS];
}

export interface RotationProgress {
  table: string;
  /** Rows re-encrypted so far in this table. */
  rotated: number;
  /** Of their values, those that were not bound to their row and now are. */
  bound: number;
  /** Rows with a value under a retired key, or unbound, when the table was started. */
  total: number;
}

export interface RotationResult {
  keyId: string;
  tables: RotationProgress[];
  /** Rows still holding a value under a retired key, or unbound, after the run (rows locked by a request at that moment): run again. */
  remaining: number;
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
  return `"${name}"`;
};

function staleWhere(spec: EncryptedColumns, param: string): string {
  return `(${spec.columns.map((c) => `(${ident(c)} is not null and ${ident(c)} not like ${param})`).join(' or ')})`;
}

/** Rows with a value under a retired key or unbound, per table (what the rotation has left to do). */
export async function countStalePii(ctx: Pick<ServiceContext, 'database' | 'pii'>, specs: EncryptedColumns[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const { rows } = await ctx.database.pool.query(`select count(*)::int as n from ${ident(spec.table)} where ${staleWhere(spec, '$1')}`, [`${ctx.pii.currentPrefix}%`]);
    out[spec.table] = rows[0].n;
  }
  return out;
}

export class HashKeyMismatch extends Error {
  override name = 'HashKeyMismatch';
}

export class UnboundPiiRefused extends Error {
  override name = 'UnboundPiiRefused';
}

/** A stored value decrypted at its place; one written before binding stops the run with what to do. */
function reading(pii: PiiCipher, value: string, place: PiiPlace): string {
  try {
    return pii.decrypt(value, place);
  } catch (err) {
    if (!(err instanceof PiiIntegrityError) || err.reason !== 'unbound') throw err;
    throw new UnboundPiiRefused(
      `${place.table}.${place.column} holds values written before they were bound to their row: bind them in a run with PII_READ_UNBOUND=true (docs/privacy.md)`,
    );
  }
}

/** The value again under the current key, bound to its place; null when it needs nothing. */
function reencrypt(pii: PiiCipher, value: string | null, place: PiiPlace): string | null {
  return value !== null && pii.isStale(value) ? pii.encrypt(reading(pii, value, place), place) : null;
}

/**
 * Re-encrypts every value under a retired key, or not bound to its row, with
 * the current key and bound to its row, batch by batch (one short transaction each). Returns when nothing is left, or only
 * rows that requests held locked (counted in `remaining`).
 */
export async function rotatePiiKeys(
  ctx: Pick<ServiceContext, 'database' | 'secrets' | 'pii'>,
  specs: EncryptedColumns[],
  options: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  const current = `${ctx.pii.currentPrefix}%`;
  const tables: RotationProgress[] = [];
  for (const spec of specs) {
    const total = (await countStalePii(ctx, [spec]))[spec.table]!;
    const progress: RotationProgress = { table: spec.table, rotated: 0, bound: 0, total };
    tables.push(progress);
    if (total === 0) continue;
    // Rows a request holds locked are skipped, then retried in a later pass.
    for (let pass = 0; pass < 3; pass++) {
      if (pass > 0) {
        if ((await countStalePii(ctx, [spec]))[spec.table] === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await rotateTable(ctx, spec, current, batchSize, progress, options.onProgress);
    }
  }
  const left = await countStalePii(ctx, specs);
  return { keyId: ctx.secrets.piiKeyId, tables, remaining: Object.values(left).reduce((a, b) => a + b, 0) };
}

async function rotateTable(
  ctx: Pick<ServiceContext, 'database' | 'pii'>,
  spec: EncryptedColumns,
  current: string,
  batchSize: number,
  progress: RotationProgress,
  onProgress?: (p: RotationProgress) => void,
) {
  const cols = spec.columns.map(ident);
  const hashCols = (spec.hashes ?? []).map((h) => ident(h.hash));
  let after: string | null = null;
  for (;;) {
    // One short transaction a batch: the keys re-encrypted, or none when nothing is left after `after`.
    const { keys, bound } = await inClientTransaction(ctx.database.pool, async (client) => {
      const { rows }: { rows: Record<string, string | null>[] } = await client.query(
        `select ${ident(spec.key)}::text as k, ${[...cols, ...hashCols].join(', ')} from ${ident(spec.table)}
          where ${staleWhere(spec, '$1')} ${after === null ? '' : `and ${ident(spec.key)} > $3::uuid`}
          order by ${ident(spec.key)} limit $2 for update skip locked`,
        after === null ? [current, batchSize] : [current, batchSize, after],
      );
      if (rows.length === 0) return { keys: [], bound: 0 };
      const keys: string[] = [];
      let bound = 0;
      const updates: (string | null)[][] = spec.columns.map(() => []);
      for (const row of rows) {
        const place = (column: string): PiiPlace => ({ table: spec.table, column, row: row.k as string });
        for (const h of spec.hashes ?? []) {
          const of = row[h.of] ?? null;
          if (of !== null && (row[h.hash] ?? null) !== null && ctx.pii.hash(reading(ctx.pii, of, place(h.of))) !== row[h.hash]) {
            throw new HashKeyMismatch(
              `${spec.table}.${h.hash} was not made with the lookup-hash key now configured: set PII_HASH_KEY to the key the stored hashes use (see .env.example) and run again`,
            );
          }
        }
        keys.push(row.k as string);
        spec.columns.forEach((c, i) => {
          const value = row[c] ?? null;
          if (value !== null && !isBound(value)) bound++;
          updates[i]!.push(reencrypt(ctx.pii, value, place(c)));
        });
      }
      const sets = spec.columns.map((c, i) => `${ident(c)} = coalesce(u.c${i}, t.${ident(c)})`).join(', ');
      const unnest = spec.columns.map((_, i) => `$${i + 2}::text[]`).join(', ');
      const aliases = spec.columns.map((_, i) => `c${i}`).join(', ');
      await client.query(
        `update ${ident(spec.table)} as t set ${sets} from unnest($1::uuid[], ${unnest}) as u(k, ${aliases}) where t.${ident(spec.key)} = u.k`,
        [keys, ...updates],
      );
      return { keys, bound };
    });
    if (keys.length === 0) break;
    progress.rotated += keys.length;
    progress.bound += bound;
    onProgress?.({ ...progress });
    after = keys[keys.length - 1]!;
  }
}
