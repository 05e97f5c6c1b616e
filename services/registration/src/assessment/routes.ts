import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, setEtag } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { apply } from './applications.ts';
import {
  applicationBody,
  applicationList,
  changeStandardBody,
  communityAssessment,
  communityParams,
  periodQuery,
  regionAssessment,
  standardVersion,
  standardsList,
  summaryQuery,
  typeParams,
} from './schemas.ts';
import { assessCommunity, summarizeRegion } from './service.ts';
import { changeStandard, currentStandard, listStandards, standardEtag } from './standards.ts';
import { assessmentDb } from './tables.ts';

const TAGS = ['assessments'];

export async function assessmentRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/assessment-standards', {
    config: { scope: 'assessment:read' },
    schema: { operationId: 'listAssessmentStandards', tags: TAGS, summary: 'The standard of each community type, with its history', response: { 200: standardsList } },
    handler: async () => ({ items: await listStandards(ctx) }),
  });

  api.get('/v1/assessment-standards/:type', {
    config: { scope: 'assessment:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getAssessmentStandard', tags: TAGS, summary: 'The current standard of a community type', params: typeParams, response: { 200: standardVersion } },
    handler: async (request, reply) => {
      const current = await currentStandard(assessmentDb(ctx), request.params.type);
      setEtag(reply, standardEtag(current.communityType, current.version));
      return current;
    },
  });

  api.put('/v1/assessment-standards/:type', {
    config: { scope: 'assessment:admin', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'changeAssessmentStandard',
      tags: TAGS,
      summary: 'Change a community type’s targets or collection rule (a new version; assessments already made keep theirs)',
      params: typeParams,
      body: changeStandardBody,
      response: { 200: standardVersion },
    },
    handler: async (request, reply) => {
      const { targets, collection, note } = request.body;
      const changed = await changeStandard(ctx, request.caller, request.params.type, { targets, collection, note: note ?? null }, (etag) => checkIfMatch(request, etag));
      setEtag(reply, standardEtag(changed.communityType, changed.version));
      return changed;
    },
  });

  api.post('/v1/assessments/applications', {
    config: { scope: 'assessment:write', idempotent: true },
    schema: {
      operationId: 'applyForAssessment',
      tags: TAGS,
      summary: 'A community, or its street for it, applies to be assessed for a period',
      body: applicationBody,
      response: { 201: applicationList },
    },
    handler: async (request, reply) => reply.code(201).send({ items: await apply(ctx, request.caller, request.body.period, request.body.communityCodes) }),
  });

  api.get('/v1/assessments/communities/:code', {
    config: { scope: 'assessment:read' },
    schema: {
      operationId: 'assessCommunity',
      tags: TAGS,
      summary: 'Assess a community for the year up to a month',
      params: communityParams,
      querystring: periodQuery,
      response: { 200: communityAssessment },
    },
    handler: async (request) => assessCommunity(ctx, request.caller, request.params.code, request.query.period),
  });

  api.get('/v1/assessments', {
    config: { scope: 'assessment:read' },
    schema: {
      operationId: 'summarizeAssessments',
      tags: TAGS,
      summary: 'Applicant communities assessed and passed under a city, district or street, with a row per child region',
      querystring: summaryQuery,
      response: { 200: regionAssessment },
    },
    handler: async (request) => summarizeRegion(ctx, request.caller, request.query.regionCode, request.query.period),
  });
}
