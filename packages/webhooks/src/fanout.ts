import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Envelope } from '@reemploy/events';
import { deliveryData } from './audience.ts';
import type { WebhookTables } from './tables.ts';
import { webhookTypeOf } from './types.ts';

/**
 * Records one delivery per (subscription, event) for the events just
 * published, in the relay's transaction, so a webhook exists exactly when its
 * event went out; only where the event's subject lies inside the
 * subscription's regions (and base, and scopes). The body stored is the one
 * sent. Returns the subscriptions that now have work.
 */
export async function recordDeliveries(trx: Transaction<WebhookTables> | Kysely<WebhookTables>, envelopes: Envelope[]): Promise<string[]> {
  const typed = envelopes.map((e) => ({ e, type: webhookTypeOf(e) })).filter((x): x is { e: Envelope; type: NonNullable<typeof x.type> } => x.type !== null);
  if (typed.length === 0) return [];
  const types = [...new Set(typed.map((x) => x.type))];
  const subscriptions = await trx
    .selectFrom('webhook_subscriptions')
    .select(['id', 'event_types', 'regions', 'aid_base', 'scopes'])
    .where('active', '=', true)
    .where(sql<boolean>`event_types && ${sql.val(types)}::text[]`)
    .execute();
  const rows = subscriptions.flatMap((s) =>
    typed
      .filter((x) => s.event_types.includes(x.type))
      .flatMap((x) => {
        const data = deliveryData(x.type, x.e, { regions: s.regions, aidBase: s.aid_base, scopes: s.scopes });
        if (!data) return [];
        const body = JSON.stringify({ id: x.e.id, type: x.type, occurredAt: x.e.occurredAt, subject: x.e.subject, data });
        return [{ id: randomUUID(), subscription_id: s.id, event_id: x.e.id, event_type: x.type, subject: x.e.subject, seq: x.e.seq, body, status: 'pending', attempts: 0 }];
      }),
  );
  if (rows.length === 0) return [];
  await trx.insertInto('webhook_deliveries').values(rows).onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing()).execute();
  return [...new Set(rows.map((r) => r.subscription_id))];
}
