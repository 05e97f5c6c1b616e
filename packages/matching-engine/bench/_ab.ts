import { createDemoCity } from '@reemploy/demo-city';
import { BATCH_CANDIDATES } from '../src/index.ts';
const mod = process.env.ALT === 'base' ? await import('/tmp/wt-base/packages/matching-engine/src/index.ts') : await import('../src/index.ts');
const city = createDemoCity({ seed: 'bench', seekers: 100000, vacancies: 50000 });
const { seekers, vacancies } = city.engineInput();
seekers.sort((a, b) => (a.communityCode < b.communityCode ? -1 : a.communityCode > b.communityCode ? 1 : a.id < b.id ? -1 : 1));
const k = BATCH_CANDIDATES(20);
const buf = { scores: new Float64Array(k), items: new Int32Array(k) };
const c0 = process.cpuUsage();
const m = mod.createMatcher(vacancies, { topK: 20 });
const build = process.cpuUsage(c0);
const c1 = process.cpuUsage();
let sum = 0;
for (const s of seekers) { const n = m.rankInto(s, k, buf); for (let i = 0; i < n; i++) sum = (sum * 31 + buf.items[i]! + Math.round(buf.scores[i]! * 1e6)) % 1e15; }
const r = process.cpuUsage(c1);
console.log(process.env.ALT ?? 'new', 'build', Math.round((build.user + build.system) / 1000), 'rank', Math.round((r.user + r.system) / 1000), 'checksum', sum, JSON.stringify(m.stats()));
