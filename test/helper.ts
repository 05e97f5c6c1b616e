import { makeIdNumber } from '@reemploy/domain';
import type { FastifyInstance } from 'fastify';
import { buildTestService, testQueuePrefix, type TestService } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';

/** A registration payload for a valid person; `n` varies the identity number. */
export function seekerPayload(n = 1, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: makeIdNumber('320508', '1972-05-0' + ((n % 9) + 1), 100 + n, n % 2 ? 'male' : 'female'),
    name: '李建国',
    communityCode: '320508024043',
    education: 'senior-secondary',
    ...overrides,
  };
}

export async function post(app: FastifyInstance, url: string, token: string, payload: unknown) {
  return app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
}

/**
 * The four services on loopback ports over the real Postgres and Redis, their
 * workers running in-process and linked by one queue prefix, so events flow
 * between them as in production. Removed when the test ends.
 */
export async function startLinkedServices(t: { after(fn: () => unknown): void }) {
  const queuePrefix = testQueuePrefix();
  const [reg, jobs, match, bases] = await Promise.all([
    buildTestService(t, registration, { queuePrefix }),
    buildTestService(t, jobPostings, { queuePrefix }),
    buildTestService(t, matching, { queuePrefix, env: { MATCHER_REFRESH_MS: '0', MATCHING_PARTITION_SIZE: '100' } }),
    buildTestService(t, assistanceBases, { queuePrefix }),
  ]);
  const services = [reg, jobs, match, bases] as unknown as TestService<never, never>[];
  for (const svc of services) await svc.startWorkers();
  const listening = async (svc: TestService<never, never>) => {
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(svc.app.server.address() as { port: number }).port}`;
  };
  const [registrationUrl, jobPostingsUrl, matchingUrl, assistanceBasesUrl] = await Promise.all(services.map(listening));
  return {
    reg,
    jobs,
    match,
    bases,
    baseUrls: { registration: registrationUrl!, jobPostings: jobPostingsUrl!, matching: matchingUrl!, assistanceBases: assistanceBasesUrl! },
  };
}
