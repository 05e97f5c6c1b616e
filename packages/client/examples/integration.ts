/**
 * An integration through the typed client, from registration to a hire:
 *
 *   1. register a household and two seekers, spouses both out of work
 *      (the household is then ZERO_EMPLOYMENT_HOUSEHOLD and DUAL_UNEMPLOYED);
 *   2. collect a vacancy from an employer (job postings);
 *   3. wait until matching has heard of them (its projection is fed by events),
 *      start a matching run and poll it to the end;
 *   4. read the matches: the run's recommendations, with score and reasons;
 *   5. refer the first spouse to the vacancy and record the hire;
 *   6. see the household's categories change once the hire has reached
 *      registration (matching publishes it; registration records the employment).
 *
 * Run it against running services (`pnpm start`) with a token holding the
 * scopes below: against development services a development token, e.g.
 *
 *   TOKEN=$(pnpm --silent reemploy token --regions 3205 --scopes seekers:read,seekers:write,employers:write,vacancies:read,vacancies:write,matching:read,matching:run,referrals:write)
 *   REEMPLOY_TOKEN=$TOKEN pnpm exec tsx packages/client/examples/integration.ts
 *
 * and against production an access token from the identity provider naming
 * every service in `aud` (reemploy-registration, reemploy-job-postings,
 * reemploy-matching, reemploy-assistance-bases).
 *
 * test/api/client-integration.test.ts runs it in the suite against the four real
 * services and their workers.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createReemployClient, type ReemployClientOptions } from '../src/index.ts';

export interface IntegrationOptions extends ReemployClientOptions {
  /** A community inside the token's regions (default 龙港苑社区, 姑苏区, Suzhou). */
  communityCode?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** How long to wait for events to propagate and for the run (default 30 s). */
  timeoutMs?: number;
}

export interface IntegrationResult {
  householdId: string;
  seekerIds: [string, string];
  vacancyId: string;
  runId: string;
  referralId: string;
  /** The run's score of the vacancy for the hired seeker, with its reasons. */
  match: { score: number; reasons: string[] };
  categoriesBefore: string[];
  categoriesAfter: string[];
}

/** Every call answers data or a problem+json error; this turns the error into an exception. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`${what}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A made-up but valid resident identity number (GB 11643: area, birth date,
 * sequence with the gender in its last digit, ISO 7064 MOD 11-2 check).
 */
