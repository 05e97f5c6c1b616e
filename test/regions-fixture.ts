/**
 * A small city spread over three districts, created through the four
 * services' real HTTP routes and events, for the regions property test: every
 * kind of record that carries a region exists in every community below.
 */
import { makeIdNumber } from '@reemploy/domain';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER } from '@reemploy/webhooks';
import type { FastifyInstance } from 'fastify';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../services/assistance-bases/test/helper.ts';
import { creditCode } from '../services/job-postings/test/fixtures.ts';
import type { KnownPii } from './support/pii-leaks.ts';

/** Two communities on one street, one on another street of the same district, two in other districts. */
export const COMMUNITIES = ['320508024043', '320508024001', '320508018036', '320506001012', '320505001002'] as const;

/** Every prefix of the communities above at every level, plus one that covers none of them. */
export const PREFIXES = [...new Set(COMMUNITIES.flatMap((c) => [c.slice(0, 4), c.slice(0, 6), c.slice(0, 9), c]))].concat(['3206', '320507']);

export type Kind =
  | 'household'
  | 'seeker'
  | 'service-record'
  | 'employer'
  | 'vacancy'
  | 'job-fair'
  | 'aid-base'
  | 'reserved-post'
  | 'referral'
  | 'matching-run'
  | 'sample'
  /** A community itself, for routes that take its code (assessments). */
  | 'community';

/** A record the test made or found, with the region it lies in. */
export interface RecordRef {
  kind: Kind;
  id: string;
  /** A community code for point records; a prefix (or null: city-wide) for runs and samples. */
  region: string | null;
  /** For reserved posts: the base they belong to. */
  parentId?: string;
  /** What makes it unique city-wide: a seeker's identity number, an employer's credit code, a base's name. */
  naturalKey?: string;
}

type Test = { after(fn: () => unknown): void };

/** A path segment before a parameter names the kind of record it takes. */
export const PARAM_KIND: Record<string, Kind> = {
  households: 'household',
  'job-seekers': 'seeker',
  vacancies: 'vacancy',
  'job-fairs': 'job-fair',
  employers: 'employer',
  'aid-bases': 'aid-base',
  'reserved-posts': 'reserved-post',
  referrals: 'referral',
  'matching-runs': 'matching-run',
  samples: 'sample',
};

/** Path parameters of routes that hold no record with a region: reference data. */
export const FIXED_PARAMS: Record<string, string[]> = {
  '/v1/regions/:code': ['3205', '320506', ...COMMUNITIES],
  '/v1/taxonomy/occupations/:code': ['4-07-01'],
  '/v1/taxonomy/skills/:code': ['S010-01'],
  '/v1/assessment-standards/:type': ['old-city', 'town'],
};

export type City = Awaited<ReturnType<typeof buildCity>>;

function hoursAgo(h: number) {
  return new Date(Date.now() - h * 3_600_000).toISOString();
}

