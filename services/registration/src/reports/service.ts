import { passRate } from '@reemploy/assessment';
import { problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { periodBounds } from '../assessment/period.ts';
import { regionNames } from '../assessment/regions.ts';
import { summarizeRegion } from '../assessment/service.ts';
import { assessmentDb } from '../assessment/tables.ts';
import { communityFigures } from '../assessment/figures.ts';
import { activityByDistrict, reemployedByDistrict } from './figures.ts';

export interface DistrictLine {
  regionCode: string;
  name: string | null;
  newJobs: number;
  publicWelfarePosts: number;
  reemployed: number;
  /** Registered unemployed at the year's end. */
  registeredUnemployed: number;
  /** Registered unemployed at any time in the year. */
  registeredDuringYear: number;
  assessed: number;
  passed: number;
  passRate: number | null;
  notes: string[];
}

const LEADS: [keyof DistrictLine, string][] = [
  ['passRate', 'highest pass rate'],
  ['reemployed', 'most people re-employed'],
  ['newJobs', 'most new jobs collected'],
  ['publicWelfarePosts', 'most public-welfare posts developed'],
];

/** Notes of who led: a district leads a figure when it holds the largest non-zero value of it. */
function leadNotes(lines: DistrictLine[]): void {
  for (const [key, note] of LEADS) {
    const best = Math.max(...lines.map((l) => Number(l[key] ?? 0)));
    if (best <= 0) continue;
    for (const line of lines) if (Number(line[key] ?? 0) === best) line.notes.push(note);
  }
}

/** The figures the report opens with, for a year, from the data; assessment counts are December's applicants. */
export async function annualReport(ctx: RegistrationContext, caller: Caller, regionCode: string, year: number) {
  const prefixes = visiblePrefixes(caller, regionCode);
  if (prefixes.length === 0) throw problems.notFound('Region');
  const db = assessmentDb(ctx);
  const december = periodBounds(`${year}-12`);
  const summary = await summarizeRegion(ctx, caller, regionCode, `${year}-12`);
  const reemployed = await reemployedByDistrict(db, prefixes, december.yearStart, december.end);
  const unemployed = await communityFigures(db, prefixes, december);
  const activity = await activityByDistrict(db, prefixes, december.yearStart, december.end);
  const lines = new Map<string, DistrictLine>();
  const line = (district: string) => {
    const found = lines.get(district) ?? { regionCode: district, name: null, newJobs: 0, publicWelfarePosts: 0, reemployed: 0, registeredUnemployed: 0, registeredDuringYear: 0, assessed: 0, passed: 0, passRate: null, notes: [] };
    lines.set(district, found);
    return found;
  };
  for (const r of reemployed) line(r.district).reemployed = r.n;
  for (const [code, set] of unemployed) {
    const l = line(code.slice(0, 6));
    l.registeredUnemployed += set.unemployedAtEnd;
    l.registeredDuringYear += set.figures.registeredUnemployed;
  }
  for (const a of activity) {
    if (a.kind === 'vacancies-collected' || a.kind === 'public-welfare-posts') line(a.district).newJobs += a.n;
    if (a.kind === 'public-welfare-posts') line(a.district).publicWelfarePosts += a.n;
  }
  for (const c of summary.communities) {
    const l = line(c.communityCode.slice(0, 6));
    l.assessed += 1;
    if (c.passed) l.passed += 1;
  }
  const names = await regionNames(db, [regionCode, ...lines.keys()]);
  const districts = [...lines.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  for (const l of districts) {
    l.name = names.get(l.regionCode) ?? null;
    l.passRate = passRate(l.passed, l.assessed);
  }
  leadNotes(districts);
  const sum = (key: 'newJobs' | 'publicWelfarePosts' | 'reemployed' | 'registeredUnemployed' | 'registeredDuringYear') => districts.reduce((a, l) => a + l[key], 0);
  return {
    year,
    regionCode,
    name: names.get(regionCode) ?? null,
    newJobs: sum('newJobs'),
    publicWelfarePosts: sum('publicWelfarePosts'),
    reemployed: sum('reemployed'),
    registeredUnemployed: sum('registeredUnemployed'),
    registeredDuringYear: sum('registeredDuringYear'),
    communities: { assessed: summary.assessed, passed: summary.passed, passRate: summary.passRate },
    districts,
  };
}