export function exampleIdNumber(areaCode: string, birthDate: string, gender: 'male' | 'female'): string {
  const sequence = randomInt(0, 50) * 2 + (gender === 'male' ? 1 : 0);
  const body = `${areaCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** A made-up but valid unified social credit code (GB 32100: MOD 31 check character), registered in the area. */
export function exampleCreditCode(areaCode: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = `91${areaCode}${Array.from({ length: 9 }, () => alphabet[randomInt(0, 31)]).join('')}`;
  const sum = [...body].reduce((acc, c, i) => acc + alphabet.indexOf(c) * weights[i]!, 0);
  return body + alphabet[(31 - (sum % 31)) % 31]!;
}

export async function exampleIntegration(options: IntegrationOptions): Promise<IntegrationResult> {
  const api = createReemployClient(options);
  const community = options.communityCode ?? '320508024043';
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const skills = ['S010-01', 'S010-02'];

  // 1. A household and two spouses, both unemployed (laid off), with the skills of a security guard.
  const household = ok(await api.registration.POST('/v1/households', { body: { communityCode: community } }), 'create household');
  const register = async (relationship: 'head' | 'spouse', gender: 'male' | 'female', birthDate: string, name: string) =>
    ok(
      await api.registration.POST('/v1/job-seekers', {
        // The same key on a retry returns the first answer instead of registering twice.
        headers: { 'idempotency-key': randomUUID() },
        body: {
          idNumber: exampleIdNumber(community.slice(0, 6), birthDate, gender),
          name,
          communityCode: community,
          householdId: household.id,
          relationship,
          education: 'junior-secondary',
          skills,
          laidOff: true,
        },
      }),
      `register ${relationship}`,
    );
  const head = await register('head', 'male', '1978-04-12', '陈建华');
  const spouse = await register('spouse', 'female', '1980-09-03', '周丽娟');
  const before = ok(await api.registration.GET('/v1/households/{id}', { params: { path: { id: household.id } } }), 'read household');
  log(`household ${household.id}: ${before.hardshipCategories.join(', ')}`);

  // 2. An employer and its vacancy.
  const employer = ok(
    await api.jobPostings.POST('/v1/employers', {
      body: { name: '苏州长发商厦有限公司', creditCode: exampleCreditCode(community.slice(0, 6)), communityCode: community, contactName: '李建国', contactPhone: '13912345678' },
    }),
    'register employer',
  );
  const vacancy = ok(
    await api.jobPostings.POST('/v1/vacancies', {
      body: {
        employerId: employer.id,
        title: '商场保安员',
        occupationCode: '4-07-01',
        skills,
        minAge: 18,
        maxAge: 55,
        educationMin: 'junior-secondary',
        wageMin: 3500,
        wageMax: 4500,
        headcount: 1,
        communityCode: community,
        kind: 'regular',
        source: 'employer',
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
    }),
    'create vacancy',
  );
  log(`vacancy ${vacancy.id}: ${vacancy.title}`);

  // 3. Matching learns of seekers and vacancies from events: wait until it ranks this vacancy for the head.
  await until('matching to hear of the seekers and the vacancy', timeoutMs, async () => {
    const matches = ok(await api.matching.GET('/v1/job-seekers/{id}/matches', { params: { path: { id: head.id }, query: { limit: 20 } } }), 'on-demand matches');
    return matches.items.some((m) => m.vacancyId === vacancy.id) ? true : undefined;
  });
  const started = ok(await api.matching.POST('/v1/matching-runs', { body: { regionCode: community.slice(0, 6) } }), 'start matching run');
  const run = await until('the matching run', timeoutMs, async () => {
    const r = ok(await api.matching.GET('/v1/matching-runs/{id}', { params: { path: { id: started.id } } }), 'read run');
    if (r.status === 'failed') throw new Error(`run ${r.id} failed: ${JSON.stringify(r)}`);
    return r.status === 'completed' ? r : undefined;
  });
  log(`run ${run.id} completed`);

  // 4. The run's recommendations for the community: each seeker's ranked vacancies with reasons.
  const recommendations = ok(await api.matching.GET('/v1/recommendations', { params: { query: { communityCode: community } } }), 'recommendations');
  const forHead = recommendations.items.find((s) => s.seekerId === head.id);
  const match = forHead?.items.find((m) => m.vacancyId === vacancy.id);
  if (!match) throw new Error(`run ${run.id} did not recommend vacancy ${vacancy.id} to seeker ${head.id}`);
  const reasons = match.reasons.map((r) => r.en);
  log(`recommended: score ${match.score.toFixed(3)}; ${reasons.join('; ')}`);

  // 5. Refer the head, then record the hire.
  const referral = ok(await api.matching.POST('/v1/referrals', { body: { seekerId: head.id, vacancyId: vacancy.id, referredBy: 'example-integration' } }), 'refer');
  ok(await api.matching.POST('/v1/referrals/{id}/outcome', { params: { path: { id: referral.id } }, body: { outcome: 'hired' } }), 'record the hire');
  log(`referral ${referral.id}: hired`);

  // 6. The hire reaches registration: one spouse works, so the household is no longer dual-unemployed nor zero-employment.
  const after = await until('the hire to reach registration', timeoutMs, async () => {
    const h = ok(await api.registration.GET('/v1/households/{id}', { params: { path: { id: household.id } } }), 'read household');
    return h.hardshipCategories.includes('DUAL_UNEMPLOYED') ? undefined : h;
  });
  log(`household ${household.id}: ${after.hardshipCategories.join(', ') || 'no hardship categories'}`);

  return {
    householdId: household.id,
    seekerIds: [head.id, spouse.id],
    vacancyId: vacancy.id,
    runId: run.id,
    referralId: referral.id,
    match: { score: match.score, reasons },
    categoriesBefore: before.hardshipCategories,
    categoriesAfter: after.hardshipCategories,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.env.REEMPLOY_TOKEN;
  if (!token) throw new Error('set REEMPLOY_TOKEN (see the comment at the top of this file)');
  const result = await exampleIntegration({
    token,
    baseUrls: {
      registration: process.env.REGISTRATION_URL ?? 'http://127.0.0.1:3001',
      jobPostings: process.env.JOB_POSTINGS_URL ?? 'http://127.0.0.1:3002',
      matching: process.env.MATCHING_URL ?? 'http://127.0.0.1:3003',
      assistanceBases: process.env.ASSISTANCE_BASES_URL ?? 'http://127.0.0.1:3004',
    },
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
