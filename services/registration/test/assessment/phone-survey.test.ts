/**
 * Issue #18, finding 10: a phone survey drew every unemployed person of the
 * sampled communities (fraction 1) and listed their names and phones in one
 * unpaginated answer to any assessment:read caller. The draw is capped (share
 * and number), the sample shows counts only, and its contacts are read a page
 * at a time with seekers:read besides assessment:read, phones masked without
 * pii:read, every contact shown audited.
 */
import t from 'tap';
import { build } from '../helper.ts';
import { addSeeker, serveCommunity } from './fixtures.ts';

type Svc = Awaited<ReturnType<typeof build>>;

const PERIOD = '2025-12';
const [A, B] = ['320508024043', '320506001012'];
const MAX_CONTACTS = 30;

async function setUp(t: { after(fn: () => unknown): void }) {
  const svc = await build(t, { env: { PHONE_SURVEY_MAX_FRACTION: '0.1', PHONE_SURVEY_MAX_CONTACTS: String(MAX_CONTACTS) } });
  for (const [community, people] of [[A, 240], [B, 160]] as const) {
    for (let i = 0; i < people; i++) await addSeeker(svc.ctx, { community, name: '李建国', phone: `139${String(10_000_000 + i).slice(-8)}` });
    await serveCommunity(svc.ctx, community);
  }
  const call = (method: 'GET' | 'POST', url: string, scopes: string[], regions = ['3205'], payload?: unknown) =>
    svc.app.inject({ method, url, headers: { authorization: `Bearer ${svc.token(scopes, regions, { sub: 'bureau-survey' })}` }, ...(payload ? { payload: payload as object } : {}) });
  const applied = await call('POST', '/v1/assessments/applications', ['assessment:write'], ['3205'], { period: PERIOD, communityCodes: [A, B] });
  if (applied.statusCode !== 201) throw new Error(applied.body);
  const sample = await call('POST', '/v1/assessments/samples', ['assessment:write'], ['3205'], { kind: 'communities', period: PERIOD, regionCode: '3205', seed: 's', count: 2 });
  if (sample.statusCode !== 201) throw new Error(sample.body);
  return { svc, call, sampleId: sample.json().id as string };
}

async function auditRows(svc: Svc) {
  const { rows } = await svc.ctx.database.pool.query("select record_id, region, route from pii_audit where record_type = 'survey-contact' order by id");
  return rows as { record_id: string; region: string; route: string }[];
}

t.test('a phone survey is capped in share and in number, and its answer lists nobody', async (t) => {
  const { call, sampleId } = await setUp(t);
  const draw = (fraction?: number) => call('POST', '/v1/assessments/samples', ['assessment:write', 'seekers:read', 'pii:read'], ['3205'], { kind: 'phone-survey', sampleId, seed: 'phone', ...(fraction ? { fraction } : {}) });
  const everyone = await draw(1);
  t.equal(everyone.statusCode, 400, 'a fraction above PHONE_SURVEY_MAX_FRACTION is refused');
  t.equal(everyone.json().errors[0].field, 'body.fraction');
  t.notOk(everyone.body.includes('139'), 'and shows nobody');

  const capped = await draw(0.1);
  t.equal(capped.statusCode, 201, capped.body);
  const survey = capped.json();
  t.equal(survey.population, 400);
  t.same(survey.strata.map((s: { stratum: string; drawn: number }) => [s.stratum, s.drawn]), [[B, 12], [A, 18]], 'at most PHONE_SURVEY_MAX_CONTACTS (not 40), in proportion per community');
  t.notOk('contacts' in survey, 'the survey itself lists no contact');
  t.notOk(/李|139\d{8}|139\*/.test(capped.body), 'no name or phone in its answer');
  const stored = await call('GET', `/v1/assessments/samples/${survey.id}`, ['assessment:read', 'seekers:read', 'pii:read']);
  t.notOk(/李|139\d{8}|139\*/.test(stored.body), 'nor when read again');

  const usual = await draw();
  t.same(usual.json().strata.map((s: { drawn: number }) => s.drawn), [2, 2], 'the default ~1%, at least one per community');
});

t.test('survey contacts come a page at a time, need seekers:read, show phones masked without pii:read and are audited', async (t) => {
  const { svc, call, sampleId } = await setUp(t);
  const survey = (await call('POST', '/v1/assessments/samples', ['assessment:write'], ['3205'], { kind: 'phone-survey', sampleId, seed: 'phone', fraction: 0.1 })).json();
  const contacts = `/v1/assessments/samples/${survey.id}/contacts`;

  t.equal((await call('GET', contacts, ['assessment:read'])).statusCode, 403, 'assessment:read alone is not enough');
  t.equal((await call('GET', contacts, ['seekers:read'])).statusCode, 403, 'nor seekers:read alone');
  t.same(await auditRows(svc), [], 'a refusal shows and audits nothing');

  const masked = ['assessment:read', 'seekers:read'];
  const pages: { seekerId: string; communityCode: string; name: string; phone: string | null }[][] = [];
  let url: string | undefined = `${contacts}?limit=8`;
  while (url) {
    const res = await call('GET', url, masked);
    t.equal(res.statusCode, 200, res.body);
    pages.push(res.json().items);
    url = res.json().nextCursor ? `${contacts}?limit=8&cursor=${res.json().nextCursor}` : undefined;
  }
  const all = pages.flat();
  t.same(pages.map((p) => p.length), [8, 8, 8, 6], 'pages of the limit asked for');
  t.equal(new Set(all.map((c) => c.seekerId)).size, MAX_CONTACTS, 'every contact once');
  t.ok(all.every((c) => c.name === '李**' && /^139\*{4}\d{4}$/.test(c.phone ?? '')), 'names and phones masked without pii:read');
  t.same(
    (await auditRows(svc)).map((r) => [r.record_id, r.region, r.route]),
    all.map((c) => [c.seekerId, c.communityCode, '/v1/assessments/samples/:id/contacts']),
    'every contact shown is audited, masked or not, with its region',
  );

  const revealed = (await call('GET', `${contacts}?limit=500`, [...masked, 'pii:read'])).json().items as typeof all;
  t.same(revealed.map((c) => c.seekerId), all.map((c) => c.seekerId), 'the same people in the same order');
  t.ok(revealed.every((c) => c.name === '李建国' && /^139\d{8}$/.test(c.phone ?? '')), 'unmasked with pii:read');

  const district = (await call('GET', `${contacts}?limit=500`, masked, ['320506'])).json().items as typeof all;
  t.ok(district.length > 0 && district.every((c) => c.communityCode === B), "a district's caller sees its own people only");
  t.equal((await call('GET', contacts, masked, ['3206'])).statusCode, 404, 'a caller in another city finds nothing');
  t.equal((await call('GET', `/v1/assessments/samples/${sampleId}/contacts`, masked)).statusCode, 404, 'a community sample has no contacts');
});
