import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { loggerOptions } from './logging.ts';
import { handleError } from './errors.ts';
import { createResponseSerializerCompiler, type ResponseSerializer } from './response-serializer.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** How each route's answers are written: by the compiled schema, or by zod where it cannot (response-serializer.ts). */
    responseSerializers: ResponseSerializer[];
  }
}

export interface ServerOptions {
  service: string;
  logLevel: string;
  bodyLimit: number;
  requestTimeoutMs: number;
  /**
   * Peers whose X-Forwarded-* headers are believed (TRUST_PROXY): they set `request.protocol` (the admin
   * cookie's Secure flag) and `request.ip` (logs, and the rate limit of a caller without a token).
   */
  trustProxy?: boolean | string[];
  /** The service's logger (already redacting); without it one is made from loggerOptions. */
  logger?: Logger;
  /**
   * Every answer also encoded by its zod schema (RESPONSE_CHECKS): a misfit is a 500, and the compiled
   * writer must write the same bytes. Development and test; production writes by the compiled schema alone.
   */
  checkResponses: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The Fastify instance every service (and every test) builds its app on. */
export function createFastify(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: loggerOptions(options.service, options.logLevel) }),
    bodyLimit: options.bodyLimit,
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // Bad percent-encoding and over-long path parameters: problem+json too, never echoing the path.
    frameworkErrors: (err, request, reply) => handleError(err, request, reply, () => false),
  }).withTypeProvider<ZodTypeProvider>();
  // JSON only, unless a route family adds its own parser (CSV, NDJSON imports).
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  const responses = createResponseSerializerCompiler({ check: options.checkResponses });
  app.setSerializerCompiler(responses.compiler);
  app.decorate('responseSerializers', responses.serializers);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  return app as unknown as FastifyInstance;
}
