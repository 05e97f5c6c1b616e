import { buildTestService } from '@reemploy/runtime/testing';
import { registration } from '../src/definition.ts';

/** The registration app on the real Postgres and Redis, removed when the test ends. */
export function build(t: { after(fn: () => unknown): void }, options: Parameters<typeof buildTestService>[2] = {}) {
  return buildTestService(t, registration, options);
}
