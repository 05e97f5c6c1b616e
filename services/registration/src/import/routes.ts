import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditedRequest, IMPORT_LIMITS_NOTE, Problem, uploadBody } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { IMPORT_CONTENT_TYPES } from './parse.ts';
import { importReport } from './schemas.ts';
import { closePreparers, importJobSeekers } from './service.ts';

/** The upload, held out of sight of the generic body checks (they walk enumerable properties). */
class Upload {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

export async function importRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  // The preparing worker threads (started by the first import) end with the app.
  app.addHook('onClose', async () => closePreparers(ctx));
  // Its own scope: the streaming parsers apply to this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser([...IMPORT_CONTENT_TYPES], (_request, payload, done) => done(null, new Upload(payload)));
    const api = scope.withTypeProvider<ZodTypeProvider>();
    api.post('/v1/job-seekers/import', {
      config: { scope: 'seekers:write', bulkImport: true },
      bodyLimit: ctx.env.IMPORT_BODY_LIMIT,
      schema: {
        operationId: 'importJobSeekers',
        tags: ['job-seekers'],
        summary: 'Bulk-register or update up to 100,000 job seekers from NDJSON or CSV (UTF-8, BOM optional)',
        description:
          'Send application/x-ndjson (one JSON object per line, the fields of POST /v1/job-seekers) or text/csv (a header row with the same field names; lists separated by ";"). ' +
          'A row may join a household: an existing one by householdId, or one named by householdKey (the household number in your ledger, unique within the community: rows sharing it form one household, created on first use), ' +
          'with relationship, and with householdKey the household fields singleParent, minorChildren, otherEmployedMembers. ' +
          'Each row is created, updated or left unchanged, or fails with its errors; uploading the same file again changes nothing. ' +
          'Rows are stored 5,000 to a transaction as they arrive: an upload that stops early (413) keeps the rows of the transactions already committed, and the same file uploaded again reports them unchanged. ' +
          IMPORT_LIMITS_NOTE,
        consumes: [...IMPORT_CONTENT_TYPES],
        body: uploadBody<Upload>('The file: NDJSON or CSV'),
        response: { 200: importReport },
      },
      handler: async (request, reply) => {
        const length = Number(request.headers['content-length'] ?? 0);
        if (length > ctx.env.IMPORT_BODY_LIMIT) throw new Problem(413, 'body-too-large', 'Upload too large', `An import may be at most ${ctx.env.IMPORT_BODY_LIMIT} bytes`);
        const upload = request.body;
        if (!(upload instanceof Upload)) {
          throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', `Send one of ${IMPORT_CONTENT_TYPES.join(', ')}`, [{ field: 'header.content-type', message: 'unsupported' }]);
        }
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const report = await importJobSeekers(ctx, request.caller, auditedRequest(request), upload.stream, type, request.headers['content-length'] ? length : undefined);
        // Serialised directly: a 100,000-row report through the response schema costs seconds.
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(report) as unknown as typeof report);
      },
    });
  });
}
