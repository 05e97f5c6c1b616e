import { z } from 'zod';
import { inRegions, problems, type Caller } from '@reemploy/http-kit';

/** A 12-digit community (or village) code of GB/T 2260 + the street and committee digits. */
export const communityCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').meta({ example: '320508024043' });

export const regionFilter = z.string().regex(/^\d{2,12}$/, 'must be a division-code prefix').optional().describe('Division-code prefix, narrowed to your regions');

export const idParams = z.object({ id: z.uuid() });

export const timestamp = z.iso.datetime({ offset: true });

/**
 * A timestamp a caller sends, read as the instant it names: the offset is only
 * notation, and one beyond what Postgres accepts (+20:00) must not reach it.
 */
export const instant = timestamp.transform((value) => new Date(value));

/** Free text kept to one line and a sane length. */
export function text(max: number) {
  return z.string().trim().min(1).max(max);
}

/** Writes outside the caller's regions are refused with the field named. */
export function assertWritable(caller: Caller, code: string, field: string): void {
  if (!inRegions(caller, code)) throw problems.outsideRegions(field);
}
