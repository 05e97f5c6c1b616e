import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createTokenVerifier, type TokenVerifierOptions } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: set when the request's bearer token verified (the auth plugin). */
    caller: Caller;
  }
}

/** Who is calling, from the bearer token (SPEC §6). */
export interface Caller {
  sub: string;
  scopes: Set<string>;
  /** Division-code prefixes the caller may see; `[""]` never occurs: an empty list sees nothing. */
  regions: string[];
  /** An assistance base's own systems see only that base. */
  aidBase?: string;
}

/**
 * Operators' read-only views: /metrics (services and worker processes) and the checks behind
 * /ready. Apart from `admin`, which can also change the queues (retry, promote, clean).
 */
export const OPERATIONS_SCOPE = 'operations:read';

/** The token of an `Authorization: Bearer …` header; the scheme's name is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  return (header && /^bearer +(.*)$/i.exec(header)?.[1]) || undefined;
}

/** Whether a division code lies inside the caller's regions (or a webhook subscription's, kept from its owner's token). */
export function inRegions(caller: Pick<Caller, 'regions'>, code: string): boolean {
  return caller.regions.some((prefix) => code.startsWith(prefix));
}

/** Whether a region (null: the whole city) overlaps the caller's: it lies inside them, or they inside it. */
export function overlapsRegions(caller: Pick<Caller, 'regions'>, regionCode: string | null): boolean {
  if (regionCode === null) return caller.regions.length > 0;
  return inRegions(caller, regionCode) || caller.regions.some((prefix) => prefix.startsWith(regionCode));
}

/**
 * Whether figures counted over a region (a matching run's seekers, vacancies and
 * recommendations) are the caller's to see: only when the whole region lies inside the
 * caller's regions, and never to an assistance base's systems. A wider region, or the whole
 * city (null), counts people outside them. The API's run views and the webhooks' run
 * announcements both follow this one rule.
 */
export function seesFiguresOf(caller: Pick<Caller, 'regions'> & { aidBase?: string | null }, regionCode: string | null): boolean {
  return (caller.aidBase ?? null) === null && regionCode !== null && inRegions(caller, regionCode);
}

/**
 * Narrows a requested region prefix to what the caller may see: the request's
 * own prefix when inside the caller's regions, or the caller's prefixes that
 * lie under it. An empty result means "nothing visible".
 */
export function visiblePrefixes(caller: Caller, requested?: string): string[] {
  if (!requested) return caller.regions;
  if (inRegions(caller, requested)) return [requested];
  return caller.regions.filter((r) => r.startsWith(requested));
}

/**
 * The caller of each request, from its bearer token (token-verifier.ts): a token
 * that verifies sets `request.caller`; none, or one that does not, leaves it
 * unset. Refusing a route to such a request is the access plugin's (access.ts),
 * after the rate limit has counted it.
 */
export const auth = fp(
  async (app: FastifyInstance, tokens: TokenVerifierOptions) => {
    const verify = createTokenVerifier({ onKeysError: (err) => app.log.warn({ err: err.message }, 'the issuer\'s keys could not be refreshed; the keys held so far stay in use'), ...tokens });
    app.decorateRequest('caller', null as unknown as Caller);
    app.addHook('onRequest', async (request) => {
      const token = bearerToken(request.headers.authorization);
      const caller = token ? await verify(token) : null;
      if (caller) request.caller = caller;
    });
  },
  { name: 'reemploy-auth', fastify: '5.x', dependencies: ['reemploy-errors'] },
);
