/**
 * Loads a small demo city into empty services through their public APIs, so
 * that a newcomer who runs `pnpm start` sees real matches at once: the demo
 * city's households and seekers through registration's bulk import, its
 * employers and vacancies through job postings, the 29 assistance bases, then
 * (once the events have reached matching's projection) one matching run.
 * Services that already hold seekers are left alone.
 *
 *   pnpm exec tsx scripts/demo-seed.ts --seekers 1000   (against the running services)
 */
import { HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { createDemoCity } from '../packages/demo-city/src/index.ts';
import { DEMO_BASES } from '@reemploy/assistance-bases/demo';
import { ApiError, call } from '@reemploy/cli/http';

export interface DemoSeedOptions {
  baseUrls: { registration: string; jobPostings: string; matching: string; assistanceBases: string };
  /** A token with the scopes of SEED_SCOPES over the city. */
  token: string;
  seekers: number;
  seed?: string;
  log?: (line: string) => void;
  /** How long to wait for the events to reach matching and for the run. */
  timeoutMs?: number;
}

export const SEED_SCOPES = ['seekers:read', 'seekers:write', 'employers:write', 'vacancies:read', 'vacancies:write', 'aid-bases:read', 'aid-bases:write', 'matching:read', 'matching:run'];

export type DemoSeedResult =
  | { skipped: string }
  | { seekers: number; households: number; employers: number; vacancies: number; bases: number; runId: string; recommendations: number };

export async function seedDemoCity(o: DemoSeedOptions): Promise<DemoSeedResult> {
  const log = o.log ?? (() => undefined);
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  // The CLI's client (bearer token, retries on 429/503); a refusal is an answer here, not an error.
  const send = async (base: string, method: string, path: string, body?: unknown, contentType = 'application/json') => {
    try {
      const res = await call(`${base}${path}`, { method, token: o.token, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), contentType }) });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, json: (err.problem ?? {}) as Record<string, unknown> };
      throw err;
    }
  };
  const { registration, jobPostings, matching, assistanceBases } = o.baseUrls;

  const existing = await send(registration, 'GET', '/v1/job-seekers?limit=1');
  if (existing.status !== 200) throw new Error(`registration answered ${existing.status} to the list of seekers`);
  if ((existing.json.items as unknown[]).length > 0) return { skipped: 'registration already holds seekers' };

  const city = createDemoCity({ seed: o.seed ?? 'suzhou', seekers: o.seekers, at: new Date() });

  // People, with their households named by ledger key, in one upload.
  const rows: string[] = [];
  let households = 0;
  for (const h of city.households()) {
    households += 1;
    // The import's row: the household's fields flat, the certificate as two columns, the spouse by identity number.
    const { minimumLivelihood, ...household } = h.registration;
    const certificate = minimumLivelihood ? { minimumLivelihoodCertificate: minimumLivelihood.certificateNumber, minimumLivelihoodSince: minimumLivelihood.since } : {};
    for (const m of h.members) {
      const spouse = h.members.find((s) => s.key === m.spouseKey);
      rows.push(JSON.stringify({ ...m.registration, householdKey: h.key, ...household, ...certificate, ...(spouse ? { spouseIdNumber: spouse.registration.idNumber } : {}), communityCode: m.registration.communityCode }));
    }
  }
  const imported = await send(registration, 'POST', '/v1/job-seekers/import', rows.join('\n'), 'application/x-ndjson');
  if (imported.status !== 200) throw new Error(`the import answered ${imported.status}: ${JSON.stringify(imported.json).slice(0, 300)}`);
  const report = imported.json as { created: number; failed: number; report: { status: string; id?: string }[] };
  log(`registration: ${report.created} seekers in ${households} households (${report.failed} rows refused)`);

  let bases = 0;
  for (const b of DEMO_BASES) if ((await send(assistanceBases, 'POST', '/v1/aid-bases', b)).status === 201) bases += 1;
  log(`assistance bases: ${bases}`);

  const employerIds = new Map<string, string>();
  for (const e of city.employers()) {
    const res = await send(jobPostings, 'POST', '/v1/employers', e.registration);
    const id = (res.json.id ?? res.json.existingId) as string | undefined;
    if (id) employerIds.set(e.key, id);
  }
  let vacancies = 0;
  let lastVacancy: string | undefined;
  const refused = new Map<string, number>();
  for (const v of city.vacancies()) {
    const employerId = employerIds.get(v.registration.employerId);
    if (!employerId) continue;
    const r = v.registration;
    // Community public-welfare posts are for hardship groups (SPEC §3): the API wants them named.
    const reservedFor = r.kind === 'public-welfare' && r.reservedFor.length === 0 ? [...HARDSHIP_CATEGORIES] : r.reservedFor;
    const res = await send(jobPostings, 'POST', '/v1/vacancies', { ...r, employerId, reservedFor });
    if (res.status === 201) {
      vacancies += 1;
      lastVacancy = res.json.id as string;
    } else {
      const code = String(res.json.code ?? res.status);
      refused.set(code, (refused.get(code) ?? 0) + 1);
    }
  }
  // The generator may repeat a post (same employer, occupation, community, title): job postings reports it as a duplicate.
  log(`job postings: ${employerIds.size} employers, ${vacancies} vacancies${refused.size ? ` (not collected: ${[...refused].map(([c, n]) => `${n} ${c}`).join(', ')})` : ''}`);

  // Matching learns of both through events: wait until its projection holds the last of each.
  const lastSeeker = [...report.report].reverse().find((r) => r.status === 'created')?.id;
  for (;;) {
    const seen = await Promise.all([
      lastSeeker ? send(matching, 'GET', `/v1/job-seekers/${lastSeeker}/matches?limit=1`).then((r) => r.status === 200) : true,
      lastVacancy ? send(matching, 'GET', `/v1/vacancies/${lastVacancy}/candidates?limit=1`).then((r) => r.status === 200) : true,
    ]);
    if (seen.every(Boolean)) break;
    if (Date.now() > deadline) throw new Error('matching did not receive the demo city in time');
    await new Promise((r) => setTimeout(r, 250));
  }
  const posted = await send(matching, 'POST', '/v1/matching-runs', { regionCode: '3205' });
  if (posted.status !== 202) throw new Error(`POST /v1/matching-runs answered ${posted.status}`);
  const runId = posted.json.id as string;
  for (;;) {
    const run = (await send(matching, 'GET', `/v1/matching-runs/${runId}`)).json as { status: string; recommendations: number; error?: string };
    if (run.status === 'completed') {
      log(`matching: run ${runId} completed, ${run.recommendations} recommendations`);
      return { seekers: report.created, households, employers: employerIds.size, vacancies, bases, runId, recommendations: run.recommendations };
    }
    if (run.status === 'failed') throw new Error(`the demo matching run failed: ${run.error ?? ''}`);
    if (Date.now() > deadline) throw new Error('the demo matching run did not finish in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}
