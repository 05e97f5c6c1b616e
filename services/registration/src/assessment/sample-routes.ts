import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { problems, recordPiiAccess } from '@reemploy/http-kit';
import { drawCommunitySample, drawPhoneSurvey, getSample, type Sample } from './samples.ts';
import { sampleBody, sampleParams, sampleView } from './schemas.ts';
import type { Ctx } from './tables.ts';

/** Unmasked survey contacts are audited wherever the service keeps a PII audit table. */
async function auditContacts(ctx: Ctx, request: FastifyRequest, sample: Sample) {
  if (!request.caller.scopes.has('pii:read') || !sample.contacts?.length) return;
  const { rows } = await sql<{ exists: boolean }>`select to_regclass('pii_audit') is not null as exists`.execute(ctx.db);
  if (rows[0]?.exists) await recordPiiAccess(ctx.db as never, request, 'job-seeker', sample.contacts.map((c) => ({ id: c.seekerId, region: c.communityCode })));
}

export async function sampleRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Not idempotency-keyed: a stored replay would keep unmasked contacts at rest; the same seed redraws the same sample anyway.
  r.post('/v1/assessments/samples', {
    config: { scope: 'assessment:write' },
    schema: {
      operationId: 'drawAssessmentSample',
      tags: ['assessments'],
      summary: 'Draw a reproducible sample: applicant communities stratified by district, or ~1% of their registered unemployed for a phone survey',
      body: sampleBody,
      response: { 201: sampleView },
    },
    handler: async (request, reply) => {
      const body = request.body;
      let sample;
      if (body.kind === 'communities') {
        if ((body.count === undefined) === (body.fraction === undefined)) throw problems.field('body.count', 'give either a count or a fraction');
        const size = body.count !== undefined ? { count: body.count } : { fraction: body.fraction as number };
        sample = await drawCommunitySample(ctx, request.caller, { period: body.period, regionCode: body.regionCode, seed: body.seed, size });
      } else {
        sample = await drawPhoneSurvey(ctx, request.caller, { parentId: body.sampleId, seed: body.seed, ...(body.fraction !== undefined ? { fraction: body.fraction } : {}) });
      }
      await auditContacts(ctx, request, sample);
      reply.header('location', `/v1/assessments/samples/${sample.id}`);
      return reply.code(201).send(sample);
    },
  });

  r.get('/v1/assessments/samples/:id', {
    config: { scope: 'assessment:read' },
    schema: { operationId: 'getAssessmentSample', tags: ['assessments'], summary: 'A stored sample', params: sampleParams, response: { 200: sampleView } },
    handler: async (request) => {
      const sample = await getSample(ctx, request.caller, request.params.id);
      await auditContacts(ctx, request, sample);
      return sample;
    },
  });
}
