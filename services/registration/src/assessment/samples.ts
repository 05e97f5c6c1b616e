import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { sampleCommunities, samplePhoneSurvey } from '@reemploy/assessment';
import { maskPhone } from '@reemploy/domain/phone';
import { decodeCursor, encodeCursor, inRegions, problems, seesFiguresOf, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { maskName } from '../job-seekers/view.ts';
import { seekerPii } from '../job-seekers/pii.ts';
import { applicantsUnder } from './service.ts';
import { assessmentDb } from './tables.ts';
import { contactCursor } from './schemas.ts';

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
  /** Absent unless the sample's region lies inside the caller's regions (seesFiguresOf). */
  population?: number;
  strata: { stratum: string; population: number; drawn: number }[];
  communities?: string[];
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

/**
 * A sample as the caller may see it. One drawn for a wider area (a district's, the city's) shows
 * a narrower caller only its own part: the communities drawn inside its regions and the strata
 * that lie inside them. The sample's population and any wider stratum count people or
 * communities outside them: withheld under the rule matching runs follow (`seesFiguresOf`).
 */
function toSample(caller: Caller, row: SampleRow): Sample {
  const base = {
    id: row.id,
    kind: row.kind as Sample['kind'],
    period: row.period,
    regionCode: row.region_code,
    seed: row.seed,
    size: row.size as Size,
    parentId: row.parent_id,
    ...(seesFiguresOf(caller, row.region_code) ? { population: row.population } : {}),
    strata: (row.strata as Sample['strata']).filter((s) => seesFiguresOf(caller, s.stratum)),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
  // A phone survey's people are read through its contacts, a page at a time (surveyContacts).
  return row.kind === 'communities' ? { ...base, communities: row.items.filter((c) => inRegions(caller, c)) } : base;
}

/** Draws applicant communities for on-site checks, stratified by district, and stores the draw. */
export async function drawCommunitySample(ctx: RegistrationContext, caller: Caller, input: { period: string; regionCode: string; seed: string; size: Size }): Promise<Sample> {
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
  return toSample(caller, row);
}

/**
 * Picks about 1% of the registered unemployed of a community sample's communities for a phone
 * survey: at most PHONE_SURVEY_MAX_FRACTION of them, and never more than PHONE_SURVEY_MAX_CONTACTS.
 */
export async function drawPhoneSurvey(ctx: RegistrationContext, caller: Caller, input: { parentId: string; seed: string; fraction?: number }): Promise<Sample> {
  const fraction = input.fraction ?? 0.01;
  if (fraction > ctx.env.PHONE_SURVEY_MAX_FRACTION) throw problems.field('body.fraction', `must be at most ${ctx.env.PHONE_SURVEY_MAX_FRACTION}`);
  const db = assessmentDb(ctx);
  const parent = await db.selectFrom('assessment_samples').selectAll().where('id', '=', input.parentId).where('kind', '=', 'communities').executeTakeFirst();
  if (!parent || visiblePrefixes(caller, parent.region_code).length === 0) throw problems.notFound('Community sample');
  const visible = visiblePrefixes(caller, parent.region_code);
  const communities = parent.items.filter((c) => visible.some((p) => c.startsWith(p)));
  const people = communities.length
    ? await db.selectFrom('job_seekers').select(['id', 'community_code']).where('community_code', 'in', communities).where('status', '=', 'unemployed').execute()
    : [];
  const drawn = samplePhoneSurvey(people, input.seed, { key: (p) => p.id, community: (p) => p.community_code, fraction, maxCount: ctx.env.PHONE_SURVEY_MAX_CONTACTS });
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
  return toSample(caller, row);
}

async function visibleSample(ctx: RegistrationContext, caller: Caller, id: string): Promise<SampleRow> {
  const row = await assessmentDb(ctx).selectFrom('assessment_samples').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || visiblePrefixes(caller, row.region_code).length === 0) throw problems.notFound('Sample');
  return row;
}

export async function getSample(ctx: RegistrationContext, caller: Caller, id: string): Promise<Sample> {
  return toSample(caller, await visibleSample(ctx, caller, id));
}

/**
 * A page of the people a phone survey drew inside the caller's regions, by
 * community: names and phones masked without pii:read. They are people's
 * contacts: besides the survey's assessment:read, the caller needs seekers:read.
 */
export async function surveyContacts(ctx: RegistrationContext, caller: Caller, id: string, page: { limit: number; cursor?: string | undefined }) {
  const after = decodeCursor(page.cursor, contactCursor);
  const sample = await visibleSample(ctx, caller, id);
  if (sample.kind !== 'phone-survey') throw problems.notFound('Phone survey');
  if (!caller.scopes.has('seekers:read')) throw problems.forbidden('A phone survey\'s contacts are people: reading them requires the scope "seekers:read" too');
  if (!sample.items.length) return { items: [], nextCursor: null };
  let q = assessmentDb(ctx)
    .selectFrom('job_seekers')
    .select(['id', 'community_code', 'name_enc', 'phone_enc'])
    .where('id', 'in', sample.items)
    .where(sql<boolean>`community_code like any(${caller.regions.map((r) => `${r}%`)}::text[])`)
    .orderBy('community_code')
    .orderBy('id')
    .limit(page.limit + 1);
  if (after) q = q.where(sql<boolean>`(community_code, id) > (${after.community}, ${after.id}::uuid)`);
  const rows = await q.execute();
  const shown = rows.slice(0, page.limit);
  const reveal = caller.scopes.has('pii:read');
  const items: SurveyContact[] = shown.map((p) => {
    const name = p.name_enc ? ctx.pii.decrypt(p.name_enc, seekerPii(p.id, 'name_enc')) : '';
    const phone = p.phone_enc ? ctx.pii.decrypt(p.phone_enc, seekerPii(p.id, 'phone_enc')) : null;
    return { seekerId: p.id, communityCode: p.community_code, name: reveal || !name ? name : maskName(name), phone: phone && !reveal ? maskPhone(phone) : phone };
  });
  const last = shown.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ community: last.community_code, id: last.id }) : null };
}
