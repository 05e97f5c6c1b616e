import type { Envelope } from '@reemploy/events';

/** The event types other systems can subscribe to, and the internal events behind them. */
export const WEBHOOK_EVENT_TYPES = ['seeker.re-employed', 'household.escalated', 'referral.outcome', 'matching-run.completed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The service whose events (and so whose subscriptions) carry each type. */
export const WEBHOOK_PRODUCER: Record<WebhookEventType, string> = {
  'seeker.re-employed': 'registration',
  'household.escalated': 'registration',
  'referral.outcome': 'matching',
  'matching-run.completed': 'matching',
};

/** The scope that reads a type's data at its service: subscribing to the type needs it. */
export const WEBHOOK_READ_SCOPE: Record<WebhookEventType, string> = {
  'seeker.re-employed': 'seekers:read',
  'household.escalated': 'seekers:read',
  'referral.outcome': 'matching:read',
  'matching-run.completed': 'matching:read',
};

/** The types whose events can name an assistance base: the only ones a base's own token may subscribe to. */
export const AID_BASE_EVENT_TYPES: readonly WebhookEventType[] = ['referral.outcome'];

/** Which public webhook type an internal event is, if any. */
export function webhookTypeOf(envelope: Pick<Envelope, 'type' | 'payload'>): WebhookEventType | null {
  switch (envelope.type) {
    case 'seeker.employment-changed': {
      const status = (envelope.payload as { status?: string }).status;
      return status === 'employed' || status === 'flexible' ? 'seeker.re-employed' : null;
    }
    case 'household.escalated':
      return 'household.escalated';
    case 'referral.outcome-recorded':
      return 'referral.outcome';
    case 'matching-run.completed':
      return 'matching-run.completed';
    default:
      return null;
  }
}
