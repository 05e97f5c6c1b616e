import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { withoutUnusedSchemas, withPlatformHeaders, type OpenApiDocument, type RouteResponseHeader } from './openapi.ts';
import { problemSchema } from './problem.ts';
import { bearerSchemeDescription } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How a POST checks If-Match against the ETag, for the OpenAPI document (PATCH and PUT: required).
     * The handler does the checking; this only documents it.
     */
    ifMatch?: 'required' | 'when-sent';
    /** Headers the handler sets on its success answers (ETag, Location, Content-Disposition), for the OpenAPI document. */
    responseHeaders?: RouteResponseHeader[];
  }
}

/** What a service's OpenAPI document says of it. */
export interface ServiceDocument {
  title: string;
  description: string;
  version: string;
  /** Its routes' tags, in the order the document lists them (after `operations`). */
  tags: { name: string; description: string }[];
}

export interface DocsOptions extends ServiceDocument {
  /** This service's audience, named in the bearer scheme's description. */
  audience: string;
  /** Whether /docs and /docs/json are served (DOCS_ENABLED); the document is built either way (`app.swagger()`). */
  enabled: boolean;
  /** OpenAPI `servers`; by default the relative `/` (the address the document was read from). */
  servers?: { url: string; description?: string }[];
}

// Errors are sent as application/problem+json (errors.ts): documented so, not as application/json.
const problemResponse = { content: { 'application/problem+json': { schema: problemSchema } } };
const ERROR_RESPONSES = { '4xx': problemResponse, '5xx': problemResponse };

/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas, and /docs
 * (Swagger UI) serving it. Every /v1 route declares its operationId, or the
 * service does not start; each route is documented with the security its scope
 * asks for, its problem+json errors, and the headers the platform reads and sets
 * (openapi.ts, from the route catalogue).
 */
export const docs = fp(
  async (app: FastifyInstance, opts: DocsOptions) => {
    app.addHook('onRoute', (route) => {
      const config = route.config ?? {};
      if (!route.url.startsWith('/v1')) {
        // Documented operational routes (health, readiness, metrics): their security as declared, errors as problem+json.
        const documented = route.schema as { operationId?: string; security?: unknown; response?: object } | undefined;
        if (documented?.operationId) {
          if (config.scope) documented.security = [{ bearerAuth: [config.scope] }];
          else if (config.public) documented.security ??= [];
          documented.response = { '4xx': problemResponse, ...documented.response };
        }
        return;
      }
      const schema = (route.schema ??= {});
      if (!schema.operationId) throw new Error(`${route.method} ${route.url} declares no operationId`);
      schema.security = config.scope ? [{ bearerAuth: [config.scope] }] : [];
      schema.response = { ...ERROR_RESPONSES, ...(schema.response as object | undefined) };
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: opts.title, description: opts.description, version: opts.version },
        // Relative: the service at the address its document (/docs/json) was read from.
        servers: opts.servers ?? [{ url: '/', description: 'This service, at the address this document was read from' }],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: bearerSchemeDescription(opts.audience) },
          },
        },
        tags: [{ name: 'operations', description: 'Health, readiness and metrics' }, ...opts.tags],
      },
      transform: jsonSchemaTransform,
      transformObject: (input) =>
        withoutUnusedSchemas(withPlatformHeaders(jsonSchemaTransformObject(input) as OpenApiDocument, app.routeCatalog)) as ReturnType<typeof jsonSchemaTransformObject>,
    });
    // Off, the routes do not exist: /docs and /docs/json answer 404 like any unknown path.
    if (opts.enabled) await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'reemploy-docs', fastify: '5.x', dependencies: ['reemploy-access'] },
);
