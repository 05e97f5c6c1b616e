import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMPORT_LIMITS_NOTE, problems } from '@reemploy/http-kit';
import type { AssistanceBasesContext } from '../context.ts';
import { CSV_COLUMNS, importBases, importReport } from './import.ts';

export async function aidBaseImportRoutes(app: FastifyInstance, { ctx }: { ctx: AssistanceBasesContext }) {
  // Scoped to the service's own routes. Spreadsheets exported on Chinese
  // Windows are GB18030/GBK, so the charset parameter is honoured.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /charset=([\w-]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
    try {
      done(null, new TextDecoder(charset, { fatal: true }).decode(body as Buffer));
    } catch {
      done(problems.field('body', `is not valid ${charset} text (send charset=gb18030 for a file saved by a Chinese spreadsheet)`), undefined);
    }
  });
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/aid-bases/import', {
    config: { scope: 'aid-bases:write', idempotent: true, bulkImport: true },
    schema: {
      operationId: 'importAidBases',
      tags: ['aid-bases'],
      summary: 'Import bases from CSV, with a report per row',
      description: `Send text/csv (UTF-8, or GB18030/GBK with charset=gb18030) whose first line names the columns ${CSV_COLUMNS.join(',')}. sectors are separated by ; | or 、. cohort is existing, added or later. ${IMPORT_LIMITS_NOTE}`,
      consumes: ['text/csv'],
      body: z.string().min(1).describe('The CSV file'),
      response: { 200: importReport },
    },
    handler: async (request) => importBases(ctx, request.caller, request.body),
  });
}
