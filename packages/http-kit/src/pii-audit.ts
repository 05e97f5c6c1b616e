import { sql, type ColumnType, type Generated, type Kysely, type Migration } from 'kysely';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Caller } from './auth.ts';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from './pagination.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's answer shows personal information unmasked to a caller with
     * `pii:read`: each such answer is written to the PII audit log, one entry
     * per record with its region (by default the answer's `id` and
     * `communityCode`, or each of its `items`').
     */
    piiAudit?: { recordType: string; records?: (payload: unknown) => AuditedRecord[] };
  }
  interface FastifyRequest {
    /** Records whose personal information this answer shows unmasked (set by recordPiiAccess). */
    piiShown?: PiiShown[];
  }
}

export interface PiiAuditTable {
  id: Generated<number>;
  caller: string;
  method: string;
  route: string;
  record_type: string;
  record_id: string;
  request_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  /** The division code of the record read (its community); null only for entries older than the column. */
  region: string | null;
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
 * Frozen: each entry names the region of the record it names (issue #18), so
 * that an auditor sees the reads of records inside its own regions only. The
 * services fill the entries written before it (their own migrations).
 */
export const piiAuditRegionMigration20261208: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('pii_audit').addColumn('region', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('pii_audit').dropColumn('region').execute();
  },
};

/**
 * Frozen: gives a service's audit entries written before the region column,
 * and the audit notes of its stored Idempotency-Key answers (`{recordType, ids}`
 * then, `{recordType, records: [{id, region}]}` now), the region of the records
 * they name, read from the table those records live in (`community_code`).
 */
export function piiAuditRegionBackfill20261208(recordType: string, table: string): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`
        update pii_audit a set region = r.community_code from ${sql.table(table)} r
        where a.region is null and a.record_type = ${recordType} and a.record_id = r.id::text`.execute(db);
      await sql`
        update idempotency_keys k set response = jsonb_set(k.response, '{pii}', (
          select jsonb_agg(case when e ? 'ids' and e->>'recordType' = ${recordType} then jsonb_build_object('recordType', e->'recordType', 'records', (
            select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'region', r.community_code) order by i.n), '[]'::jsonb)
            from jsonb_array_elements_text(e->'ids') with ordinality i(id, n) join ${sql.table(table)} r on r.id::text = i.id)) else e end)
          from jsonb_array_elements(k.response->'pii') e))
        where jsonb_typeof(k.response->'pii') = 'array' and jsonb_path_exists(k.response, '$.pii[*] ? (@.recordType == $t && exists(@.ids))', jsonb_build_object('t', ${recordType}::text))`.execute(db);
    },
    async down() {
      // The regions filled in stay: the column they are in goes with piiAuditRegionMigration20261208.
    },
  };
}

/** A record an audit entry names, with its region (the community it lies in). */
export interface AuditedRecord {
  id: string;
  region: string;
}

/** What an answer showed unmasked: its records, by the type the PII audit names. */
export interface PiiShown {
  recordType: string;
  records: AuditedRecord[];
}

/** Who asked, by which route, in which request: the request's, or an import's on its behalf. */
export interface AuditedRequest {
  caller: string;
  method: string;
  route: string;
  requestId: string;
}

export function auditedRequest(request: FastifyRequest): AuditedRequest {
  return { caller: request.caller.sub, method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0] ?? '', requestId: String(request.id) };
}

/** Writes one audit entry per record (in the caller's transaction when `db` is one). */
export async function writePiiAudit(db: Kysely<never>, by: AuditedRequest, recordType: string, records: readonly AuditedRecord[]): Promise<void> {
  if (records.length === 0) return;
  await (db as unknown as Kysely<PiiAuditTables>)
    .insertInto('pii_audit')
    .values(records.map((r) => ({ caller: by.caller, method: by.method, route: by.route, record_type: recordType, record_id: r.id, region: r.region, request_id: by.requestId })))
    .execute();
}

/**
 * Records that an answer showed these records' personal information: unmasked
 * to a caller holding pii:read (call it whenever a response reveals PII), or a
 * phone survey's contacts, which are audited masked or not.
 */
