import { randomUUID } from 'node:crypto';
import { sampleCommunities, samplePhoneSurvey } from '@reemploy/assessment';
import { maskPhone } from '@reemploy/domain/phone';
import { inRegions, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import { seekerPii } from '../job-seekers/pii.ts';
import { applicantsUnder } from './service.ts';
import { assessmentDb, type Ctx } from './tables.ts';

type Size = { count: number } | { fraction: number };

export interface SurveyContact {
  seekerId: string;
  communityCode: string;
  name: string;
  phone: string | null;
}

export interface Sample {
  id: string;
  kind: 'communities' | 'phone-survey';
  period: string;
  regionCode: string;
  seed: string;
  size: Size;
  parentId: string | null;
  population: number;
  strata: { stratum: string; population: number; drawn: number }[];
  communities?: string[];
  contacts?: SurveyContact[];
  createdBy: string;
  createdAt: string;
}

interface SampleRow {
  id: string;
  kind: string;
  period: string;
  region_code: string;
  seed: string;
  size: unknown;
  parent_id: string | null;
  population: number;
  items: string[];
  strata: unknown;
  created_by: string;
  created_at: Date;
}

function maskName(name: string): string {
  return `${[...name][0] ?? ''}${'*'.repeat(Math.max(1, [...name].length - 1))}`;
}

async function toSample(ctx: Ctx, caller: Caller, row: SampleRow): Promise<Sample> {
  // A sample drawn for a wider area shows a narrower caller only its own part of it.
  const overlaps = (code: string) => caller.regions.some((r) => code.startsWith(r) || r.startsWith(code));
  const base = {
    id: row.id,
    kind: row.kind as Sample['kind'],
    period: row.period,
    regionCode: row.region_code,
    seed: row.seed,
    size: row.size as Size,
    parentId: row.parent_id,
    population: row.population,
    strata: (row.strata as Sample['strata']).filter((s) => overlaps(s.stratum)),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
  if (row.kind === 'communities') return { ...base, communities: row.items.filter((c) => inRegions(caller, c)) };
  const reveal = caller.scopes.has('pii:read');
  const people = row.items.length
    ? await assessmentDb(ctx).selectFrom('job_seekers').select(['id', 'community_code', 'name_enc', 'phone_enc']).where('id', 'in', row.items).orderBy('community_code').orderBy('id').execute()
    : [];
  const contacts = people.filter((p) => inRegions(caller, p.community_code)).map((p) => {
    const name = p.name_enc ? ctx.pii.decrypt(p.name_enc, seekerPii(p.id, 'name_enc')) : '';
    const phone = p.phone_enc ? ctx.pii.decrypt(p.phone_enc, seekerPii(p.id, 'phone_enc')) : null;
    return { seekerId: p.id, communityCode: p.community_code, name: reveal || !name ? name : maskName(name), phone: phone && !reveal ? maskPhone(phone) : phone };
  });
  return { ...base, contacts };
}

/** Draws applicant communities for on-site checks, stratified by district, and stores the draw. */
export async function drawCommunitySample(ctx: Ctx, caller: Caller, input: { period: string; regionCode: string; seed: string; size: Size }): Promise<Sample> {
  const prefixes = visiblePrefixes(caller, input.regionCode);
  if (prefixes.length === 0) throw problems.outsideRegions('body.regionCode');
  const db = assessmentDb(ctx);
  const applicants = await applicantsUnder(db, prefixes, input.period);
  if (applicants.length === 0) throw problems.unprocessable(`No community under ${input.regionCode} applied for ${input.period}`);
  const drawn = sampleCommunities(applicants, input.seed, input.size);
  const row = await db
    .insertInto('assessment_samples')
    .values({
      id: randomUUID(),
      kind: 'communities',
      period: input.period,
      region_code: input.regionCode,
      seed: input.seed,
      size: JSON.stringify(input.size),
      parent_id: null,
      population: applicants.length,
      items: drawn.items,
      strata: JSON.stringify(drawn.strata),
      created_by: caller.sub,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSample(ctx, caller, row);
}

/** Picks about 1% of the registered unemployed of a community sample's communities for a phone survey. */
export async function drawPhoneSurvey(ctx: Ctx, caller: Caller, input: { parentId: string; seed: string; fraction?: number }): Promise<Sample> {
  const db = assessmentDb(ctx);
  const parent = await db.selectFrom('assessment_samples').selectAll().where('id', '=', input.parentId).where('kind', '=', 'communities').executeTakeFirst();
  if (!parent || visiblePrefixes(caller, parent.region_code).length === 0) throw problems.notFound('Community sample');
  const visible = visiblePrefixes(caller, parent.region_code);
  const communities = parent.items.filter((c) => visible.some((p) => c.startsWith(p)));
  const people = communities.length
    ? await db.selectFrom('job_seekers').select(['id', 'community_code']).where('community_code', 'in', communities).where('status', '=', 'unemployed').execute()
    : [];
  const fraction = input.fraction ?? 0.01;
  const drawn = samplePhoneSurvey(people, input.seed, { key: (p) => p.id, community: (p) => p.community_code, fraction });
  const row = await db
    .insertInto('assessment_samples')
    .values({
      id: randomUUID(),
      kind: 'phone-survey',
      period: parent.period,
      region_code: parent.region_code,
      seed: input.seed,
      size: JSON.stringify({ fraction }),
      parent_id: parent.id,
      population: people.length,
      items: drawn.items.map((p) => p.id),
      strata: JSON.stringify(drawn.strata),
      created_by: caller.sub,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSample(ctx, caller, row);
}

export async function getSample(ctx: Ctx, caller: Caller, id: string): Promise<Sample> {
  const row = await assessmentDb(ctx).selectFrom('assessment_samples').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || visiblePrefixes(caller, row.region_code).length === 0) throw problems.notFound('Sample');
  return toSample(ctx, caller, row);
}
