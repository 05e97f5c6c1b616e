import { makeIdNumber } from '@reemploy/domain';
import type { build } from './helper.ts';

type Svc = Awaited<ReturnType<typeof build>>;

export const ALL = ['seekers:read', 'seekers:write', 'pii:read', 'regions:write'];
/** 龙港苑社区, 吴门桥街道, 姑苏区. */
export const COMMUNITY = '320508024043';

let sequence = 0;
/** A valid registration; each call is a different person unless idNumber is given. */
export function seeker(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    idNumber: makeIdNumber('320508', `1990-0${(sequence % 9) + 1}-1${sequence % 10}`, sequence * 7, sequence % 2 ? 'male' : 'female'),
    name: '张伟',
    communityCode: COMMUNITY,
    education: 'senior-secondary',
    ...overrides,
  };
}

/** A tiny HTTP client over inject with one token. */
export function client(svc: Svc, scopes = ALL, regions = ['3205']) {
  const token = svc.token(scopes, regions);
  const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    svc.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload: unknown, headers?: Record<string, string>) => call('POST', url, payload, headers),
    patch: (url: string, payload: unknown, headers?: Record<string, string>) => call('PATCH', url, payload, headers),
  };
}

export async function count(svc: Svc, table: string, where = 'true'): Promise<number> {
  const { rows } = await svc.ctx.database.pool.query(`select count(*)::int as n from ${table} where ${where}`);
  return rows[0].n;
}

export async function outboxTypes(svc: Svc): Promise<string[]> {
  const { rows } = await svc.ctx.database.pool.query('select type from outbox order by seq');
  return rows.map((r: { type: string }) => r.type);
}
