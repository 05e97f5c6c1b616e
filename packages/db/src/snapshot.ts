import { sql, type Expression, type Insertable, type Kysely, type Transaction } from 'kysely';

/**
 * Keeps this service's copy of another's row from the snapshots its events carry:
 * newer sequence wins. The snapshot is inserted, or replaces every column of the
 * copy but the key when its sequence (`source_seq`) is higher than the copy's; an
 * older snapshot arriving after a newer one changes nothing, so the order of
 * delivery is free. `overrides` set a column from something other than the
 * snapshot's value (in SQL, which may read `excluded.<column>`).
 */
export async function upsertSnapshot<DB, T extends keyof DB & string>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  key: NoInfer<keyof DB[T] & string>,
  snapshot: NoInfer<Insertable<DB[T]>> & { source_seq: number },
  overrides: NoInfer<Partial<Record<keyof DB[T] & string, Expression<unknown>>>> = {},
): Promise<void> {
  const columns = Object.keys(snapshot).filter((c) => c !== key);
  const set: Record<string, Expression<unknown>> = { ...Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])), ...overrides };
  // The table is named at run time: the query is typed by the signature above.
  const untyped = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  await untyped
    .insertInto(table)
    .values(snapshot as Record<string, unknown>)
    .onConflict((oc) =>
      oc
        .column(key)
        .doUpdateSet(set as never)
        .where(sql<boolean>`${sql.ref(`${table}.source_seq`)} < excluded.source_seq`),
    )
    .execute();
}
