/**
 * Micro benchmark of the engine alone (no database): a demo city of N seekers and M
 * vacancies, every seeker ranked the way the nightly batch does (3 × topK candidates),
 * then the capacity-aware allocation. Prints one JSON line.
 *
 *   pnpm --filter @reemploy/matching-engine bench --seekers 100000 --vacancies 50000
 */
import { parseArgs } from 'node:util';
import { createDemoCity } from '@reemploy/demo-city';
import { allocate, createMatcher, defaultMatchingConfig, type Match } from '../src/index.ts';

const { values } = parseArgs({
  // pnpm passes its `--` separator through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seekers: { type: 'string', default: '100000' },
    vacancies: { type: 'string', default: '50000' },
    seed: { type: 'string', default: 'bench' },
    k: { type: 'string', default: String(defaultMatchingConfig.topK) },
  },
});
const seekerCount = Number(values.seekers);
const vacancyCount = Number(values.vacancies);
const topK = Number(values.k);

const city = createDemoCity({ seed: values.seed, seekers: seekerCount, vacancies: vacancyCount });
let t = performance.now();
const { seekers, vacancies } = city.engineInput();
const generateMs = performance.now() - t;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const matcher = createMatcher(vacancies, { topK });
const buildMs = performance.now() - t0;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return Math.round((c.user + c.system) / 1000);
};
const buildCpuMs = cpuMs(cpu0);
t = performance.now();
let c = process.cpuUsage();
const candidates = new Map<string, Match[]>();
for (const s of seekers) candidates.set(s.id, matcher.candidatesFor(s, 3 * topK));
const rankMs = performance.now() - t;
const rankCpuMs = cpuMs(c);
t = performance.now();
c = process.cpuUsage();
const lists = allocate(seekers, candidates, vacancies, { topK });
const allocateMs = performance.now() - t;
const allocateCpuMs = cpuMs(c);
const totalMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

let recommendations = 0;
let empty = 0;
for (const list of lists.values()) {
  recommendations += list.length;
  if (list.length === 0) empty++;
}
const { pairsScored, candidatesConsidered } = matcher.stats();
const round = (x: number) => Math.round(x);
process.stdout.write(JSON.stringify({
  seekers: seekers.length,
  vacancies: vacancies.length,
  topK,
  pairsScored,
  candidatesConsidered,
  pairsPerSeeker: round(pairsScored / seekers.length),
  generateMs: round(generateMs),
  buildMs: round(buildMs),
  rankMs: round(rankMs),
  allocateMs: round(allocateMs),
  ms: round(totalMs),
  // CPU time of the process (all threads, the collector's included): the figure to trust on a busy machine.
  buildCpuMs,
  rankCpuMs,
  allocateCpuMs,
  cpuMs: round((cpu.user + cpu.system) / 1000),
  seekersPerSecond: round(seekers.length / (totalMs / 1000)),
  recommendations,
  seekersWithoutRecommendation: empty,
}) + '\n');
