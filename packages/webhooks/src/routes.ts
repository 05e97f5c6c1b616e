import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { cursorTimestamp, decodeCursor, encodeCursor, pageOf, pageQuery, problems } from '@reemploy/http-kit';
import type { PiiCipher } from '@reemploy/pii';
import { wakeDispatcher } from './dispatcher.ts';
import { secretPlace, type WebhookTables } from './tables.ts';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER, type WebhookEventType } from './types.ts';

const subscriptionView = z
  .object({ id: z.uuid(), url: z.string(), eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)), active: z.boolean(), createdAt: z.iso.datetime({ offset: true }) })
  .meta({ id: 'WebhookSubscription' });

const deliveryView = z
  .object({
    id: z.uuid(),
    subscriptionId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    subject: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.int(),
    lastStatus: z.int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.iso.datetime({ offset: true }),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const url = z
  .string()
  .max(2000)
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const timeCursor = z.object({ at: cursorTimestamp, id: z.uuid() });

export interface WebhookRouteDeps {
  service: string;
  db: Kysely<WebhookTables>;
  pii: PiiCipher;
  queue: () => Queue;
}

/** Subscriptions for this service's webhook event types, the delivery log, and replay. */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const own = (WEBHOOK_EVENT_TYPES as readonly WebhookEventType[]).filter((t) => WEBHOOK_PRODUCER[t] === deps.service);
  if (own.length === 0) return;
  const { db } = deps;
  const toView = (s: { id: string; url: string; event_types: string[]; active: boolean; created_at: Date }) => ({
    id: s.id,
    url: s.url,
    eventTypes: s.event_types as WebhookEventType[],
    active: s.active,
    createdAt: s.created_at.toISOString(),
  });

  r.post('/v1/webhooks/subscriptions', {
    config: { scope: 'webhooks:manage', idempotent: true },
    schema: {
      operationId: 'createWebhookSubscription',
      tags: ['webhooks'],
      summary: `Subscribe a URL to events of this service (${own.join(', ')}); deliveries are signed with the secret`,
      body: z.strictObject({
        url,
        secret: z.string().min(16).max(200).describe('Shared secret for the Reemploy-Signature HMAC; never shown again'),
        eventTypes: z.array(z.enum(own as [WebhookEventType, ...WebhookEventType[]])).min(1).max(own.length),
      }),
      response: { 201: subscriptionView },
    },
    handler: async (request, reply) => {
      const id = randomUUID();
      const row = await db
        .insertInto('webhook_subscriptions')
        .values({ id, owner: request.caller.sub, url: request.body.url, secret_enc: deps.pii.encrypt(request.body.secret, secretPlace(id)), event_types: [...new Set(request.body.eventTypes)] })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.code(201).send(toView(row));
    },
  });

  r.get('/v1/webhooks/subscriptions', {
    config: { scope: 'webhooks:manage' },
    schema: {
      operationId: 'listWebhookSubscriptions',
      tags: ['webhooks'],
      summary: "The calling system's subscriptions, oldest first",
      querystring: pageQuery,
      response: { 200: pageOf(subscriptionView) },
    },
    handler: async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, timeCursor);
      let q = db
        .selectFrom('webhook_subscriptions')
        .selectAll()
        // Postgres's own text keeps the microseconds a JavaScript Date would drop: rows made together stay apart.
        .select(sql<string>`created_at::text`.as('cursor_at'))
        .where('owner', '=', request.caller.sub)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit + 1);
      if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null };
    },
  });

  r.delete('/v1/webhooks/subscriptions/:id', {
    config: { scope: 'webhooks:manage' },
    schema: { operationId: 'deleteWebhookSubscription', tags: ['webhooks'], summary: 'Stop deliveries to a subscription', params: z.object({ id: z.uuid() }), response: { 204: z.undefined() } },
    handler: async (request, reply) => {
      const res = await db.deleteFrom('webhook_subscriptions').where('id', '=', request.params.id).where('owner', '=', request.caller.sub).executeTakeFirst();
      if (!res.numDeletedRows) throw problems.notFound(`Subscription ${request.params.id}`);
      return reply.code(204).send();
    },
  });

  r.get('/v1/webhooks/deliveries', {
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
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((d) => ({
          id: d.id,
          subscriptionId: d.subscription_id,
          eventId: d.event_id,
          eventType: d.event_type,
          subject: d.subject,
          status: d.status as 'pending' | 'delivered' | 'failed',
          attempts: d.attempts,
          lastStatus: d.last_status,
          lastError: d.last_error,
          nextAttemptAt: new Date(d.next_attempt_at).toISOString(),
          deliveredAt: d.delivered_at?.toISOString() ?? null,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
      };
    },
  });

  r.post('/v1/webhooks/deliveries/:id/replay', {
    config: { scope: 'webhooks:manage' },
    schema: { operationId: 'replayWebhookDelivery', tags: ['webhooks'], summary: 'Deliver again (a failed or delivered one)', params: z.object({ id: z.uuid() }), response: { 202: z.object({ id: z.uuid(), status: z.literal('pending') }) } },
    handler: async (request, reply) => {
      const row = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), last_error: null })
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
