import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';
import type { PiiCipher, PiiPlace } from '@reemploy/pii';
import { Problem, problems } from './problem.ts';
import { recordPiiAccess, type PiiShown } from './pii-audit.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Creates that honour Idempotency-Key. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: IdempotencyState;
  }
}

/** Seals stored answers that show personal information (the service's PII cipher). */
export type AnswerSealer = Pick<PiiCipher, 'encrypt' | 'decrypt'>;

/** Where a sealed answer is stored: the key's row, so that it opens for that key alone. */
function answerPlace(caller: string, key: string): PiiPlace {
  return { table: 'idempotency_keys', column: 'response', row: JSON.stringify([caller, key]) };
}

/** A stored first answer: plain, or sealed when it showed personal information unmasked. */
type StoredAnswer = { body: string; headers: Record<string, string> } | { sealed: string; pii: PiiShown[] };

const KEY = /^[\x21-\x7E]{1,200}$/;
/**
 * A claim never settled for this long belongs to a request that died (the process was killed, or
 * the database went away before the answer could be stored): the next request with the key takes
 * it over instead of being told "in progress" for ever. Far longer than any request runs.
 */
export const STALE_CLAIM_MS = 10 * 60_000;

export interface IdempotencyState {
  caller: string;
  key: string;
}

function requestHash(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

/** What the route's checks depend on besides `sub`: the token's regions, scopes and aid base. */
function authorityHash(caller: FastifyRequest['caller']): string {
  const authority = JSON.stringify([[...caller.regions].sort(), [...caller.scopes].sort(), caller.aidBase ?? null]);
  return createHash('sha256').update(authority).digest('hex');
}

/**
 * `Idempotency-Key` on a create: the first request claims the key; a repeat
 * gets the first response again; the same key with another payload is 422;
 * a repeat while the first is still running is 409. A 5xx or a 429 frees the key.
 * Returns true when the reply was already sent from the store.
 *
 * The key belongs to the calling system (`sub`), but the first answer was
 * shaped by that token's regions and scopes: a token of the same `sub` with
 * others is refused like another payload (422), not answered from the store
 * (it could show a record outside its regions) and not run afresh (the same
 * create could be stored twice). Both hashes are kept in `request_hash`.
 */
export async function claimIdempotencyKey(db: Kysely<MessagingTables>, request: FastifyRequest, reply: FastifyReply, sealer?: AnswerSealer): Promise<boolean> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return false;
  if (typeof key !== 'string' || !KEY.test(key)) throw problems.field('header.idempotency-key', 'must be 1–200 visible ASCII characters');
  const caller = request.caller.sub;
  const hash = requestHash(request);
  const authority = authorityHash(request.caller);
  const fingerprint = `${hash}:${authority}`;
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ caller, key, request_hash: fingerprint })
    .onConflict((oc) =>
      oc
        .columns(['caller', 'key'])
        .doUpdateSet({ request_hash: fingerprint, created_at: new Date(), status: null, response: null, completed_at: null })
        .where('idempotency_keys.completed_at', 'is', null)
        .where('idempotency_keys.created_at', '<', new Date(Date.now() - STALE_CLAIM_MS)),
    )
    .returning('key')
    .executeTakeFirst();
  if (claimed) {
    request.idempotency = { caller, key };
    return false;
  }
  const row = await db.selectFrom('idempotency_keys').selectAll().where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
  if (!row) throw new Problem(409, 'idempotency-in-progress', 'Request in progress', 'A request with this Idempotency-Key was just released; retry');
  const [storedHash, storedAuthority] = row.request_hash.split(':');
  if (storedHash !== hash) throw problems.unprocessable('This Idempotency-Key was used with a different request');
  if (row.completed_at === null || row.status === null) {
    throw new Problem(409, 'idempotency-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still being processed');
  }
  const answer = row.response as StoredAnswer;
  requirePiiRead(request, answer);
  if (storedAuthority !== authority) throw problems.unprocessable('This Idempotency-Key was used by a token with other regions or scopes');
  // The first response, byte for byte: a string payload skips re-serialisation.
  const stored = await openStoredAnswer(db, request, answer, answerPlace(caller, key), sealer);
  reply.code(row.status).headers({ ...stored.headers, 'idempotent-replayed': 'true' });
  reply.send(stored.body);
  return true;
}

