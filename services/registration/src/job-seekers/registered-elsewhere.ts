import { sql, type Kysely, type Transaction } from 'kysely';
import { Problem, writePiiAudit, type AuditedRecord, type AuditedRequest, type Caller } from '@reemploy/http-kit';
import { metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import { registrationMetrics, type RegistrationMetrics } from '../metrics.ts';
import type { RegistrationContext } from '../context.ts';
import type { RegistrationDB } from '../database.ts';

/**
 * Registering a person must tell the caller when that person is registered
 * already, also outside its regions (the 409, or an import row's failure):
 * an answer about a record the caller cannot see. Each such answer is written
 * to the PII audit (who, when, which record, in its region: an auditor of the
 * person's district sees who learned of them) under this record type, and
 * counts against the calling system's budget (REGISTERED_ELSEWHERE_ANSWERS per
 * REGISTERED_ELSEWHERE_PERIOD_HOURS). Once it is spent, every registration and
 * import of that caller is refused with 429, whoever it names, so that the
 * refusal itself tells nothing.
 */
export const REGISTERED_ELSEWHERE = 'registered-elsewhere';

type Db = Kysely<RegistrationDB> | Transaction<RegistrationDB>;
export type Channel = 'post' | 'import';

export function registeredElsewhereMetric(ctx: RegistrationContext): RegistrationMetrics['registeredElsewhere'] {
  return registrationMetrics(metricsRegistryOf(ctx)).registeredElsewhere;
}

/** Answers of this kind the caller has had in the period, and when the oldest of them stops counting. */
async function spent(db: Db, ctx: RegistrationContext, caller: Caller): Promise<{ count: number; freedAt: Date | null }> {
  const periodMs = ctx.env.REGISTERED_ELSEWHERE_PERIOD_HOURS * 3_600_000;
  const row = await db
    .selectFrom('pii_audit')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('at').as('oldest')])
    .where('caller', '=', caller.sub)
    .where('record_type', '=', REGISTERED_ELSEWHERE)
    .where('at', '>', new Date(Date.now() - periodMs))
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), freedAt: row.oldest ? new Date(new Date(row.oldest).getTime() + periodMs) : null };
}

function refusal(ctx: RegistrationContext, freedAt: Date | null): Problem {
  const { REGISTERED_ELSEWHERE_ANSWERS: answers, REGISTERED_ELSEWHERE_PERIOD_HOURS: hours } = ctx.env;
  const retryAfter = Math.max(1, Math.ceil(((freedAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
  return new Problem(
    429,
    'registered-elsewhere-limit',
    'Too many answers about people registered elsewhere',
    `This calling system has had its ${answers} answers per ${hours} hours saying that a person is registered outside its regions; registrations resume in ${retryAfter} s`,
    undefined,
    { retryAfter },
  );
}

/** Refuses (429) a caller whose budget is spent; read without the lock: the check before an import begins. */
export async function assertBudgetLeft(ctx: RegistrationContext, caller: Caller, channel: Channel): Promise<void> {
  const { count, freedAt } = await spent(ctx.db, ctx, caller);
  if (count < ctx.env.REGISTERED_ELSEWHERE_ANSWERS) return;
  registeredElsewhereMetric(ctx).inc({ channel, outcome: 'refused' });
  throw refusal(ctx, freedAt);
}

/**
 * In a registering transaction: takes the caller's lock (its registrations
 * that may reveal go one at a time, so the budget holds exactly) and returns
 * how many answers are left; with none left, refuses with 429 (`refuse`) or
 * returns 0 (an import already under way stops revealing instead).
 */
export async function budgetLeft(trx: Transaction<RegistrationDB>, ctx: RegistrationContext, caller: Caller, channel: Channel, refuse: boolean): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${REGISTERED_ELSEWHERE}:${caller.sub}`}, 0))`.execute(trx);
  const { count, freedAt } = await spent(trx, ctx, caller);
  const left = Math.max(0, ctx.env.REGISTERED_ELSEWHERE_ANSWERS - count);
  if (left === 0 && refuse) {
    registeredElsewhereMetric(ctx).inc({ channel, outcome: 'refused' });
    throw refusal(ctx, freedAt);
  }
  return left;
}

/** Audits answers that revealed these people's registrations, in the transaction that gives them. */
export async function recordRegisteredElsewhere(trx: Transaction<RegistrationDB>, by: AuditedRequest, records: AuditedRecord[]): Promise<void> {
  await writePiiAudit(trx as never, by, REGISTERED_ELSEWHERE, records);
}
