import type { Transaction } from 'kysely';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { JobPostingsDB } from '../database.ts';
import { upsertReservedPost } from './repository.ts';

/**
 * An assistance base reserved, changed, filled or withdrew a post: the full
 * snapshot replaces the one held, unless it is older (the inbox already drops
 * a redelivered envelope; the producer's sequence orders the rest).
 */
export async function projectReservedPost(trx: Transaction<JobPostingsDB>, post: EventPayload<'reserved-post.changed'>, envelope: Envelope): Promise<void> {
  await upsertReservedPost(trx, post, envelope.seq);
}
