import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { Problem } from './problem.ts';

export interface ProtectionOptions {
  /** Shed load with 503 once the event loop lags this much (ms); 0: off. */
  maxEventLoopDelayMs?: number;
}

/**
 * Security headers on every answer and load shedding. Registered before the
 * checks of a request, so that a refusal carries the headers too and an
 * overloaded process refuses before it verifies a token or counts a request.
 */
export const protection = fp(
  async (app: FastifyInstance, opts: ProtectionOptions) => {
    await app.register(helmet, { contentSecurityPolicy: false, global: true });

    // Shed load before the process falls over; operational routes stay answerable.
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs ?? 1000, // 0: off
      retryAfter: 5,
      exposeStatusRoute: false,
      pressureHandler: (request, reply, type, value) => {
        // Health, readiness, metrics and the docs cost next to nothing and are how operators see the pressure: answered.
        if (!request.routeOptions.url?.startsWith('/v1')) return;
        reply.header('retry-after', '5');
        throw new Problem(503, 'overloaded', 'Service overloaded', `The service is shedding load (${type} ${Math.round(Number(value))}); retry shortly`);
      },
    });
  },
  { name: 'reemploy-protection', fastify: '5.x', dependencies: ['reemploy-errors'] },
);
