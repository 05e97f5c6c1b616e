import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { allowLongStatements, inClientTransaction } from './transaction.ts';

function encodeCell(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Bulk-inserts rows with COPY (text format), the fastest path into Postgres. */
export async function copyRows(client: pg.PoolClient | pg.Client, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<void> {
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const stream = client.query(copyFrom(`copy ${table} (${columns.map(ident).join(', ')}) from stdin`));
  async function* lines() {
    let buf = '';
    for (const row of rows) {
      buf += row.map(encodeCell).join('\t') + '\n';
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(lines()), stream);
}

/**
 * COPY (text format) of lines the caller already encoded: one row per line,
 * cells separated by tabs, escaped as COPY expects, each ending in a newline.
 */
export async function copyText(client: pg.PoolClient | pg.Client, table: string, columns: string[], lines: Iterable<string>): Promise<void> {
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const stream = client.query(copyFrom(`copy ${table} (${columns.map(ident).join(', ')}) from stdin`));
  async function* chunks() {
    let buf = '';
    for (const line of lines) {
      buf += line;
      if (buf.length > 1 << 16) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), stream);
}

type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/**
 * Runs `copy (query) to stdout [binary]` and returns the whole output in one buffer. With
 * `statementTimeoutMs`, a read from the pool is a batch step: it runs in a transaction of its
 * own with that statement timeout (see allowLongStatements).
 */
async function copyOut(db: Queryable, query: string, binary: boolean, statementTimeoutMs?: number): Promise<Buffer> {
  if (statementTimeoutMs !== undefined && 'totalCount' in db) {
    return inClientTransaction(db, async (client) => {
      await allowLongStatements(client, statementTimeoutMs);
      return copyOut(client, query, binary);
    });
  }
  const client = 'totalCount' in db ? await db.connect() : db;
  try {
    const chunks: Buffer[] = [];
    const stream = client.query(copyTo(`copy (${query}) to stdout${binary ? ' binary' : ''}`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    if (client !== db) (client as pg.PoolClient).release();
  }
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * A query's rows through COPY's binary format, each a list of its cells' raw bytes
 * (null for NULL). For large values (staged blobs) this is several times faster than
 * a query's result, which node-postgres assembles message by message.
 */
export async function copyOutBinary(db: Queryable, query: string, statementTimeoutMs?: number): Promise<(Buffer | null)[][]> {
  const buf = await copyOut(db, query, true, statementTimeoutMs);
  if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a COPY binary stream');
  let o = 15 + 4 + buf.readUInt32BE(15);
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const fields = buf.readInt16BE(o);
    o += 2;
    if (fields === -1) return rows;
    const row: (Buffer | null)[] = new Array(fields);
    for (let f = 0; f < fields; f++) {
      const len = buf.readInt32BE(o);
      o += 4;
      if (len < 0) row[f] = null;
      else {
        if (o + len > buf.length) throw new Error('truncated COPY binary stream');
        row[f] = buf.subarray(o, o + len);
        o += len;
      }
    }
    rows.push(row);
  }
}

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** One cell of COPY's text format: \N is NULL; backslash sequences are undone. */
export function copyTextCell(cell: string): string | null {
  if (cell === '\\N') return null;
  if (!cell.includes('\\')) return cell;
  return cell.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (UNESCAPE[e] ?? e),
  );
}

/**
 * A query's rows through COPY's text format, each a list of its cells as text (null
 * for NULL). Far less work per row than a query's result for many small rows; the
 * caller converts the cells it needs (see `parseTextArray`).
 */
export async function copyOutText(db: Queryable, query: string, statementTimeoutMs?: number): Promise<(string | null)[][]> {
  const text = (await copyOut(db, query, false, statementTimeoutMs)).toString('utf8');
  const rows: (string | null)[][] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    rows.push(text.slice(at, end).split('\t').map(copyTextCell));
    at = end + 1;
  }
  return rows;
}

/** A one-dimensional text array as Postgres prints it (`{a,b,"c d"}`) back to its elements; NULL elements are refused. */
export function parseTextArray(value: string): string[] {
  if (value.length < 2 || value[0] !== '{' || value[value.length - 1] !== '}') throw new Error(`not an array: ${value.slice(0, 40)}`);
  if (value.length === 2) return [];
  const body = value.slice(1, -1);
  if (!body.includes('"') && !body.includes('\\')) {
    const items = body.split(',');
    if (items.includes('NULL')) throw new Error('an array element is NULL');
    return items;
  }
  const out: string[] = [];
  let i = 0;
  while (i <= body.length) {
    let item = '';
    if (body[i] === '"') {
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        item += body[i++];
      }
      i++; // the closing quote
    } else {
      let end = body.indexOf(',', i);
      if (end < 0) end = body.length;
      item = body.slice(i, end);
      if (item === 'NULL') throw new Error('an array element is NULL');
      i = end;
    }
    out.push(item);
    i++; // the comma
  }
  return out;
}
