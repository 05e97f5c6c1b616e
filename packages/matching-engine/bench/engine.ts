/**
 * Micro benchmark of the engine alone (no database): a demo city of N seekers and M
 * vacancies, every seeker ranked the way the nightly batch does (`--candidates` per
 * seeker, default BATCH_CANDIDATES(topK), into typed arrays), then the capacity-aware
 * allocation over typed arrays. Prints one JSON line.
 *
 *   pnpm --filter @reemploy/matching-engine bench --seekers 100000 --vacancies 50000
 */
import { parseArgs } from 'node:util';
import { createDemoCity } from '@reemploy/demo-city';
import { allocatePacked, BATCH_CANDIDATES, categoryMask, createMatcher, defaultMatchingConfig, packVacancies, priorityTier, type PackedSeekers } from '../src/index.ts';
import { EDUCATION_LEVELS } from '@reemploy/domain';

const { values } = parseArgs({
  // pnpm passes its `--` separator through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seekers: { type: 'string', default: '100000' },
    vacancies: { type: 'string', default: '50000' },
    seed: { type: 'string', default: 'bench' },
    k: { type: 'string', default: String(defaultMatchingConfig.topK) },
    candidates: { type: 'string' },
  },
});
const seekerCount = Number(values.seekers);
const vacancyCount = Number(values.vacancies);
const topK = Number(values.k);
const perSeeker = values.candidates ? Number(values.candidates) : BATCH_CANDIDATES(topK);

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
// As the batch does: seekers in id order, candidates straight into typed arrays.
seekers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const S = seekers.length;
const packed: PackedSeekers = {
  count: S, tier: new Uint8Array(S), age: new Int32Array(S), education: new Int32Array(S), mask: new Int32Array(S),
  start: new Int32Array(S + 1), vacancy: new Int32Array(S * perSeeker), score: new Float64Array(S * perSeeker),
};
// Ranked in community order (neighbours read the same lists, which stay in cache), stored by id order.
const rankOrder = Array.from(seekers.keys()).sort((a, b) => (seekers[a]!.communityCode < seekers[b]!.communityCode ? -1 : seekers[a]!.communityCode > seekers[b]!.communityCode ? 1 : a - b));
const tmpV = new Int32Array(S * perSeeker);
const tmpS = new Float64Array(S * perSeeker);
const counts = new Int32Array(S);
const buf = { scores: new Float64Array(perSeeker), items: new Int32Array(perSeeker) };
for (const i of rankOrder) {
  const s = seekers[i]!;
  packed.tier[i] = priorityTier(s.hardshipCategories);
  packed.age[i] = s.age;
  packed.education[i] = Math.max(0, EDUCATION_LEVELS.indexOf(s.education));
  packed.mask[i] = categoryMask(s.hardshipCategories);
  const got = matcher.rankInto(s, perSeeker, buf);
  tmpV.set(buf.items.subarray(0, got), i * perSeeker);
  tmpS.set(buf.scores.subarray(0, got), i * perSeeker);
  counts[i] = got;
}
let n = 0;
for (let i = 0; i < S; i++) {
  packed.start[i] = n;
  packed.vacancy.set(tmpV.subarray(i * perSeeker, i * perSeeker + counts[i]!), n);
  packed.score.set(tmpS.subarray(i * perSeeker, i * perSeeker + counts[i]!), n);
  n += counts[i]!;
}
packed.start[S] = n;
const rankMs = performance.now() - t;
const rankCpuMs = cpuMs(c);
t = performance.now();
c = process.cpuUsage();
const allocation = allocatePacked(packed, packVacancies(matcher.vacancies), { topK, capacityFactor: defaultMatchingConfig.capacityFactor });
const allocateMs = performance.now() - t;
const allocateCpuMs = cpuMs(c);
const totalMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

const recommendations = allocation.pick.length;
let empty = 0;
for (let i = 0; i < S; i++) if (allocation.start[i + 1] === allocation.start[i]) empty++;
const { pairsScored, candidatesConsidered } = matcher.stats();
const round = (x: number) => Math.round(x);
process.stdout.write(JSON.stringify({
  seekers: seekers.length,
  vacancies: vacancies.length,
  topK,
  candidatesPerSeeker: perSeeker,
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
