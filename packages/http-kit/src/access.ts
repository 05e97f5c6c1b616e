import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { RouteResponseHeader } from './openapi.ts';
import { problems } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a caller's token must hold. Every /v1 route declares one. */
    scope?: string;
    /** A route anyone may call (health, docs); not counted by the rate limit. */
    public?: boolean;
  }
  interface FastifyInstance {
    /** Every route with the access it declares, for audits and tests. */
    routeCatalog: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  scope?: string;
  public: boolean;
  /** Honours Idempotency-Key (a repeat gets the first answer). */
  idempotent: boolean;
  /** Checks If-Match against the ETag: always, or when the caller sends one. */
  ifMatch?: 'required' | 'when-sent';
  /** Headers the handler sets on its success answers. */
  responseHeaders?: RouteResponseHeader[];
}

/**
 * Who may call what. Every /v1 route declares the scope it needs (or that it
 * is public), else the service does not start; each route goes into the route
 * catalogue. A request to a route with a scope is 401 without a caller (the auth
 * plugin) and 403 without the scope; the rate limit has counted it before.
 */
export const access = fp(
  async (app: FastifyInstance) => {
    const catalog: RouteAccess[] = [];
    app.decorate('routeCatalog', catalog);

    app.addHook('onRoute', (route) => {
      const config = (route.config ??= {});
      const url = route.url;
      if (url.startsWith('/docs')) config.public = true;
      for (const method of [route.method].flat()) {
        const ifMatch = config.ifMatch ?? (url.startsWith('/v1') && (method === 'PATCH' || method === 'PUT') ? 'required' : undefined);
        catalog.push({
          method,
          url,
          ...(config.scope ? { scope: config.scope } : {}),
          public: config.public === true,
          idempotent: config.idempotent === true,
          ...(ifMatch ? { ifMatch } : {}),
          ...(config.responseHeaders ? { responseHeaders: config.responseHeaders } : {}),
        });
      }
      if (url.startsWith('/v1') && !config.scope && !config.public) throw new Error(`${route.method} ${url} declares no scope`);
    });

    app.addHook('onRequest', async (request) => {
      const scope = request.routeOptions.config.scope;
      if (!scope) return;
      if (!request.caller) throw problems.unauthorized();
      if (!request.caller.scopes.has(scope)) throw problems.forbidden(`This route requires the scope "${scope}"`);
    });
  },
  // After the rate limit: a request it refuses here has been counted.
  { name: 'reemploy-access', fastify: '5.x', dependencies: ['reemploy-auth', 'reemploy-rate-limit'] },
);
