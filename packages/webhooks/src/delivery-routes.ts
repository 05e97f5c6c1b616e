import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { decodeCursor, pageFrom, pageOf, pageQuery, problems, timeCursor } from '@reemploy/http-kit';
import { wakeDispatcher } from './dispatcher.ts';
import type { WebhookRouteDeps } from './routes.ts';
import { FAILURE_CLASSES, type FailureClass } from './send.ts';

const deliveryView = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    subject: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    lastFailure: z
      .enum(FAILURE_CLASSES)
      .nullable()
      .describe("How the last attempt failed, as a class only (the receiver's own answer is never kept): blocked-address is a receiver on a non-public address"),
    nextAttemptAt: z.iso.datetime({ offset: true }),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'WebhookDelivery' });


/**
 * Counts a replay against the owner's allowance for this minute, in Redis so
 * that it holds across processes. The seconds to wait when it is spent, else null.
 */
async function spendReplay(deps: WebhookRouteDeps, owner: string): Promise<number | null> {
  const minute = Math.floor(Date.now() / 60_000);
  const key = `${deps.queuePrefix}:webhook-replays:${deps.service}:${minute}:${owner}`;
  const [[, count] = []] = (await deps.redis.multi().incr(key).expire(key, 120).exec()) ?? [];
  if (Number(count) <= deps.limits.replaysPerMinute) return null;
  return 60 - Math.floor((Date.now() / 1000) % 60);
}

export function registerDeliveryRoutes(app: FastifyInstance, deps: WebhookRouteDeps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  api.get('/v1/webhooks/deliveries', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'listWebhookDeliveries',
      tags: ['webhooks'],
      summary: 'The delivery log of your subscriptions, newest first',
      querystring: pageQuery.extend({ subscriptionId: z.uuid().optional(), status: z.enum(['pending', 'delivered', 'failed']).optional() }),
      response: { 200: pageOf(deliveryView) },
    },
    handler: async (request) => {
      const { limit, cursor, subscriptionId, status } = request.query;
      const after = decodeCursor(cursor, timeCursor);
      let q = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
        .selectAll('d')
        // A relay batch records its deliveries in one statement, with one created_at to the microsecond: the cursor keeps all of it.
        .select(sql<string>`d.created_at::text`.as('cursor_at'))
        .where('s.owner', '=', request.caller.sub)
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(limit + 1);
      if (subscriptionId) q = q.where('d.subscription_id', '=', subscriptionId);
      if (status) q = q.where('d.status', '=', status);
      if (after) q = q.where(sql<boolean>`(d.created_at, d.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
      const page = pageFrom(await q.execute(), limit, (last) => ({ at: last.cursor_at, id: last.id }));
      return {
        items: page.items.map((d) => ({
          id: d.id,
          subscriptionId: d.subscription_id,
          eventId: d.event_id,
          eventType: d.event_type,
          subject: d.subject,
          status: d.status as 'pending' | 'delivered' | 'failed',
          attempts: d.attempts,
          lastFailure: d.last_failure as FailureClass | null,
          nextAttemptAt: new Date(d.next_attempt_at).toISOString(),
          deliveredAt: d.delivered_at?.toISOString() ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  });

  api.post('/v1/webhooks/deliveries/:id/replay', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'replayWebhookDelivery',
      tags: ['webhooks'],
      summary: 'Deliver again (a failed or delivered one)',
      description: 'At most WEBHOOK_REPLAYS_PER_MINUTE (default 30) replays per calling system and minute: 429 with Retry-After beyond.',
      params: z.object({ id: z.uuid() }),
      response: { 202: z.object({ id: z.uuid(), status: z.literal('pending') }) },
    },
    handler: async (request, reply) => {
      const wait = await spendReplay(deps, request.caller.sub);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        throw problems.tooMany(`At most ${deps.limits.replaysPerMinute} replays per minute per calling system; retry after ${wait} s`);
      }
      const row = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), last_failure: null })
        .where('id', '=', request.params.id)
        .where('subscription_id', 'in', db.selectFrom('webhook_subscriptions').select('id').where('owner', '=', request.caller.sub))
        .returning(['id', 'subscription_id'])
        .executeTakeFirst();
      if (!row) throw problems.notFound(`Delivery ${request.params.id}`);
      await wakeDispatcher(deps.queue(), [row.subscription_id]);
      return reply.code(202).send({ id: row.id, status: 'pending' as const });
    },
  });
}
