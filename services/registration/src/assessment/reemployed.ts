import { sql } from 'kysely';

/** An employment change that re-employs: from unemployed to work (employed or flexible). */
export const REEMPLOYMENT = sql`ec.previous_status = 'unemployed' and ec.status in ('employed', 'flexible')`;

/**
 * The persons re-employed in [from, to): each person once, however many times they found work in it
 * (someone re-employed in March and again in October is one person of the year, and one of each of
 * those months). The one definition the standard's coverage, the monthly ledger and the annual report
 * count by.
 */
export function reemployedPersons(from: string, to: string) {
  return sql`select distinct ec.seeker_id from employment_changes ec where ${REEMPLOYMENT} and ec.at >= ${from}::timestamptz and ec.at < ${to}::timestamptz`;
}
