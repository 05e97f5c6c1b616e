import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { echartsBrowserBuild } from '@reemploy/assessment/assets';
import type { RegistrationContext } from '../context.ts';
import { period, regionCode } from '../assessment/schemas.ts';
import { dashboardData } from './service.ts';

const here = (name: string) => new URL(`./${name}`, import.meta.url);

/**
 * The page and its scripts hold no data: they are public; the figures come from /v1/dashboard with a token.
 * A Map, so a requested name such as `constructor` finds nothing inherited.
 */
const ASSETS = new Map<string, { type: string; body: () => Buffer }>([
  ['dashboard.js', { type: 'text/javascript; charset=utf-8', body: () => readFileSync(here('dashboard.js')) }],
  ['dashboard.css', { type: 'text/css; charset=utf-8', body: () => readFileSync(here('dashboard.css')) }],
  ['echarts.min.js', { type: 'text/javascript; charset=utf-8', body: () => readFileSync(echartsBrowserBuild()) }],
]);

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const name = z.string().nullable();
const dashboardView = z
  .object({
    period: z.string(),
    regionCode: z.string(),
    name,
    assessed: z.number().int(),
    passed: z.number().int(),
    passRate: z.number().nullable(),
    passRateByRegion: z.array(z.object({ regionCode: z.string(), name, assessed: z.number().int(), passed: z.number().int(), passRate: z.number().nullable() })),
    failingCriteria: z.array(z.object({ id: z.string(), label: z.string(), communities: z.number().int() })),
    reemploymentByMonth: z.array(z.object({ month: z.string(), reemployed: z.number().int() })),
    zeroEmployment: z.object({
      left: z.number().int(),
      overdue: z.number().int(),
      byDistrict: z.array(z.object({ regionCode: z.string(), name, left: z.number().int(), overdue: z.number().int() })),
    }),
    placementsByAidBase: z.array(z.object({ aidBaseId: z.string(), placements: z.number().int() })),
  })
  .meta({ id: 'Dashboard' });

export async function dashboardRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const cache = new Map<string, Buffer>();
  const asset = (file: string) => {
    const found = cache.get(file) ?? ASSETS.get(file)?.body();
    if (found) cache.set(file, found);
    return found;
  };
  const page = readFileSync(here('page.html'));

  api.get('/dashboard', { config: { public: true, localized: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-cache').send(page),
  );

  api.get('/dashboard/:file', { config: { public: true }, schema: { hide: true, params: z.object({ file: z.string().max(40) }) } }, async (request, reply) => {
    const entry = ASSETS.get(request.params.file);
    const body = entry ? asset(request.params.file) : undefined;
    if (!entry || !body) return reply.callNotFound();
    return reply.type(entry.type).header('cache-control', 'public, max-age=3600').send(body);
  });

  api.get('/v1/dashboard', {
    config: { scope: 'assessment:read' },
    schema: {
      operationId: 'getDashboard',
      tags: ['assessments'],
      summary: 'The dashboard’s figures (aggregates only, no personal information)',
      querystring: z.strictObject({ period, regionCode }),
      response: { 200: dashboardView },
    },
    handler: async (request) => dashboardData(ctx, request.caller, request.query.regionCode, request.query.period),
  });
}
