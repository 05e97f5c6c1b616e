import type { EventHandlers } from '@reemploy/messaging';
import type { AssistanceBasesDB } from '../database.ts';
import { countPlacement } from './placements.ts';
import { projectVacancy } from './vacancies.ts';

/** The events this service consumes (routing in packages/events/src/contracts.ts). */
export function eventHandlers(): EventHandlers<AssistanceBasesDB> {
  return {
    'vacancy.created': projectVacancy,
    'vacancy.updated': projectVacancy,
    'vacancy.closed': projectVacancy,
    'referral.hired': (trx, payload) => countPlacement(trx, payload),
  };
}
