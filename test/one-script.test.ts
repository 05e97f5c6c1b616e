/**
 * Issue #19, item 9: one answer, one script. The city's staff read simplified
 * Chinese and the region names are simplified, so everything the services say
 * in Chinese (reasons, category and criterion labels, ledger headers and sheet
 * names, the dashboard, the documents) is simplified by default; a caller that
 * prefers traditional Chinese (Accept-Language zh-Hant, zh-TW, zh-HK) gets it
 * converted. A small city is made in all four services (regions-fixture.ts)
 * and every GET route is walked (test/support/get-walk.ts), once as a caller
 * that names no language and once as one that asks for zh-Hant.
 *
 * A traditional-only character is one OpenCC's traditional-to-simplified
 * converter changes (in its context: 著 stays in 著名), so no list of
 * characters is kept here.
 */
import t from 'tap';
import { toSimplified, toTraditional } from '@reemploy/domain/script';
import { buildCity, call, COMMUNITIES } from './regions-fixture.ts';
import { walkGetRoutes, type Answer } from './support/get-walk.ts';

const HAN = /\p{Script=Han}/u;

/** Where `converted` differs from `text`: each changed character with a few around it. */
function changedIn(text: string, converted: string): string[] {
  if (converted === text) return [];
  const a = [...text];
  const b = [...converted];
  if (a.length !== b.length) return [`${text.slice(0, 40)}… → ${converted.slice(0, 40)}…`];
  const out: string[] = [];
  a.forEach((c, i) => {
    if (c !== b[i]) out.push(`${c} in “${a.slice(Math.max(0, i - 4), i + 5).join('')}”`);
  });
  return out;
}

/** The characters of a text that only traditional Chinese writes. */
const traditionalOnly = (text: string) => changedIn(text, toSimplified(text));
/** The runs of Chinese characters of a text, in order. */
const chineseRuns = (text: string) => text.match(/\p{Script=Han}+/gu) ?? [];

/** The text an answer shows: its body, or for a workbook its sheets' names and cells. */
function textOf(res: Answer, body: unknown): string {
  return String(res.headers['content-type'] ?? '').includes('spreadsheetml') ? JSON.stringify(body) : res.body;
}

/** Pages outside /v1 with Chinese text: the dashboard, its script, and the OpenAPI documents (not converted). */
const PAGES = { '/dashboard': [], '/dashboard/:file': ['dashboard.js'], '/docs/json': [] };
const negotiated = (key: string) => / GET \/(v1|dashboard$)/.test(key);

/** Routes whose answers must show Chinese text, so the walk cannot pass by seeing none. */
const MUST_SHOW_CHINESE = [
  'matching GET /v1/job-seekers/:id/matches',
  'matching GET /v1/recommendations',
  'registration GET /v1/ledgers/monthly',
  'registration GET /v1/dashboard',
  'registration GET /v1/regions/:code',
  'registration GET /dashboard',
  'job-postings GET /v1/taxonomy/occupations',
];

const city = await buildCity({ after: (fn) => t.teardown(fn) });

/**
 * Official names keep the characters they are published with (洩水村委会, 乾盛兰庭社区居委会): a
 * converter would change them, so the region names it would change are taken out before looking.
 */
const { rows: regions } = await city.services.registration.ctx.database.pool.query<{ name: string }>('select name from regions');
const properNames = regions.map((r) => r.name).filter((name) => toSimplified(name) !== name);
const withoutProperNames = (text: string) => properNames.reduce((rest, name) => rest.replaceAll(name, ''), text);

/** What each default answer said in Chinese, by route and URL, to compare with its zh-Hant twin. */
const defaultRuns = new Map<string, string[]>();

