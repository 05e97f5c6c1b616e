import { Command, InvalidArgumentError } from 'commander';
import { mintDevToken, resolveToken, serviceUrl, splitList } from './config.ts';
import { importFile, type ImportKind } from './import.ts';
import { exportLedger } from './ledger.ts';
import { runMatching } from './matching.ts';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const program = new Command('reemploy').description('Operator tools for the reemploy services').showHelpAfterError();

program
  .command('token')
  .description('Mint a DEVELOPMENT token (HS256, JWT_SECRET or the published development secret): only services with NODE_ENV=development or test accept it')
  .requiredOption('--scopes <list>', 'scopes, comma-separated, e.g. seekers:read,pii:read')
  .option('--regions <list>', 'division-code prefixes, comma-separated', '3205')
  .option('--sub <name>', 'the calling system', 'reemploy-cli')
  .option('--expires <seconds>', 'lifetime in seconds (at most TOKEN_MAX_LIFETIME_SECONDS, default 3600)', positiveInt, 3600)
  .option('--aid-base <id>', 'limit the token to one assistance base')
  .option('--audience <list>', 'the services it is for, comma-separated (default: all four, reemploy-registration …)')
  .action((o: { scopes: string; regions: string; sub: string; expires: number; aidBase?: string; audience?: string }) => {
    const token = mintDevToken({
      scopes: splitList(o.scopes),
      regions: splitList(o.regions),
      sub: o.sub,
      expiresIn: o.expires,
      ...(o.aidBase ? { aidBase: o.aidBase } : {}),
      ...(o.audience ? { audience: splitList(o.audience) } : {}),
    });
    process.stdout.write(`${token}\n`);
  });

const importCommand = program.command('import').description('Bulk import from CSV, XLSX or NDJSON, with a per-row error file');
for (const [kind, service, scope] of [
  ['seekers', 'registration', 'seekers:write'],
  ['vacancies', 'jobPostings', 'vacancies:write'],
] as const) {
  importCommand
    .command(`${kind} <file>`)
    .description(`Import ${kind}; failed rows go to <file>.errors.csv`)
    .option('--regions <list>', 'regions of a minted token (without REEMPLOY_TOKEN)', '3205')
    .option('--batch-size <rows>', 'rows per request', positiveInt, 1000)
    .action(async (file: string, o: { regions: string; batchSize: number }) => {
      const summary = await importFile({
        kind: kind as ImportKind,
        file,
        baseUrl: serviceUrl(service),
        token: resolveToken([scope], splitList(o.regions)),
        batchSize: o.batchSize,
      });
      const counts = Object.entries(summary.statuses).map(([status, n]) => `${n} ${status}`).join(', ');
      process.stdout.write(`${summary.rows} rows: ${counts || 'nothing to import'}\n`);
      if (summary.errorFile) {
        process.stdout.write(`errors by row: ${summary.errorFile}\n`);
        process.exitCode = 2;
      }
    });
}

program
  .command('run')
  .description('Start a job')
  .command('matching')
  .description('Start a matching run; --follow shows its progress to the end')
  .option('--region <code>', 'only seekers in this division-code prefix')
  .option('--regions <list>', 'regions of a minted token (without REEMPLOY_TOKEN)', '3205')
  .option('--follow', 'follow the run until it completes or fails')
  .action(async (o: { region?: string; regions: string; follow?: boolean }) => {
    const run = await runMatching({
      baseUrl: serviceUrl('matching'),
      token: resolveToken(['matching:run', 'matching:read'], splitList(o.regions)),
      ...(o.region ? { regionCode: o.region } : {}),
      follow: o.follow === true,
    });
    if (!o.follow) process.stdout.write(`run ${run.id} ${run.status}; follow it with GET /v1/matching-runs/${run.id}\n`);
    if (run.status === 'failed') process.exitCode = 1;
  });

program
  .command('export')
  .description('Export a report')
  .command('ledger')
  .description('Download the monthly ledger (工作月报)')
  .requiredOption('--period <YYYY-MM>', 'the month')
  .requiredOption('--region <code>', 'division code (city, district, street or community)')
  .option('--format <format>', 'xlsx, csv or json', 'xlsx')
  .option('--out <file>', 'where to write it (default ledger-<region>-<period>.<format>)')
  .action(async (o: { period: string; region: string; format: string; out?: string }) => {
    if (!['xlsx', 'csv', 'json'].includes(o.format)) throw new InvalidArgumentError('--format must be xlsx, csv or json');
    const { file, bytes } = await exportLedger({
      baseUrl: serviceUrl('registration'),
      token: resolveToken(['assessment:read'], [o.region.slice(0, 4)]),
      period: o.period,
      regionCode: o.region,
      format: o.format as 'xlsx' | 'csv' | 'json',
      ...(o.out ? { out: o.out } : {}),
    });
    process.stdout.write(`wrote ${file} (${bytes} bytes)\n`);
  });

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`reemploy: ${err.message}\n`);
  process.exitCode = 1;
});
