import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServiceName } from '@reemploy/events';
import type { PiiCipher } from '@reemploy/pii';
import type { ReceiverPolicy } from './address.ts';
import { registerDeliveryRoutes } from './delivery-routes.ts';
import { openWebhookQueue } from './dispatcher.ts';
import { registerSubscriptionRoutes } from './subscription-routes.ts';
import type { WebhookTables } from './tables.ts';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER, type WebhookEventType } from './types.ts';

export interface WebhookLimits {
  /** Subscriptions one calling system may hold at this service. */
  maxSubscriptions: number;
  /** Replays one calling system may ask for per minute, counted in Redis across processes. */
  replaysPerMinute: number;
}

export interface WebhookRouteDeps {
  service: string;
  db: Kysely<WebhookTables>;
  pii: PiiCipher;
  queue: () => Queue;
  redis: Redis;
  queuePrefix: string;
  policy: ReceiverPolicy;
  limits: WebhookLimits;
}

/** Subscriptions for this service's webhook event types, the delivery log, and replay. */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps) {
  const own = (WEBHOOK_EVENT_TYPES as readonly WebhookEventType[]).filter((t) => WEBHOOK_PRODUCER[t] === deps.service);
  if (own.length === 0) return;
  registerSubscriptionRoutes(app, deps, own as [WebhookEventType, ...WebhookEventType[]]);
  registerDeliveryRoutes(app, deps);
}

export interface WebhookRoutesOptions extends Omit<WebhookRouteDeps, 'service' | 'queue'> {
  service: ServiceName;
  logger: Logger;
}

/** The OpenAPI tag of the webhook routes. */
export const webhooksTag = { name: 'webhooks', description: 'Signed event deliveries to other systems' };

/** The webhook routes as a plugin: the delivery queue (for replays) opened on first use and closed with the app. */
export async function webhookRoutes(app: FastifyInstance, opts: WebhookRoutesOptions) {
  let queue: Queue | undefined;
  app.addHook('onClose', async () => queue?.close());
  registerWebhookRoutes(app, { ...opts, queue: () => (queue ??= openWebhookQueue(opts.service, opts.redis, opts.queuePrefix, opts.logger)) });
}