function shanghaiDay(offsetDays: number) {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export async function call(app: FastifyInstance, method: string, url: string, token: string, payload?: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function ok(res: Awaited<ReturnType<typeof call>>, what: string) {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 400)}`);
  return res.json();
}

type Services = { registration: Svc<typeof buildRegistration>; 'job-postings': Svc<typeof buildJobPostings>; matching: Svc<typeof buildMatching>; 'assistance-bases': Svc<typeof buildAssistanceBases> };
type Svc<B extends (...args: never[]) => unknown> = Awaited<ReturnType<B>>;

async function subscribeToEveryWebhook(services: Services, url: string) {
  for (const [name, svc] of Object.entries(services)) {
    const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => WEBHOOK_PRODUCER[type] === name);
    if (!eventTypes.length) continue;
    const res = await call(svc.app, 'POST', '/v1/webhooks/subscriptions', svc.token(['webhooks:manage', 'seekers:read', 'matching:read']), { url, secret: 'a-secret-of-the-test-city', eventTypes });
    if (res.statusCode !== 201) throw new Error(`${name}: subscription ${res.statusCode} ${res.body}`);
  }
}

/**
 * `webhooksTo`: a loopback receiver's URL that every producing service subscribes to, for every
 * webhook type it offers, before the first record is made (so that deliveries of each exist).
 */
export async function buildCity(t: Test, options: { webhooksTo?: string; env?: Record<string, string> } = {}) {
  const queuePrefix = testQueuePrefix();
  const env = { ...options.env, ...(options.webhooksTo ? { WEBHOOK_ALLOW_LOOPBACK: 'true' } : {}) };
  // A zero-employment household is overdue after a second, so escalations exist.
  const registration = await buildRegistration(t, { queuePrefix, env: { ...env, ZERO_EMPLOYMENT_OFFER_HOURS: '0.0003' } });
  const jobPostings = await buildJobPostings(t, { queuePrefix, env });
  const matching = await buildMatching(t, { queuePrefix, env });
  const assistanceBases = await buildAssistanceBases(t, { queuePrefix, env });
  const services = { registration, 'job-postings': jobPostings, matching, 'assistance-bases': assistanceBases } as const;
  for (const svc of Object.values(services)) await svc.startWorkers();
  if (options.webhooksTo) await subscribeToEveryWebhook(services, options.webhooksTo);

  const ALL_SCOPES = [
    'seekers:read', 'seekers:write', 'pii:read', 'assessment:read', 'assessment:write', 'employers:read', 'employers:write',
    'vacancies:read', 'vacancies:write', 'matching:read', 'matching:run', 'referrals:write', 'aid-bases:read', 'aid-bases:write',
  ];
  const admin = {
    registration: registration.token(ALL_SCOPES),
    'job-postings': jobPostings.token(ALL_SCOPES),
    matching: matching.token(ALL_SCOPES),
    'assistance-bases': assistanceBases.token(ALL_SCOPES),
  };
  const records: RecordRef[] = [];
  const add = (kind: Kind, id: string, region: string | null, parentId?: string, naturalKey?: string) =>
    records.push({ kind, id, region, ...(parentId ? { parentId } : {}), ...(naturalKey ? { naturalKey } : {}) });

  let n = 0;
  const perCommunity = new Map<string, { seeker: string; household: string; vacancy: string; reserved: string; employer: string; base: string }>();
  for (const community of COMMUNITIES) {
    const reg = (m: string, u: string, p?: unknown) => call(registration.app, m, u, admin.registration, p);
    const household = await ok(await reg('POST', '/v1/households', { communityCode: community }), 'household');
    add('household', household.id, community);
    const seekerIds: string[] = [];
    for (const relationship of ['head', 'spouse'] as const) {
      n++;
      const idNumber = makeIdNumber(community.slice(0, 6), `1975-0${(n % 9) + 1}-1${n % 10}`, 300 + n, n % 2 ? 'male' : 'female');
      const seeker = await ok(
        await reg('POST', '/v1/job-seekers', {
          idNumber,
          name: `居民${n}`,
          phone: `139${String(10_000_000 + n).slice(-8)}`,
          communityCode: community,
          householdId: household.id,
          relationship,
          education: 'junior-secondary',
          skills: ['S010-01', 'S010-02'],
          desiredOccupations: ['4-07-01'],
          expectedMonthlyWage: 4000,
          unemployedSince: hoursAgo(24 * 400).slice(0, 10),
        }),
        'seeker',
      );
      add('seeker', seeker.id, community, undefined, idNumber);
      seekerIds.push(seeker.id);
      const record = await ok(await reg('POST', `/v1/job-seekers/${seeker.id}/service-records`, { kind: 'visit', at: hoursAgo(2), coordinatorId: 'c-1', note: '走访' }), 'service record');
      add('service-record', record.id, community);
    }

    const jp = (m: string, u: string, p?: unknown) => call(jobPostings.app, m, u, admin['job-postings'], p);
    const code = creditCode();
    const employer = await ok(
      await jp('POST', '/v1/employers', { name: `苏州${community}有限公司`, creditCode: code, communityCode: community, contactName: '王经理', contactPhone: '13912345678' }),
      'employer',
    );
    add('employer', employer.id, community, undefined, code);
    const vacancyIds: string[] = [];
    for (const kind of ['regular', 'public-welfare'] as const) {
      const vacancy = await ok(
        await jp('POST', '/v1/vacancies', {
          employerId: employer.id,
          title: kind === 'regular' ? '商场保安员' : '社区保洁员',
          occupationCode: '4-07-01',
          skills: ['S010-01', 'S010-02'],
          minAge: 18,
          maxAge: 60,
          educationMin: 'primary',
          wageMin: 3500,
          wageMax: 4500,
          headcount: 3,
          communityCode: community,
          kind,
          ...(kind === 'public-welfare' ? { reservedFor: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD'] } : {}),
          source: 'coordinator',
          validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        }),
        'vacancy',
      );
      add('vacancy', vacancy.id, community);
      vacancyIds.push(vacancy.id);
    }
    const fair = await ok(
      await jp('POST', '/v1/job-fairs', { name: '专场招聘会', date: shanghaiDay(7), startsAt: '09:00', endsAt: '11:30', venue: '人力资源市场', communityCode: community, targetGroups: ['OLDER_4050'] }),
      'job fair',
    );
    add('job-fair', fair.id, community);
    await ok(await jp('POST', `/v1/job-fairs/${fair.id}/vacancies`, { vacancyIds: [vacancyIds[0]] }), 'fair vacancies');

    const ab = (m: string, u: string, p?: unknown) => call(assistanceBases.app, m, u, admin['assistance-bases'], p);
    const baseName = `援助基地${community}`;
    const base = await ok(await ab('POST', '/v1/aid-bases', { name: baseName, communityCode: community, address: '苏州市', sectors: ['零售'], joinedYear: 2010, cohort: 'added' }), 'aid base');
    add('aid-base', base.id, community, undefined, baseName);
    perCommunity.set(community, { seeker: seekerIds[0]!, household: household.id, vacancy: vacancyIds[0]!, reserved: vacancyIds[1]!, employer: employer.id, base: base.id });
  }

  // Assistance bases learn of vacancies from job-postings' events; then each base reserves its community's public-welfare post.
  await eventually(async () => {
    const { rows } = await assistanceBases.ctx.database.pool.query('select count(*)::int as n from vacancies');
    return rows[0].n >= COMMUNITIES.length * 2 ? true : undefined;
  }, 20_000, 100);
  for (const [community, c] of perCommunity) {
    const post = await ok(
      await call(assistanceBases.app, 'POST', `/v1/aid-bases/${c.base}/reserved-posts`, admin['assistance-bases'], { vacancyId: c.reserved, reservedFor: ['OLDER_4050'], quota: 2 }),
      'reserved post',
    );
    add('reserved-post', post.id, community, c.base);
  }

  // Matching learns seekers, vacancies and reserved posts from events.
  await eventually(async () => {
    const { rows } = await matching.ctx.database.pool.query(
      'select (select count(*) from seekers)::int as s, (select count(*) from vacancies)::int as v, (select count(*) from reserved_posts)::int as r',
    );
    const r = rows[0];
    return r.s >= COMMUNITIES.length * 2 && r.v >= COMMUNITIES.length * 2 && r.r >= COMMUNITIES.length ? true : undefined;
  }, 20_000, 100);

  // A referral per community: the first to the reserved post and hired (a placement, an employment change);
  // the others to a regular vacancy, which is no offer, so their households stay overdue (escalations).
  let first = true;
  for (const [community, c] of perCommunity) {
    const vacancyId = first ? c.reserved : c.vacancy;
    const referral = await ok(await call(matching.app, 'POST', '/v1/referrals', admin.matching, { seekerId: c.seeker, vacancyId, referredBy: '王主任' }), 'referral');
    add('referral', referral.id, community);
    if (first) {
      await ok(await call(matching.app, 'POST', `/v1/referrals/${referral.id}/outcome`, admin.matching, { outcome: 'hired' }), 'hire');
      first = false;
    }
  }

  // Matching runs: one city-wide and one per district, so recommendations exist everywhere.
  const runToken = (region: string) => matching.token(['matching:run', 'matching:read'], [region]);
  for (const region of ['3205', '320506']) {
    const run = await ok(await call(matching.app, 'POST', '/v1/matching-runs', runToken(region), {}), 'run');
    add('matching-run', run.id, region);
    await eventually(async () => {
      const res = await call(matching.app, 'GET', `/v1/matching-runs/${run.id}`, admin.matching);
      const status = res.json().status;
      return status === 'completed' || status === 'failed' ? true : undefined;
    }, 30_000, 100);
  }

  // Assessment: every community applies; a sample of communities per city.
  const period = new Date().toISOString().slice(0, 7);
  await ok(await call(registration.app, 'POST', '/v1/assessments/applications', admin.registration, { period, communityCodes: [...COMMUNITIES] }), 'applications');
  for (const region of ['3205', '320508']) {
    const sampler = registration.token(['assessment:write', 'assessment:read'], [region]);
    const sample = await ok(
      await call(registration.app, 'POST', '/v1/assessments/samples', sampler, { kind: 'communities', period, regionCode: region, seed: `s-${region}`, count: 2 }),
      'sample',
    );
    add('sample', sample.id, region);
    // A phone survey of the district's sampled communities: its contacts are people.
    if (region === '320508') {
      const survey = await ok(await call(registration.app, 'POST', '/v1/assessments/samples', sampler, { kind: 'phone-survey', sampleId: sample.id, seed: 'phone' }), 'phone survey');
      add('sample', survey.id, region);
    }
  }

  // The placement (assistance-bases) and the employment change (registration) arrive by events.
  // (A placement is keyed by its referral, which is a record above.)
  await eventually(async () => {
    const { rows } = await assistanceBases.ctx.database.pool.query('select count(*)::int as n from placements');
    return rows[0].n > 0 ? true : undefined;
  }, 20_000, 100);
  // Overdue zero-employment households: every household but the one with a hire.
  await eventually(async () => {
    const res = await call(registration.app, 'GET', '/v1/escalations', admin.registration);
    return res.statusCode === 200 && res.json().items.length >= COMMUNITIES.length - 1 ? true : undefined;
  }, 20_000, 200);

  return { services, records, period, admin, perCommunity };
}

/** The city's people and employer contacts, read unmasked by a caller that may (for the PII walks). */
export async function cityPii(city: Pick<City, 'services'>): Promise<KnownPii> {
  const { registration, 'job-postings': jobPostings } = city.services;
  const reader = registration.token(['seekers:read', 'pii:read']);
  const seekers = (await call(registration.app, 'GET', '/v1/job-seekers?limit=500', reader)).json().items as { idNumber: string; phone: string | null }[];
  const contacts = jobPostings.token(['employers:read', 'pii:read']);
  const employers = (await call(jobPostings.app, 'GET', '/v1/employers?limit=500', contacts)).json().items as { contactPhone: string | null }[];
  return {
    idNumbers: seekers.map((s) => s.idNumber),
    phones: [...seekers.map((s) => s.phone), ...employers.map((e) => e.contactPhone)].filter((p): p is string => !!p),
  };
}
