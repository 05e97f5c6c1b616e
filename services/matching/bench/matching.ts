/**
 * pnpm --filter @reemploy/matching bench:matching -- --seekers 100000 --vacancies 50000 --workers 1,2 --sample 500 --on-demand-seconds 15
 * Prints the figures as JSON (see bench/run.ts).
 */
import { parseArgs } from 'node:util';
import { benchmark } from './run.ts';

const { values } = parseArgs({
  // pnpm passes its `--` separator through; after it parseArgs would read every option as a positional.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seekers: { type: 'string', default: '100000' },
    vacancies: { type: 'string', default: '50000' },
    workers: { type: 'string', default: '1,2' },
    sample: { type: 'string', default: '500' },
    top: { type: 'string', default: '20' },
    'on-demand-seconds': { type: 'string', default: '15' },
    'on-demand-rate': { type: 'string', default: '200' },
  },
  allowPositionals: true,
});

const result = await benchmark({
  seekers: Number(values.seekers),
  vacancies: Number(values.vacancies),
  workers: values.workers.split(',').map(Number),
  sample: Number(values.sample),
  topK: Number(values.top),
  onDemandSeconds: Number(values['on-demand-seconds']),
  onDemandRate: Number(values['on-demand-rate']),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/reemploy',
  log: (msg) => process.stderr.write(`${msg}\n`),
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
