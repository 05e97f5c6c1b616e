import { sql, type SelectQueryBuilder } from 'kysely';

/** A column of a keyset, and the type a cursor's value is cast to (it arrives as text). */
export interface KeysetColumn {
  ref: string;
  cast?: 'timestamptz' | 'date' | 'uuid' | 'text' | 'int';
}

export interface Keyset {
  columns: readonly KeysetColumn[];
  /** Every column the same way; 'desc' is newest first. */
  direction?: 'asc' | 'desc';
}

/**
 * Keyset paging: the rows after `after` (the key of the previous page's last row,
 * one value a column) in the keyset's order, and one more than `limit` so that
 * `pageFrom` can tell whether a next page exists.
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  keyset: Keyset,
  after: readonly unknown[] | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  const direction = keyset.direction ?? 'asc';
  const refs = keyset.columns.map((c) => sql.ref(c.ref));
  let q = query;
  if (after) {
    const values = keyset.columns.map((c, i) => (c.cast ? sql`${after[i]}::${sql.raw(c.cast)}` : sql`${after[i]}`));
    q = q.where(sql<boolean>`(${sql.join(refs)}) ${sql.raw(direction === 'asc' ? '>' : '<')} (${sql.join(values)})`);
  }
  for (const ref of refs) q = q.orderBy(ref, direction);
  return q.limit(limit + 1);
}

/** The keyset most lists page on: (created_at, id), of the table `alias` when one is given. */
export function createdKeyset(direction: 'asc' | 'desc' = 'asc', alias?: string): Keyset {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  return { columns: [{ ref: col('created_at'), cast: 'timestamptz' }, { ref: col('id'), cast: 'uuid' }], direction };
}
