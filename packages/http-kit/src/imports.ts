import type { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A bulk import: runs only while the caller and the process have an import slot free. */
    bulkImport?: boolean;
  }
}

/** The longest line (NDJSON) or record (CSV) a bulk import accepts, in bytes: a row is far shorter. */
export const MAX_IMPORT_LINE_BYTES = 64 * 1024;

/** An import line past MAX_IMPORT_LINE_BYTES: the upload stops there (nothing of that line is read further). */
export function lineTooLong(line: number): Problem {
  return new Problem(
    413,
    'line-too-long',
    'Line too long',
    `Line ${line} is longer than ${MAX_IMPORT_LINE_BYTES} bytes; one row of an import is far shorter`,
    [{ field: `body.line[${line}]`, message: `longer than ${MAX_IMPORT_LINE_BYTES} bytes` }],
    { line },
  );
}

/** csv-parse's refusal of a record past `max_record_size: MAX_IMPORT_LINE_BYTES`, as lineTooLong; undefined for any other error. */
export function csvRecordTooLong(err: unknown): Problem | undefined {
  const e = err as { code?: string; lines?: number } | undefined;
  return e?.code === 'CSV_MAX_RECORD_SIZE' ? lineTooLong(e.lines ?? 0) : undefined;
}

/**
 * The lines of an upload as they arrive (UTF-8; `\n` or `\r\n`), numbered from 1. A
 * line is never held past MAX_IMPORT_LINE_BYTES: a longer one fails with lineTooLong,
 * however slowly or quickly it comes.
 */
export async function* importLines(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  let parts: Buffer[] = [];
  let bytes = 0;
  let line = 0;
  const take = () => {
    const text = Buffer.concat(parts, bytes).toString('utf8');
    parts = [];
    bytes = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let at = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, at);
      const end = newline < 0 ? chunk.length : newline;
      bytes += end - at;
      if (bytes > MAX_IMPORT_LINE_BYTES) throw lineTooLong(line + 1);
      parts.push(chunk.subarray(at, end));
      if (newline < 0) break;
      line += 1;
      yield { line, text: take() };
      at = newline + 1;
    }
  }
  if (bytes) yield { line: line + 1, text: take() };
}

/** What every bulk import's OpenAPI description says of these limits. */
export const IMPORT_LIMITS_NOTE =
  `A line (a CSV record) longer than ${MAX_IMPORT_LINE_BYTES} bytes stops the upload: 413 line-too-long naming it. ` +
  'A few imports run at once: beyond a calling system\'s share 429 too-many-imports, beyond the service\'s 503 imports-busy, both with Retry-After.';

export interface ImportConcurrency {
  /** Imports one calling system (token `sub`) may run at once in this process. */
  perCaller: number;
  /** Imports this process runs at once, all callers together. */
  perService: number;
}

const RETRY_AFTER_SECONDS = 5;

/** The slots of one process: takes one for a request, or refuses it. */
function importSlots(limits: ImportConcurrency) {
  const byCaller = new Map<string, number>();
  let running = 0;
  return (request: FastifyRequest, reply: FastifyReply) => {
    const sub = request.caller.sub;
    const mine = byCaller.get(sub) ?? 0;
    if (mine >= limits.perCaller) {
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      throw new Problem(429, 'too-many-imports', 'Too many imports at once', `At most ${limits.perCaller} imports of one calling system run at once; retry when one has finished`);
    }
    if (running >= limits.perService) {
      reply.header('retry-after', RETRY_AFTER_SECONDS);
      throw new Problem(503, 'imports-busy', 'Busy with other imports', `This service runs at most ${limits.perService} imports at once; retry shortly`);
    }
    byCaller.set(sub, mine + 1);
    running += 1;
    // 'close' comes once the response is sent or the connection is gone, whichever happens.
    reply.raw.once('close', () => {
      running -= 1;
      const left = (byCaller.get(sub) ?? 1) - 1;
      if (left > 0) byCaller.set(sub, left);
      else byCaller.delete(sub);
    });
  };
}

/**
 * Slots for the routes marked `bulkImport`, taken when the request arrives (before its body
 * is read, so a slow upload holds one), once its scope is checked, and given back when its
 * response is over, however it ends. Beyond the caller's share: 429; beyond the process's:
 * 503; both with Retry-After.
 */
export const imports = fp(
  async (app: FastifyInstance, limits: ImportConcurrency) => {
    const takeImportSlot = importSlots(limits);
    app.addHook('onRequest', async (request, reply) => {
      const config = request.routeOptions.config;
      if (config.bulkImport && config.scope) takeImportSlot(request, reply);
    });
  },
  { name: 'reemploy-imports', fastify: '5.x', dependencies: ['reemploy-access'] },
);
