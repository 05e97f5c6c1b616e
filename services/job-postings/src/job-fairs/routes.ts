import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { etagOf } from '@reemploy/http-kit';
import type { HardshipCategory } from '@reemploy/domain';
import type { JobPostingsContext } from '../context.ts';
import { idParams } from '../shared/schemas.ts';
import { listVacanciesQuery, vacancyPage } from '../vacancies/schemas.ts';
import { listVacanciesFor } from '../vacancies/service.ts';
import { toVacancyView } from '../vacancies/view.ts';
import type { JobFairRow } from './repository.ts';
import { attachResult, attachVacanciesBody, createJobFairBody, jobFairPage, jobFairView, listJobFairsQuery, type JobFairView } from './schemas.ts';
import { attachVacancies, createJobFair, getJobFair, listUpcomingJobFairs } from './service.ts';

function toView(row: JobFairRow): JobFairView {
  return {
    id: row.id,
    name: row.name,
    date: row.date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    venue: row.venue,
    communityCode: row.community_code,
    targetGroups: row.target_groups as HardshipCategory[],
    organiser: row.organiser,
    description: row.description,
    vacancies: Number(row.vacancies),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function jobFairRoutes(app: FastifyInstance, { ctx }: { ctx: JobPostingsContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/job-fairs', {
    config: { scope: 'vacancies:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'createJobFair',
      tags: ['job-fairs'],
      summary: 'Announce a job fair (date, venue, community, target groups)',
      body: createJobFairBody,
      response: { 201: jobFairView },
    },
    handler: async (request, reply) => {
      const row = await createJobFair(ctx, request.caller, request.body);
      reply.header('location', `/v1/job-fairs/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toView(row));
    },
  });

  api.get('/v1/job-fairs', {
    config: { scope: 'vacancies:read' },
    schema: {
      operationId: 'listJobFairs',
      tags: ['job-fairs'],
      summary: 'Upcoming job fairs in your regions, soonest first',
      querystring: listJobFairsQuery,
      response: { 200: jobFairPage },
    },
    handler: async (request) => {
      const { rows, nextCursor } = await listUpcomingJobFairs(ctx, request.caller, request.query);
      return { items: rows.map(toView), nextCursor };
    },
  });

  api.get('/v1/job-fairs/:id', {
    config: { scope: 'vacancies:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getJobFair', tags: ['job-fairs'], summary: 'Read a job fair', params: idParams, response: { 200: jobFairView } },
    handler: async (request, reply) => {
      const row = await getJobFair(ctx, request.caller, request.params.id);
      reply.header('etag', etagOf(row.id, row.version));
      return toView(row);
    },
  });

  api.post('/v1/job-fairs/:id/vacancies', {
    config: { scope: 'vacancies:write', idempotent: true },
    schema: {
      operationId: 'attachJobFairVacancies',
      tags: ['job-fairs'],
      summary: 'Show open vacancies at a fair (attaching one twice changes nothing)',
      params: idParams,
      body: attachVacanciesBody,
      response: { 200: attachResult },
    },
    handler: async (request) => attachVacancies(ctx, request.caller, request.params.id, request.body.vacancyIds),
  });

  api.get('/v1/job-fairs/:id/vacancies', {
    config: { scope: 'vacancies:read' },
    schema: {
      operationId: 'listJobFairVacancies',
      tags: ['job-fairs'],
      summary: 'Vacancies shown at a fair, with the filters of the vacancy list',
      params: idParams,
      querystring: listVacanciesQuery.omit({ jobFairId: true }),
      response: { 200: vacancyPage },
    },
    handler: async (request) => {
      await getJobFair(ctx, request.caller, request.params.id);
      const { rows, nextCursor } = await listVacanciesFor(ctx, request.caller, { ...request.query, jobFairId: request.params.id });
      return { items: rows.map((row) => toVacancyView(row, request.caller)), nextCursor };
    },
  });
}
