import type { FieldError } from '@reemploy/http-kit';
import { normaliseTitle } from './title.ts';

/** The furthest a vacancy may be published ahead: a year, after which it must be re-collected. */
export const MAX_VALIDITY_DAYS = 366;

export interface VacancyShape {
  title: string;
  minAge: number;
  maxAge: number;
  wageMin: number;
  wageMax: number;
  headcount: number;
  kind: string;
  reservedFor: readonly string[];
  validUntil: string | Date;
}

/**
 * The rules that span fields, each failure naming the field a caller must fix.
 * `hired` is how many were already hired (an update may not go below it).
 */
export function vacancyRuleErrors(v: VacancyShape, now: Date, hired = 0, prefix = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  if (normaliseTitle(v.title) === '') errors.push({ field: `${prefix}.title`, message: 'must contain letters or digits, not only punctuation' });
  if (v.minAge > v.maxAge) errors.push({ field: `${prefix}.maxAge`, message: `must be at least minAge (${v.minAge})` });
  if (v.wageMin > v.wageMax) errors.push({ field: `${prefix}.wageMax`, message: `must be at least wageMin (${v.wageMin})` });
  if (v.kind === 'public-welfare' && v.reservedFor.length === 0) {
    errors.push({ field: `${prefix}.reservedFor`, message: 'a public-welfare post must name the hardship categories it is reserved for' });
  }
  if (v.headcount < hired) errors.push({ field: `${prefix}.headcount`, message: `must be at least the ${hired} already hired` });
  const until = new Date(v.validUntil).getTime();
  if (until <= now.getTime()) errors.push({ field: `${prefix}.validUntil`, message: 'must be in the future' });
  else if (until > now.getTime() + MAX_VALIDITY_DAYS * 86_400_000) errors.push({ field: `${prefix}.validUntil`, message: `must be within ${MAX_VALIDITY_DAYS} days` });
  return errors;
}
