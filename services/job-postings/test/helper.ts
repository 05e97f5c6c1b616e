import { buildTestService } from '@reemploy/runtime/testing';
import { jobPostings } from '../src/definition.ts';

/** The job-postings app on the real Postgres and Redis, removed when the test ends. */
export function build(t: { after(fn: () => unknown): void }, options: Parameters<typeof buildTestService>[2] = {}) {
  return buildTestService(t, jobPostings, options);
}
