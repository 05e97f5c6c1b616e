import { z } from 'zod';

export const MAX_IMPORT_ROWS = 100_000;

export const importRowReport = z.object({
  line: z.int().describe('Line of the file (a CSV header is line 1)'),
  status: z.enum(['created', 'updated', 'unchanged', 'failed']),
  id: z.uuid().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export const importReport = z
  .object({
    rows: z.int(),
    created: z.int(),
    updated: z.int(),
    unchanged: z.int(),
    failed: z.int(),
    report: z.array(importRowReport).describe('One entry per row, in file order'),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReport>;
export type ImportRowReport = z.infer<typeof importRowReport>;
