import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { call } from './http.ts';

export interface LedgerOptions {
  baseUrl: string;
  token: string;
  period: string;
  regionCode: string;
  format: 'xlsx' | 'csv' | 'json';
  out?: string;
}

/** Downloads the monthly ledger (工作月报) to a file; returns its path and size. */
export async function exportLedger(opts: LedgerOptions): Promise<{ file: string; bytes: number }> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) throw new Error(`period "${opts.period}" must be YYYY-MM`);
  const query = new URLSearchParams({ period: opts.period, regionCode: opts.regionCode, format: opts.format });
  const res = await call(`${opts.baseUrl}/v1/ledgers/monthly?${query}`, { token: opts.token });
  const file = opts.out ?? `ledger-${opts.regionCode}-${opts.period}.${opts.format}`;
  let bytes = 0;
  const body = Readable.fromWeb(res.body as never).on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(body, createWriteStream(file));
  return { file, bytes };
}
