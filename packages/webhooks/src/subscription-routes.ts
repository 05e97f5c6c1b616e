import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { decodeCursor, pageFrom, pageOf, pageQuery, problems, timeCursor, type Caller } from '@reemploy/http-kit';
import { receiverUrlProblem } from './address.ts';
import type { WebhookRouteDeps } from './routes.ts';
import { secretPlace, type WebhookSubscriptionTable } from './tables.ts';
import { AID_BASE_EVENT_TYPES, WEBHOOK_EVENT_TYPES, WEBHOOK_READ_SCOPE, type WebhookEventType } from './types.ts';

const subscriptionView = z
  .object({
    id: z.uuid(),
    url: z.string(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    regions: z.array(z.string()).describe("The subscribing token's regions: only events whose subject lies inside them are delivered"),
    aidBase: z.uuid().nullable().describe("The subscribing token's assistance base: when set, only events about that base are delivered"),
    active: z.boolean().describe('false for subscriptions made before deliveries were bound to regions (2026-12-07): they receive nothing; make them again'),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'WebhookSubscription' });


const toView = (s: Selectable<WebhookSubscriptionTable>) => ({
  id: s.id,
  url: s.url,
  eventTypes: s.event_types as WebhookEventType[],
  regions: s.regions,
  aidBase: s.aid_base,
  active: s.active,
  createdAt: s.created_at.toISOString(),
});

/** A subscription receives what its owner's token could read: each type needs the read scope of its data. */
function checkMayReceive(caller: Caller, types: WebhookEventType[]) {
  for (const type of types) {
    const scope = WEBHOOK_READ_SCOPE[type];
    if (!caller.scopes.has(scope)) throw problems.forbidden(`Subscribing to ${type} requires the scope "${scope}", which reads its data`);
    if (caller.aidBase && !AID_BASE_EVENT_TYPES.includes(type)) throw problems.forbidden(`An assistance base's token receives only events about its base, and ${type} names no base`);
  }
}

export function registerSubscriptionRoutes(app: FastifyInstance, deps: WebhookRouteDeps, own: [WebhookEventType, ...WebhookEventType[]]) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const url = z
    .string()
    .max(2000)
    .superRefine((value, ctx) => {
      const problem = receiverUrlProblem(value, deps.policy);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('The receiver: https, on a public address (http and loopback only in development, with WEBHOOK_ALLOW_LOOPBACK)');

  api.post('/v1/webhooks/subscriptions', {
    config: { scope: 'webhooks:manage', idempotent: true },
    schema: {
      operationId: 'createWebhookSubscription',
      tags: ['webhooks'],
      summary: `Subscribe a URL to events of this service (${own.join(', ')}) in your regions; deliveries are signed with the secret`,
      description: `Each type needs the scope that reads its data (${own.map((t) => `${t}: ${WEBHOOK_READ_SCOPE[t]}`).join('; ')}), else 403. The subscription keeps the token's regions, assistance base and scopes. At most WEBHOOK_MAX_SUBSCRIPTIONS (default 20) subscriptions per calling system: 429 beyond.`,
      body: z.strictObject({
        url,
        secret: z.string().min(16).max(200).describe('Shared secret for the Reemploy-Signature HMAC; never shown again'),
        eventTypes: z.array(z.enum(own)).min(1).max(own.length),
      }),
      response: { 201: subscriptionView },
    },
    handler: async (request, reply) => {
      const { caller } = request;
      const eventTypes = [...new Set(request.body.eventTypes)];
      checkMayReceive(caller, eventTypes);
      const row = await db.transaction().execute(async (trx) => {
        // One owner's subscriptions are counted and added one at a time, so parallel requests cannot pass the cap together.
        await sql`select pg_advisory_xact_lock(hashtext(${'webhook-subscriptions:' + caller.sub}))`.execute(trx);
        const held = await trx.selectFrom('webhook_subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('owner', '=', caller.sub).executeTakeFirstOrThrow();
        if (Number(held.n) >= deps.limits.maxSubscriptions) throw problems.limitReached(`At most ${deps.limits.maxSubscriptions} subscriptions per calling system; delete one first`);
        const id = randomUUID();
        return trx
          .insertInto('webhook_subscriptions')
          .values({
            id,
            owner: caller.sub,
            url: request.body.url,
            secret_enc: deps.pii.encrypt(request.body.secret, secretPlace(id)),
            event_types: eventTypes,
            regions: [...caller.regions],
            aid_base: caller.aidBase ?? null,
            scopes: [...caller.scopes],
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      return reply.code(201).send(toView(row));
    },
  });

  api.get('/v1/webhooks/subscriptions', {
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
      const { items, nextCursor } = pageFrom(await q.execute(), limit, (last) => ({ at: last.cursor_at, id: last.id }));
      return { items: items.map(toView), nextCursor };
    },
  });

  api.delete('/v1/webhooks/subscriptions/:id', {
    config: { scope: 'webhooks:manage' },
    schema: { operationId: 'deleteWebhookSubscription', tags: ['webhooks'], summary: 'Stop deliveries to a subscription', params: z.object({ id: z.uuid() }), response: { 204: z.undefined() } },
    handler: async (request, reply) => {
      const res = await db.deleteFrom('webhook_subscriptions').where('id', '=', request.params.id).where('owner', '=', request.caller.sub).executeTakeFirst();
      if (!res.numDeletedRows) throw problems.notFound(`Subscription ${request.params.id}`);
      return reply.code(204).send();
    },
  });
}
