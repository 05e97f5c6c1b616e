import { makeIdNumber } from '@reemploy/domain';
import type { FastifyInstance } from 'fastify';

/** A registration payload for a valid person; `n` varies the identity number. */
export function seekerPayload(n = 1, overrides: Record<string, unknown> = {}) {
  return {
    idNumber: makeIdNumber('320508', '1972-05-0' + ((n % 9) + 1), 100 + n, n % 2 ? 'male' : 'female'),
    name: '李建國',
    communityCode: '320508024043',
    education: 'senior-secondary',
    ...overrides,
  };
}

export async function post(app: FastifyInstance, url: string, token: string, payload: unknown) {
  return app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
}
