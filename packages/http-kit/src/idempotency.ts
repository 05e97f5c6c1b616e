import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';
import { Problem, problems } from './problem.ts';

const KEY = /^[\x21-\x7E]{1,200}$/;

export interface IdempotencyState {
  caller: string;
  key: string;
}

function requestHash(request: FastifyRequest): string {
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

/**
 * `Idempotency-Key` on a create: the first request claims the key; a repeat
 * gets the first response again; the same key with another payload is 422;
 * a repeat while the first is still running is 409. A 5xx frees the key.
 * Returns true when the reply was already sent from the store.
 */
export async function claimIdempotencyKey(db: Kysely<MessagingTables>, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return false;
  if (typeof key !== 'string' || !KEY.test(key)) throw problems.field('header.idempotency-key', 'must be 1–200 visible ASCII characters');
  const caller = request.caller.sub;
  const hash = requestHash(request);
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ caller, key, request_hash: hash })
    .onConflict((oc) => oc.columns(['caller', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) {
    request.idempotency = { caller, key };
    return false;
  }
  const row = await db.selectFrom('idempotency_keys').selectAll().where('caller', '=', caller).where('key', '=', key).executeTakeFirst();
  if (!row) throw new Problem(409, 'idempotency-in-progress', 'Request in progress', 'A request with this Idempotency-Key was just released; retry');
  if (row.request_hash !== hash) throw problems.unprocessable('This Idempotency-Key was used with a different request');
  if (row.completed_at === null || row.status === null) {
    throw new Problem(409, 'idempotency-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still being processed');
  }
  // The first response, byte for byte: a string payload skips re-serialisation.
  const stored = row.response as { body: string; headers: Record<string, string> };
  reply.code(row.status).headers({ ...stored.headers, 'idempotent-replayed': 'true' });
  reply.send(stored.body);
  return true;
}

/** Stores the first response under its key (or frees the key after a server error). */
export async function settleIdempotencyKey(db: Kysely<MessagingTables>, state: IdempotencyState, reply: FastifyReply, payload: unknown): Promise<void> {
  if (reply.statusCode >= 500) {
    await db.deleteFrom('idempotency_keys').where('caller', '=', state.caller).where('key', '=', state.key).execute();
    return;
  }
  const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : JSON.stringify(payload ?? null);
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'location', 'etag']) {
    const v = reply.getHeader(name);
    if (typeof v === 'string') headers[name] = v;
  }
  await db
    .updateTable('idempotency_keys')
    .set({ status: reply.statusCode, response: JSON.stringify({ body, headers }), completed_at: new Date() })
    .where('caller', '=', state.caller)
    .where('key', '=', state.key)
    .execute();
}
