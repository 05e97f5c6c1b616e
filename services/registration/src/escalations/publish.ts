import { transact } from '@reemploy/db';
import { sql, type Kysely } from 'kysely';
import { recordEvent } from '@reemploy/messaging';
import type { RegistrationDB } from '../database.ts';

export const ESCALATION_JOB = 'escalate-overdue-households';
/** How often the maintenance worker looks for households past their offer deadline. */
export const ESCALATION_EVERY_MS = 60_000;

/**
 * Publishes `household.escalated` (through the outbox) for each
 * zero-employment household whose offer deadline passed without an offer,
 * once per household and deadline: the row in household_escalations commits
 * with the event, so a second pass or a second worker publishes nothing more.
 */
export async function publishEscalations(db: Kysely<RegistrationDB>, now = new Date(), limit = 1000): Promise<number> {
  return transact(db, async (trx) => {
    const { rows } = await sql<{ household_id: string; community_code: string; zero_employment_since: Date; offer_deadline: Date; escalated_at: Date; members: number }>`
      with overdue as (
        insert into household_escalations (household_id, offer_deadline, escalated_at)
        select id, offer_deadline, ${now} from households
        where offered_at is null and offer_deadline < ${now}
        order by offer_deadline
        limit ${limit}
        on conflict do nothing
        returning household_id, offer_deadline, escalated_at
      )
      select o.household_id, h.community_code, h.zero_employment_since, o.offer_deadline, o.escalated_at,
        (select count(*)::int from job_seekers s where s.household_id = o.household_id) as members
      from overdue o join households h on h.id = o.household_id
      order by o.offer_deadline, o.household_id`.execute(trx);
    for (const r of rows) {
      await recordEvent(trx, 'household.escalated', r.household_id, {
        householdId: r.household_id,
        communityCode: r.community_code,
        streetCode: r.community_code.slice(0, 9),
        zeroEmploymentSince: r.zero_employment_since.toISOString(),
        offerDeadline: r.offer_deadline.toISOString(),
        escalatedAt: r.escalated_at.toISOString(),
        members: r.members,
      });
    }
    return rows.length;
  });
}
