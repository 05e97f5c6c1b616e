import type { Transaction } from 'kysely';
import { recordEvent } from '@reemploy/messaging';
import type { JobPostingsDB } from '../database.ts';
import type { VacancyRow } from './repository.ts';
import { vacancySnapshot } from './view.ts';

/** Publishes the vacancy's new state in the transaction that changed it: closed once it is no longer open. */
export async function publishVacancy(trx: Transaction<JobPostingsDB>, row: VacancyRow, change: 'created' | 'updated'): Promise<void> {
  const type = change === 'created' ? 'vacancy.created' : row.status === 'open' ? 'vacancy.updated' : 'vacancy.closed';
  await recordEvent(trx, type, row.id, vacancySnapshot(row));
}