t.test('no answer of a caller that names no language holds a traditional-only character', async (t) => {
  const found: string[] = [];
  const chinese = new Set<string>();
  const formats = new Set<string>();
  const { routes, unfilled } = await walkGetRoutes(
    city,
    ({ key, url, res, body }) => {
      const text = textOf(res, body);
      if (!HAN.test(text)) return;
      if (negotiated(key)) defaultRuns.set(`${key} ${url}`, chineseRuns(text));
      chinese.add(key);
      formats.add(String(res.headers['content-type']).split(';')[0]!);
      const traditional = traditionalOnly(withoutProperNames(text));
      if (traditional.length) found.push(`${key} ${url}: ${[...new Set(traditional)].slice(0, 8).join(', ')}`);
      if (negotiated(key)) t.equal(res.headers['content-language'], 'zh-Hans', `${key}: Content-Language zh-Hans`);
    },
    { beyondV1: PAGES },
  );
  t.ok(properNames.length < 10, `official names kept as published: ${properNames.join(', ')}`);
  t.same(unfilled, [], 'every GET route could be called');
  t.ok(routes.length > 40, `${routes.length} routes walked`);
  for (const key of MUST_SHOW_CHINESE) t.ok(chinese.has(key), `${key} showed Chinese text`);
  t.ok(formats.has('text/csv') && formats.has('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), `Chinese seen in ${[...formats].join(', ')}`);
  t.ok(chinese.size >= 20, `${chinese.size} routes showed Chinese text`);
  t.same(found, [], 'no default answer holds a traditional-only character');
});

t.test('a caller that asks for zh-Hant reads traditional Chinese', async (t) => {
  const unconverted: string[] = [];
  const missingHeaders: string[] = [];
  let compared = 0;
  let reason = false;
  let sheets: string[] = [];
  let csvHeader = '';
  await walkGetRoutes(
    city,
    ({ key, url, res, body }) => {
      if (!negotiated(key)) return;
      if (!String(res.headers.vary ?? '').toLowerCase().includes('accept-language')) missingHeaders.push(`${key}: no Vary: Accept-Language`);
      const text = textOf(res, body);
      if (!HAN.test(text)) return;
      if (res.headers['content-language'] !== 'zh-Hant') missingHeaders.push(`${key}: Content-Language ${String(res.headers['content-language'])}`);
      // Each run of Chinese characters is the default answer's, converted to Taiwan's forms.
      const before = defaultRuns.get(`${key} ${url}`);
      if (before) {
        compared++;
        const expected = before.map((run) => toTraditional(run, 'tw'));
        const runs = chineseRuns(text);
        const differ = runs.length === expected.length ? runs.flatMap((run, i) => (run === expected[i] ? [] : [`${run} (expected ${expected[i]})`])) : [`${runs.length} runs, ${expected.length} expected`];
        if (differ.length) unconverted.push(`${key} ${url}: ${differ.slice(0, 5).join(', ')}`);
      }
      if (key === 'matching GET /v1/job-seekers/:id/matches' && /"zh":"[^"]*就業/.test(text)) reason = true;
      if (key === 'registration GET /v1/ledgers/monthly' && url.includes('format=xlsx')) sheets = Object.keys(body as object);
      if (key === 'registration GET /v1/ledgers/monthly' && url.includes('format=csv')) csvHeader = text.split('\r\n')[0]!;
    },
    { headers: { 'accept-language': 'zh-Hant' }, beyondV1: PAGES },
  );
  t.same(missingHeaders, [], 'every answer says Vary: Accept-Language, and Content-Language zh-Hant when it shows Chinese');
  t.equal(compared, defaultRuns.size, `each of the ${defaultRuns.size} default answers with Chinese has a zh-Hant twin`);
  t.same(unconverted, [], 'every zh-Hant answer says what the default one says, in traditional characters');
  t.ok(reason, 'a match gives a reason with 就業');
  t.same(sheets, ['社區', '街道', '區'], 'the workbook’s sheets are named in traditional characters');
  t.match(csvHeader, /區劃代碼.*登記失業人員/, 'the CSV ledger’s header row is traditional');
});

t.test('If-Match takes the ETag of an answer in either script', async (t) => {
  const svc = city.services['job-postings'];
  const token = city.admin['job-postings'];
  const vacancy = city.records.find((r) => r.kind === 'vacancy')!;
  const read = (language?: string) => call(svc.app, 'GET', `/v1/vacancies/${vacancy.id}`, token, undefined, language ? { 'accept-language': language } : {});
  const simplified = await read();
  const taiwan = await read('en;q=0.9, zh-TW;q=0.8');
  const hongKong = await read('zh-HK');
  t.equal(simplified.headers['content-language'], 'zh-Hans');
  t.equal(taiwan.headers['content-language'], 'zh-TW');
  t.equal(hongKong.headers['content-language'], 'zh-HK');
  const tags = [simplified, taiwan, hongKong].map((r) => String(r.headers.etag));
  t.equal(new Set(tags).size, 3, `each representation has a tag of its own: ${tags.join(' ')}`);
  t.not(taiwan.json().title, simplified.json().title, 'the title is converted');
  t.equal(toSimplified(taiwan.json().title), simplified.json().title, 'and says the same');

  const patch = (etag: string) => call(svc.app, 'PATCH', `/v1/vacancies/${vacancy.id}`, token, { headcount: 4 }, { 'if-match': etag, 'accept-language': 'zh-Hant' });
  const changed = await patch(tags[1]!);
  t.equal(changed.statusCode, 200, 'the tag of the zh-TW answer changes the vacancy');
  t.match(String(changed.headers.etag), /~zh-Hant-TW"$/, 'the changed vacancy’s tag names its form');
  t.equal((await patch(tags[2]!)).statusCode, 412, 'a tag of the version before, in any form, is stale');
  t.equal((await patch(tags[0]!)).statusCode, 412);
  t.equal((await patch(String(changed.headers.etag))).statusCode, 200, 'the converted tag of the new version works');
  t.equal((await patch(String((await read()).headers.etag))).statusCode, 200, 'as does the simplified one');
});

t.test('an Idempotency-Key answer is kept as written and converted for each replay', async (t) => {
  const svc = city.services['job-postings'];
  const date = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
  const fair = { name: '零就业家庭专场招聘会', date, startsAt: '09:00', endsAt: '11:00', venue: '人力资源市场', communityCode: COMMUNITIES[0], targetGroups: ['ZERO_EMPLOYMENT_HOUSEHOLD'] };
  const create = (language?: string) =>
    call(svc.app, 'POST', '/v1/job-fairs', city.admin['job-postings'], fair, { 'idempotency-key': 'one-script-fair', ...(language ? { 'accept-language': language } : {}) });
  const first = await create('zh-Hant');
  t.equal(first.statusCode, 201);
  t.equal(first.json().name, '零就業家庭專場招聘會', 'the first answer in traditional characters');
  const replay = await create();
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.json().name, '零就业家庭专场招聘会', 'a replay for a caller that names no language is simplified');
  t.equal(replay.headers['content-language'], 'zh-Hans');
  const hongKong = await create('zh-HK');
  t.equal(hongKong.json().venue, '人力資源市場');
  t.equal(hongKong.headers['content-language'], 'zh-HK');
});
