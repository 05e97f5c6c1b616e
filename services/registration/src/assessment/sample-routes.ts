import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problems, recordPiiAccess } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { drawCommunitySample, drawPhoneSurvey, getSample, surveyContacts } from './samples.ts';
import { contactsQuery, sampleBody, sampleParams, sampleView, surveyContactPage } from './schemas.ts';

export async function sampleRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Not idempotency-keyed: the same seed redraws the same sample anyway.
  api.post('/v1/assessments/samples', {
    config: { scope: 'assessment:write', responseHeaders: ['Location'] },
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
      reply.header('location', `/v1/assessments/samples/${sample.id}`);
      return reply.code(201).send(sample);
    },
  });

  api.get('/v1/assessments/samples/:id', {
    config: { scope: 'assessment:read' },
    schema: { operationId: 'getAssessmentSample', tags: ['assessments'], summary: 'A stored sample', params: sampleParams, response: { 200: sampleView } },
    handler: async (request) => getSample(ctx, request.caller, request.params.id),
  });

  api.get('/v1/assessments/samples/:id/contacts', {
    config: { scope: 'assessment:read' },
    schema: {
      operationId: 'listSurveyContacts',
      tags: ['assessments'],
      summary: "A phone survey's people inside your regions, a page at a time",
      description: 'Needs seekers:read besides assessment:read; names and phones are masked without pii:read. Every contact shown is written to the PII audit (survey-contact).',
      params: sampleParams,
      querystring: contactsQuery,
      response: { 200: surveyContactPage },
    },
    handler: async (request) => {
      const page = await surveyContacts(ctx, request.caller, request.params.id, request.query);
      // A contact list is what a survey hands out: each contact shown is audited, masked or not.
      await recordPiiAccess(ctx.db as never, request, 'survey-contact', page.items.map((c) => ({ id: c.seekerId, region: c.communityCode })));
      return page;
    },
  });
}
