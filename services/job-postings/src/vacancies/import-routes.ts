import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMPORT_LIMITS_NOTE } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { IMPORT_CONTENT_TYPES, importReport, importVacancies } from './import.ts';

export async function vacancyImportRoutes(app: FastifyInstance, { ctx }: { ctx: JobPostingsContext }) {
  // Its own scope: the text parsers apply to this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser([...IMPORT_CONTENT_TYPES], { parseAs: 'string', bodyLimit: ctx.env.VACANCY_IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post('/v1/vacancies/import', {
      config: { scope: 'vacancies:write', idempotent: true, bulkImport: true },
      bodyLimit: ctx.env.VACANCY_IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importVacancies',
        tags: ['vacancies'],
        summary: 'Bulk-publish vacancies from NDJSON or CSV (UTF-8, BOM optional), with a report per row',
        description:
          'Send application/x-ndjson (one JSON object per line, the fields of POST /v1/vacancies) or text/csv (a header row naming the same fields; skills and reservedFor separated by ";"). ' +
          'Each row is created, reported as a duplicate of the open vacancy it repeats (existingId), or failed with its fields named; importing the same file again creates nothing. ' +
          IMPORT_LIMITS_NOTE,
        consumes: [...IMPORT_CONTENT_TYPES],
        body: z.string().min(1).describe('The file'),
        response: { 200: importReport },
      },
      handler: async (request) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        return importVacancies(ctx, request.caller, request.body, type);
      },
    });
  });
}
