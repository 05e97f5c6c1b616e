import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileSchema, XLSX_MEDIA_TYPE } from '@reemploy/http-kit';
import { LEDGER_COLUMNS, ledgerCsv, ledgerXlsx } from '@reemploy/assessment';
import type { RegistrationContext } from '../context.ts';
import { period, regionCode } from '../assessment/schemas.ts';
import { monthlyLedger } from './service.ts';

const figures = Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, z.number().int().describe(c.header)])) as Record<(typeof LEDGER_COLUMNS)[number]['key'], z.ZodNumber>;
const ledgerRow = z.object({ level: z.enum(['community', 'street', 'district']), regionCode: z.string(), name: z.string().nullable(), ...figures });
const ledgerView = z
  .object({ period: z.string(), regionCode: z.string(), communities: z.array(ledgerRow), streets: z.array(ledgerRow), districts: z.array(ledgerRow), total: z.object(figures) })
  .meta({ id: 'MonthlyLedger' });

export async function ledgerRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/ledgers/monthly', {
    config: { scope: 'assessment:read', responseHeaders: ['Content-Disposition'] },
    schema: {
      operationId: 'getMonthlyLedger',
      tags: ['ledgers'],
      summary: 'The monthly work report (工作月报) per community with street and district totals, as JSON, CSV or XLSX',
      querystring: z.strictObject({ period, regionCode, format: z.enum(['json', 'csv', 'xlsx']).default('json') }),
      response: {
        200: {
          description: 'The ledger as the format asks: JSON, a CSV or a workbook',
          content: {
            'application/json': { schema: ledgerView },
            'text/csv': { schema: fileSchema('format=csv: UTF-8 with BOM, a row per community, street and district') },
            [XLSX_MEDIA_TYPE]: { schema: fileSchema('format=xlsx: a workbook with sheets 社区, 街道, 区', true) },
          },
        },
      },
    },
    handler: async (request, reply) => {
      const { period: month, regionCode: code, format } = request.query;
      const ledger = await monthlyLedger(ctx, request.caller, code, month);
      const filename = `ledger-${code}-${month}`;
      // Files bypass the JSON response schema.
      const file = reply as unknown as FastifyReply;
      if (format === 'csv') {
        return file.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}.csv"`).send(ledgerCsv(ledger));
      }
      if (format === 'xlsx') {
        return file.type(XLSX_MEDIA_TYPE).header('content-disposition', `attachment; filename="${filename}.xlsx"`).send(await ledgerXlsx(ledger, request.language.convert));
      }
      return ledger;
    },
  });
}
