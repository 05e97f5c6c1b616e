import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, etagOf } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { idParams } from '../shared/schemas.ts';
import { findVacancy, type VacancyRow } from './repository.ts';
import { closeVacancyBody, createVacancyBody, listVacanciesQuery, mergeVacancyBody, patchVacancyBody, vacancyPage, vacancyView } from './schemas.ts';
import { changeVacancy, closeVacancy, createVacancy, getVacancy, listVacanciesFor, mergeVacancies, nearDuplicates } from './service.ts';
import { toVacancyView } from './view.ts';

/** If-Match is required on PATCH; on state changes (close, merge) it is checked when sent. */
function ifMatchWhenSent(request: FastifyRequest) {
  return (row: VacancyRow) => {
    if (request.headers['if-match'] !== undefined) checkIfMatch(request, etagOf(row.id, row.version));
  };
}

export async function vacancyRoutes(app: FastifyInstance, { ctx }: { ctx: JobPostingsContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** The vacancy as it now is, with its near duplicates, and its ETag. */
  async function reply(request: FastifyRequest, res: FastifyReply, id: string) {
    const row = await findVacancy(ctx.db, id);
    if (!row) throw new Error(`vacancy ${id} vanished`);
    res.header('etag', etagOf(row.id, row.version));
    return toVacancyView(row, request.caller, await nearDuplicates(ctx, request.caller, row));
  }

  api.post('/v1/vacancies', {
    config: { scope: 'vacancies:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'createVacancy',
      tags: ['vacancies'],
      summary: 'Publish a vacancy; the same open post again is a 409 naming it, similar ones are listed as near duplicates',
      body: createVacancyBody,
      response: { 201: vacancyView },
    },
    handler: async (request, res) => {
      const row = await createVacancy(ctx, request.caller, request.body);
      res.header('location', `/v1/vacancies/${row.id}`).header('etag', etagOf(row.id, row.version));
      return res.code(201).send(toVacancyView(row, request.caller, await nearDuplicates(ctx, request.caller, row)));
    },
  });

  api.get('/v1/vacancies', {
    config: { scope: 'vacancies:read' },
    schema: {
      operationId: 'listVacancies',
      tags: ['vacancies'],
      summary: 'List vacancies in your regions, newest first, by region, occupation or group, kind, source, status, reserved category and title text',
      querystring: listVacanciesQuery,
      response: { 200: vacancyPage },
    },
    handler: async (request) => {
      const { rows, nextCursor } = await listVacanciesFor(ctx, request.caller, request.query);
      return { items: rows.map((row) => toVacancyView(row, request.caller)), nextCursor };
    },
  });

  api.get('/v1/vacancies/:id', {
    config: { scope: 'vacancies:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getVacancy', tags: ['vacancies'], summary: 'Read a vacancy with its near duplicates', params: idParams, response: { 200: vacancyView } },
    handler: async (request, res) => {
      const row = await getVacancy(ctx, request.caller, request.params.id);
      res.header('etag', etagOf(row.id, row.version));
      return toVacancyView(row, request.caller, await nearDuplicates(ctx, request.caller, row));
    },
  });

  api.patch('/v1/vacancies/:id', {
    config: { scope: 'vacancies:write', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateVacancy',
      tags: ['vacancies'],
      summary: 'Change an open vacancy (If-Match required); any PATCH confirms it is still current',
      params: idParams,
      body: patchVacancyBody,
      response: { 200: vacancyView },
    },
    handler: async (request, res) => {
      await changeVacancy(ctx, request.caller, request.params.id, request.body, (row) => checkIfMatch(request, etagOf(row.id, row.version)));
      return reply(request, res, request.params.id);
    },
  });

  api.post('/v1/vacancies/:id/close', {
    config: { scope: 'vacancies:write', idempotent: true, ifMatch: 'when-sent', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'closeVacancy',
      tags: ['vacancies'],
      summary: 'Withdraw an open vacancy with a reason (If-Match checked when sent)',
      params: idParams,
      body: closeVacancyBody,
      response: { 200: vacancyView },
    },
    handler: async (request, res) => {
      await closeVacancy(ctx, request.caller, request.params.id, request.body.reason, ifMatchWhenSent(request));
      return reply(request, res, request.params.id);
    },
  });

  api.post('/v1/vacancies/:id/merge', {
    config: { scope: 'vacancies:write', idempotent: true, ifMatch: 'when-sent', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'mergeVacancy',
      tags: ['vacancies'],
      summary: 'Fold a duplicate into this vacancy: this one keeps the sources of both, the duplicate closes (If-Match checked when sent)',
      params: idParams,
      body: mergeVacancyBody,
      response: { 200: vacancyView },
    },
    handler: async (request, res) => {
      await mergeVacancies(ctx, request.caller, request.params.id, request.body.duplicateId, ifMatchWhenSent(request));
      return reply(request, res, request.params.id);
    },
  });
}