export async function recordPiiAccess(db: Kysely<never>, request: FastifyRequest, recordType: string, records: readonly AuditedRecord[]): Promise<void> {
  if (records.length === 0) return;
  // Noted on the request: a stored Idempotency-Key answer that shows it is sealed.
  (request.piiShown ??= []).push({ recordType, records: [...records] });
  await writePiiAudit(db, auditedRequest(request), recordType, records);
}

const auditEntry = z
  .object({
    id: z.int(),
    caller: z.string(),
    method: z.string(),
    route: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    region: z.string().describe('The division code of the record read'),
    requestId: z.string(),
    at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PiiAccess' });

/** The entries an auditor may see: records inside its regions; none for an aid base's own token (no audited record belongs to a base). */
function visibleTo(caller: Caller) {
  if (caller.aidBase || caller.regions.length === 0) return undefined;
  // Region claims are digits (auth.ts): nothing to escape in a LIKE pattern.
  return caller.regions.map((p) => `${p}%`);
}

/** The records an answer shows: itself (`id`, `communityCode`), or each of its `items`. */
export function recordsOfAnswer(payload: unknown): AuditedRecord[] {
  if (!payload || typeof payload !== 'object') return [];
  const { id, communityCode, items } = payload as { id?: unknown; communityCode?: unknown; items?: unknown };
  if (Array.isArray(items)) return items.flatMap((item) => recordsOfAnswer(item));
  return typeof id === 'string' && typeof communityCode === 'string' ? [{ id, region: communityCode }] : [];
}

/** The audit of the routes marked `piiAudit`: each answer that shows their records unmasked to a caller with `pii:read`. */
export const piiAudit = fp(
  async (app: FastifyInstance, opts: { db: Kysely<never> }) => {
    app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const audit = request.routeOptions.config.piiAudit;
      if (!audit || reply.statusCode >= 300 || !request.caller?.scopes.has('pii:read')) return payload;
      await recordPiiAccess(opts.db, request, audit.recordType, (audit.records ?? recordsOfAnswer)(payload));
      return payload;
    });
  },
  { name: 'reemploy-pii-audit', fastify: '5.x', dependencies: ['reemploy-auth'] },
);

/** The OpenAPI tag of the audit's route. */
export const piiAuditTag = { name: 'audit', description: 'Who was shown personal information, and which record' };

/** `GET /v1/audit/pii-access`: who read which record's personal information, newest first, for records inside the auditor's regions. */
export async function piiAuditRoutes(app: FastifyInstance, opts: { db: Kysely<never> }) {
  const adb = opts.db as unknown as Kysely<PiiAuditTables>;
  app.withTypeProvider<ZodTypeProvider>().get('/v1/audit/pii-access', {
    config: { scope: 'audit:read' },
    schema: {
      operationId: 'listPiiAccess',
      tags: ['audit'],
      summary: 'Answers that showed personal information (who, when, which record, which route), for records inside your regions',
      querystring: pageQuery.extend({ recordId: z.string().max(100).optional(), caller: z.string().max(200).optional() }),
      response: { 200: pageOf(auditEntry) },
    },
    handler: async (request) => {
      const { limit, cursor, recordId, caller } = request.query;
      const after = decodeCursor(cursor, z.object({ id: z.int() }));
      const prefixes = visibleTo(request.caller);
      if (!prefixes) return { items: [], nextCursor: null };
      let q = adb
        .selectFrom('pii_audit')
        .selectAll()
        .where(sql<boolean>`region like any(${prefixes}::text[])`)
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (after) q = q.where('id', '<', after.id);
      if (recordId) q = q.where('record_id', '=', recordId);
      if (caller) q = q.where('caller', '=', caller);
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          caller: r.caller,
          method: r.method,
          route: r.route,
          recordType: r.record_type,
          recordId: r.record_id,
          region: r.region!,
          requestId: r.request_id,
          at: r.at.toISOString(),
        })),
        nextCursor: rows.length > limit ? encodeCursor({ id: page[page.length - 1]!.id }) : null,
      };
    },
  });
}