/**
 * A first answer that showed personal information unmasked is replayed only to
 * a caller that still holds `pii:read`; without it, that is the refusal (403),
 * whatever else differs.
 */
function requirePiiRead(request: FastifyRequest, stored: StoredAnswer) {
  if ('sealed' in stored && !request.caller.scopes.has('pii:read')) {
    throw problems.forbidden('The first answer to this Idempotency-Key showed personal information: replaying it needs pii:read; read the record instead');
  }
}

/** The stored answer, opened if sealed; each replay of a sealed one is audited like the first answer was. */
async function openStoredAnswer(db: Kysely<MessagingTables>, request: FastifyRequest, stored: StoredAnswer, place: PiiPlace, sealer?: AnswerSealer) {
  if (!('sealed' in stored)) return stored;
  let opened: { body: string; headers: Record<string, string> };
  try {
    if (!sealer) throw new Error('no sealer');
    opened = JSON.parse(sealer.decrypt(stored.sealed, place)) as typeof opened;
  } catch {
    throw problems.unprocessable('The first answer to this Idempotency-Key can no longer be replayed; read the record instead');
  }
  for (const shown of stored.pii) await recordPiiAccess(db as never, request, shown.recordType, shown.records);
  return opened;
}

/**
 * Stores the first response under its key (or frees the key after a server
 * error). An answer that showed personal information unmasked is stored
 * encrypted (identity numbers, names and phones are encrypted at rest), with
 * the ids it showed kept plain for the audit of replays and for retention.
 */
export async function settleIdempotencyKey(
  db: Kysely<MessagingTables>,
  state: IdempotencyState,
  reply: FastifyReply,
  payload: unknown,
  sealer?: AnswerSealer,
): Promise<void> {
  // A server error or a refusal for now (429) is no answer to keep: the same request may be sent again.
  if (reply.statusCode >= 500 || reply.statusCode === 429) {
    await db.deleteFrom('idempotency_keys').where('caller', '=', state.caller).where('key', '=', state.key).execute();
    return;
  }
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? null);
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'location', 'etag']) {
    const v = reply.getHeader(name);
    if (typeof v === 'string') headers[name] = v;
  }
  const shown = reply.request.piiShown;
  const stored: StoredAnswer =
    shown?.length && sealer ? { sealed: sealer.encrypt(JSON.stringify({ body, headers }), answerPlace(state.caller, state.key)), pii: shown } : { body, headers };
  await db
    .updateTable('idempotency_keys')
    .set({ status: reply.statusCode, response: JSON.stringify(stored), completed_at: new Date() })
    .where('caller', '=', state.caller)
    .where('key', '=', state.key)
    .execute();
}

export interface IdempotencyOptions {
  db: Kysely<MessagingTables>;
  /** The service's PII cipher: a stored answer that shows personal information is sealed with it. */
  pii?: AnswerSealer;
}

/** `Idempotency-Key` on the routes marked `idempotent`: claimed before the handler, the answer stored as it is sent. */
export const idempotency = fp(
  async (app: FastifyInstance, opts: IdempotencyOptions) => {
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotent) return;
      if (await claimIdempotencyKey(opts.db, request, reply, opts.pii)) return reply;
    });

    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
      if (request.idempotency) {
        const state = request.idempotency;
        request.idempotency = undefined;
        // The answer goes out even when it cannot be stored (the database went away meanwhile): the
        // caller learns what happened, and the unsettled claim is taken over by a retry once stale.
        await settleIdempotencyKey(opts.db, state, reply, payload, opts.pii).catch((err: Error) => request.log.warn({ err: err.message }, 'Idempotency-Key answer not stored'));
      }
      return payload;
    });
  },
  { name: 'reemploy-idempotency', fastify: '5.x', dependencies: ['reemploy-auth'] },
);
