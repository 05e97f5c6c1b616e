import { keysetPage } from '@reemploy/db';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { RegistrationDB, ServiceRecordTable } from '../database.ts';

type Db = Kysely<RegistrationDB>;
export type ServiceRecordRow = Selectable<ServiceRecordTable>;

/** What recording a service needs of its seeker. */
export function findSeekerForRecord(db: Db, seekerId: string) {
  return db.selectFrom('job_seekers').select(['community_code', 'birth_date']).where('id', '=', seekerId).executeTakeFirst();
}

export function insertServiceRecord(db: Db, row: Insertable<ServiceRecordTable>): Promise<ServiceRecordRow> {
  return db.insertInto('service_records').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A seeker's records in keyset order (at, id); `cursor_at` keeps microseconds for the next page. */
export function listRecordsOf(db: Db, f: { seekerId: string; kind?: string | undefined; after?: { at: string; id: string } | undefined; limit: number }) {
  let q = db.selectFrom('service_records').selectAll().select(sql<string>`at::text`.as('cursor_at')).where('seeker_id', '=', f.seekerId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  const keyset = { columns: [{ ref: 'at', cast: 'timestamptz' }, { ref: 'id', cast: 'uuid' }] } as const;
  return keysetPage(q, keyset, f.after && [f.after.at, f.after.id], f.limit).execute();
}
