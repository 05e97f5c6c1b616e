import { eventContracts, isEventType, type Envelope, type EventPayload } from '@reemploy/events';
import { inRegions, overlapsRegions, seesFiguresOf } from '@reemploy/http-kit';
import { WEBHOOK_READ_SCOPE, type WebhookEventType } from './types.ts';

/** Whom a subscription delivers to: its owner's token as it was when it subscribed. */
export interface Audience {
  regions: string[];
  /** A base's own systems receive only what concerns that base. */
  aidBase: string | null;
  scopes: string[];
}

/** A single subject (a seeker, a household, a referral): inside the regions, and about the base when bound to one. */
function reachesSubject(audience: Audience, communityCode: string | undefined, aidBaseId: string | null): boolean {
  if (audience.aidBase !== null && audience.aidBase !== aidBaseId) return false;
  return communityCode !== undefined && inRegions(audience, communityCode);
}

/**
 * The `data` of one delivery to one audience, or null when the event is not
 * theirs. It carries the least a receiver needs (ids, codes, what changed);
 * the receiver reads anything else with its own token, which its regions and
 * scopes bound as always. Never hardship categories, names, birth dates,
 * identity numbers or phones.
 */
export function deliveryData(type: WebhookEventType, envelope: Envelope, audience: Audience): Record<string, unknown> | null {
  if (!audience.scopes.includes(WEBHOOK_READ_SCOPE[type])) return null;
  if (!isEventType(envelope.type)) return null;
  const parsed = eventContracts[envelope.type].schema.safeParse(envelope.payload);
  if (!parsed.success) return null;
  switch (type) {
    case 'seeker.re-employed': {
      const p = parsed.data as EventPayload<'seeker.employment-changed'>;
      if (!reachesSubject(audience, p.communityCode, null)) return null;
      return { seekerId: p.seekerId, communityCode: p.communityCode, status: p.status, since: p.statusSince ?? envelope.occurredAt };
    }
    case 'household.escalated': {
      const p = parsed.data as EventPayload<'household.escalated'>;
      if (!reachesSubject(audience, p.communityCode, null)) return null;
      return { householdId: p.householdId, communityCode: p.communityCode, streetCode: p.streetCode, offerDeadline: p.offerDeadline, escalatedAt: p.escalatedAt };
    }
    case 'referral.outcome': {
      const p = parsed.data as EventPayload<'referral.outcome-recorded'>;
      // An outcome published before it carried its community lies nowhere: it reaches no one.
      if (!reachesSubject(audience, p.communityCode, p.aidBaseId ?? null)) return null;
      return { referralId: p.referralId, seekerId: p.seekerId, vacancyId: p.vacancyId, communityCode: p.communityCode, aidBaseId: p.aidBaseId ?? null, outcome: p.outcome, reason: p.reason, at: p.at };
    }
    case 'matching-run.completed': {
      const p = parsed.data as EventPayload<'matching-run.completed'>;
      if (audience.aidBase !== null || !overlapsRegions(audience, p.regionCode)) return null;
      // A run over more than the audience's regions (the whole projection, or a wider region) is announced
      // without its figures, which count seekers and vacancies outside them: the rule of the run views too.
      const figures = seesFiguresOf(audience, p.regionCode);
      return { runId: p.runId, regionCode: p.regionCode, finishedAt: p.finishedAt, ...(figures ? { seekers: p.seekers, vacancies: p.vacancies, recommendations: p.recommendations } : {}) };
    }
  }
}
