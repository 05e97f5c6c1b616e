import { sql, type ColumnType, type Generated, type Kysely, type Migration } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from './pagination.ts';

export interface PiiAuditTable {
  id: Generated<number>;
  caller: string;
  method: string;
  route: string;
  record_type: string;
  record_id: string;
  request_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface PiiAuditTables {
  pii_audit: PiiAuditTable;
}

/** Frozen: the audit of unmasked personal-information reads, as of 2026-11-29. */
export const piiAuditMigration20261129: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('pii_audit')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('caller', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('pii_audit_record').on('pii_audit').columns(['record_id', 'id']).execute();
    await db.schema.createIndex('pii_audit_caller').on('pii_audit').columns(['caller', 'id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('pii_audit').execute();
  },
};

/**
 * Records that a caller read these records' personal information unmasked.
 * Call it whenever a response reveals PII (the caller holds pii:read).
 */
export async function recordPiiAccess(db: Kysely<never>, request: FastifyRequest, recordType: string, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  // Noted on the request: a stored Idempotency-Key answer that shows it is sealed.
  (request.piiShown ??= []).push({ recordType, ids: recordIds });
  await (db as unknown as Kysely<PiiAuditTables>)
    .insertInto('pii_audit')
    .values(
      recordIds.map((id) => ({
        caller: request.caller.sub,
        method: request.method,
        route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
        record_type: recordType,
        record_id: id,
        request_id: String(request.id),
      })),
    )
    .execute();
}

const auditEntry = z
  .object({ id: z.int(), caller: z.string(), method: z.string(), route: z.string(), recordType: z.string(), recordId: z.string(), requestId: z.string(), at: z.iso.datetime({ offset: true }) })
  .meta({ id: 'PiiAccess' });

/** `GET /v1/audit/pii-access`: who read which record's personal information, newest first. */
export function registerPiiAuditRoutes(app: FastifyInstance, db: Kysely<never>) {
  const adb = db as unknown as Kysely<PiiAuditTables>;
  app.withTypeProvider<ZodTypeProvider>().get('/v1/audit/pii-access', {
    config: { scope: 'audit:read' },
    schema: {
      operationId: 'listPiiAccess',
      tags: ['audit'],
      summary: 'Reads of unmasked personal information (who, when, which record, which route)',
      querystring: pageQuery.extend({ recordId: z.string().max(100).optional(), caller: z.string().max(200).optional() }),
      response: { 200: pageOf(auditEntry) },
    },
    handler: async (request) => {
      const { limit, cursor, recordId, caller } = request.query;
      const after = decodeCursor(cursor, z.object({ id: z.int() }));
      let q = adb.selectFrom('pii_audit').selectAll().orderBy('id', 'desc').limit(limit + 1);
      if (after) q = q.where('id', '<', after.id);
      if (recordId) q = q.where('record_id', '=', recordId);
      if (caller) q = q.where('caller', '=', caller);
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({ id: r.id, caller: r.caller, method: r.method, route: r.route, recordType: r.record_type, recordId: r.record_id, requestId: r.request_id, at: r.at.toISOString() })),
        nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.id }) : null,
      };
    },
  });
}
