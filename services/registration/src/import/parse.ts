import { Transform, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { csvRecordTooLong, importLines, MAX_IMPORT_LINE_BYTES, problems, Problem } from '@reemploy/http-kit';
import { scrubPii } from '@reemploy/http-kit/logging';

export interface RawRow {
  /** 1-based line of the file (the header is line 1 in a CSV). */
  line: number;
  /** An NDJSON line, parsed where the row is prepared (off the main thread). */
  text?: string;
  value?: Record<string, unknown>;
  error?: string;
}

export const IMPORT_CONTENT_TYPES = ['application/x-ndjson', 'application/ndjson', 'text/csv'] as const;

const BOOLEAN = new Map([
  ['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false], ['y', true], ['n', false], ['是', true], ['否', false],
]);
const BOOLEAN_FIELDS = new Set(['ableToWork', 'willingToWork', 'laidOff', 'minimumLivelihood', 'disabled', 'singleParent', 'raisingAlone']);
const LIST_FIELDS = new Set(['skills', 'desiredOccupations', 'parentIdNumbers']);
/** Lists whose empty cell says "none"; an empty parentIdNumbers says nothing (the parents stored stay). */
const EMPTY_IS_NONE = new Set(['skills', 'desiredOccupations']);
const INTEGER_FIELDS = new Set(['expectedMonthlyWage', 'minorChildren', 'otherEmployedMembers', 'ownMinorChildren']);

/** A CSV cell as the JSON value the same field takes in NDJSON; anything unreadable stays a string for validation to name. */
function csvValue(field: string, cell: string): unknown {
  if (cell === '') return EMPTY_IS_NONE.has(field) ? [] : undefined;
  if (BOOLEAN_FIELDS.has(field)) return BOOLEAN.get(cell.toLowerCase()) ?? cell;
  if (LIST_FIELDS.has(field)) return cell.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
  if (INTEGER_FIELDS.has(field) && /^\d{1,9}$/.test(cell)) return Number(cell);
  return cell;
}

/** Counts bytes as they pass and fails past the limit (a chunked upload has no Content-Length to check first). */
function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(new Problem(413, 'body-too-large', 'Upload too large', `An import may be at most ${limit} bytes`));
      else done(null, chunk);
    },
  });
}

async function* ndjson(input: Readable): AsyncGenerator<RawRow> {
  for await (const { line, text } of importLines(input)) {
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed) yield { line, text: trimmed };
  }
}

/**
 * What the report says of a record csv-parse refused. Its message for a stray quote repeats the
 * cell read so far (an identity number, a name): that one is replaced by a fixed sentence, the
 * others are scrubbed like every other message of the report.
 */
function csvErrorMessage(err: { code?: string; message?: string } | undefined): string {
  if (!err?.message) return 'is not a valid CSV record';
  if (err.code === 'INVALID_OPENING_QUOTE') return 'has a quote inside an unquoted cell; quote the whole cell and double the quotes in it';
  return scrubPii(err.message);
}

async function* csv(input: Readable): AsyncGenerator<RawRow> {
  const skipped: RawRow[] = [];
  // A record past the size limit ends the parse: the upload fails there, naming its line.
  let tooLong: Problem | undefined;
  const parser = input.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      max_record_size: MAX_IMPORT_LINE_BYTES,
      skip_records_with_error: true,
      on_skip: (err) => {
        const refused = csvRecordTooLong(err);
        if (refused) tooLong ??= refused;
        else skipped.push({ line: (err as { lines?: number } | undefined)?.lines ?? 0, error: csvErrorMessage(err) });
        return undefined;
      },
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (tooLong) throw tooLong;
    while (skipped.length) yield skipped.shift()!;
    const value: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(record)) {
      const v = csvValue(field, cell);
      if (v !== undefined) value[field] = v;
    }
    yield { line: info.lines, value };
  }
  if (tooLong) throw tooLong;
  while (skipped.length) yield skipped.shift()!;
}

/** The rows of an NDJSON or CSV upload (UTF-8, with or without a BOM), as they arrive. */
export function readRows(stream: Readable, contentType: string, byteLimit: number): AsyncGenerator<RawRow> {
  const limited = stream.pipe(limitBytes(byteLimit));
  stream.on('error', (err) => limited.destroy(err));
  if (contentType === 'text/csv') return csv(limited);
  if (contentType === 'application/x-ndjson' || contentType === 'application/ndjson') return ndjson(limited);
  throw problems.field('header.content-type', `must be one of ${IMPORT_CONTENT_TYPES.join(', ')}`);
}
