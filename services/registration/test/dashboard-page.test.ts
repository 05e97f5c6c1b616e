import { existsSync, mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import t from 'tap';
import { build } from './helper.ts';
import { addCohort, addHousehold, serveCommunity } from './assessment/fixtures.ts';

/** Debian's chromium found on PATH, as CI installs it; the test skips only when it is missing. */
const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  (process.env.PATH ?? '')
    .split(':')
    .map((dir) => `${dir}/chromium`)
    .find((candidate) => existsSync(candidate)) ??
  'chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// The picture in docs/assessment.md is refreshed on request (UPDATE_SCREENSHOTS=1); otherwise the shot goes to .run/.
const SCREENSHOT = new URL(process.env.UPDATE_SCREENSHOTS ? '../../../docs/dashboard.png' : '../../../.run/dashboard.png', import.meta.url);

const COMMUNITIES: [string, number][] = [
  ['320508024043', 9], ['320508024001', 8], ['320508017003', 6], ['320508017004', 8],
  ['320505001002', 8], ['320505001003', 7], ['320505002004', 8],
  ['320506001012', 9], ['320506001013', 8], ['320506001014', 8], ['320506001015', 5],
];

/** The few browser globals the probe touches (the test is compiled without the DOM library). */
interface El {
  textContent: string | null;
  width?: number;
}
interface PageGlobals {
  echarts: { getInstanceByDom(el: El): { getOption(): { series: { data: unknown[] }[]; xAxis: { data: unknown[] }[] } } };
  document: { getElementById(id: string): El; querySelectorAll(selector: string): ArrayLike<El>; body: { innerText: string } };
  dashboard?: { ready?: boolean; error?: number };
}

/** What the page drew, read from ECharts' own instances in the browser. */
function probe() {
  const g = globalThis as unknown as PageGlobals;
  const option = (id: string) => g.echarts.getInstanceByDom(g.document.getElementById(id)).getOption();
  return {
    passRate: option('chart-pass-rate').series[0]?.data,
    districts: option('chart-pass-rate').xAxis[0]?.data,
    failing: option('chart-failing').series[0]?.data,
    months: option('chart-reemployment').series[0]?.data,
    zeroLeft: option('chart-zero').series[0]?.data,
    zeroOverdue: option('chart-zero').series[1]?.data,
    placements: option('chart-placements').series[0]?.data,
    assessed: g.document.getElementById('fig-assessed').textContent,
    rate: g.document.getElementById('fig-rate').textContent,
    canvases: Array.from(g.document.querySelectorAll('.chart canvas')).map((c) => c.width ?? 0),
    text: g.document.body.innerText,
  };
}

interface Drawn {
  passRate: number[];
  districts: string[];
  failing: number[];
  months: number[];
  zeroLeft: number[];
  zeroOverdue: number[];
  placements: number[];
  assessed: string;
  rate: string;
  canvases: number[];
  text: string;
}

const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`;

t.test('the dashboard draws the API’s numbers in headless Chromium', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const svc = await build(t);
  for (const [code, employed] of COMMUNITIES) {
    await addCohort(svc.ctx, code, 10, employed, `2025-${String(3 + (employed % 6)).padStart(2, '0')}-15T10:00:00+08:00`);
    await serveCommunity(svc.ctx, code, ['visit', 'info-collection', 'network-entry', 'guidance'], employed === 7 ? 1 : 0);
  }
  await addHousehold(svc.ctx, { community: '320505001002', categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], offerDeadline: '2025-02-01T00:00:00+08:00' });
  await addHousehold(svc.ctx, { community: '320508017003', categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], offerDeadline: '2099-01-01T00:00:00+08:00' });
  await sql`insert into assessment_activity (event_id, kind, community_code, occurred_at, quantity, aid_base_id)
    select gen_random_uuid(), 'placements', '320508024043', '2025-07-01T10:00:00+08:00', 1, b
    from unnest(array['7b0c3a52-5a1e-4f0e-9a55-1f4f3f9a0001', '7b0c3a52-5a1e-4f0e-9a55-1f4f3f9a0001', '0a9d2c11-3b4e-4c5d-8e6f-7a8b9c0d0002']::uuid[]) b`.execute(svc.ctx.db);
  const writer = svc.token(['assessment:write']);
  const applied = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: { authorization: `Bearer ${writer}` }, payload: { period: '2025-12', communityCodes: COMMUNITIES.map(([c]) => c) } });
  t.equal(applied.statusCode, 201);

  const token = svc.token(['assessment:read']);
  const api = (await svc.app.inject({ method: 'GET', url: '/v1/dashboard?period=2025-12&regionCode=3205', headers: { authorization: `Bearer ${token}` } })).json();
  t.equal(api.assessed, 11);
  t.ok(api.passed > 0 && api.passed < 11, 'some pass, some fail');

  const page = await svc.app.inject({ method: 'GET', url: '/dashboard' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-security-policy'], /script-src 'self'/);
  t.equal((await svc.app.inject({ method: 'GET', url: '/dashboard/echarts.min.js' })).statusCode, 200, 'ECharts served locally');
  t.equal((await svc.app.inject({ method: 'GET', url: '/dashboard/..%2Fpackage.json' })).statusCode, 404);

  const address = await svc.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  t.after(() => browser.close());
  const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const outside: string[] = [];
  tab.on('request', (r) => {
    if (!r.url().startsWith(address)) outside.push(r.url());
  });
  await tab.goto(`${address}/dashboard`);
  await tab.fill('#token', 'not-a-token');
  await tab.fill('#period', '2025-12');
  await tab.click('button[type=submit]');
  await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).dashboard?.error === 401);
  t.match(await tab.textContent('#status'), /401/);

  await tab.fill('#token', token);
  await tab.click('button[type=submit]');
  await tab.waitForFunction(() => (globalThis as unknown as PageGlobals).dashboard?.ready === true, undefined, { timeout: 15_000 });

  const drawn = (await tab.evaluate(probe)) as Drawn;
  t.same(drawn.passRate, api.passRateByRegion.map((r: { passRate: number }) => Math.round(r.passRate * 1000) / 10));
  t.same(drawn.districts, api.passRateByRegion.map((r: { name: string }) => r.name));
  t.same(drawn.failing, api.failingCriteria.map((f: { communities: number }) => f.communities).reverse());
  t.same(drawn.months, api.reemploymentByMonth.map((m: { reemployed: number }) => m.reemployed));
  t.equal(drawn.months.reduce((a, b) => a + b, 0), COMMUNITIES.reduce((a, [, e]) => a + e, 0));
  t.same(drawn.zeroLeft, api.zeroEmployment.byDistrict.map((z: { left: number }) => z.left));
  t.same(drawn.zeroOverdue, [1, 0]);
  t.same(drawn.placements, [2, 1]);
  t.equal(drawn.assessed, String(api.assessed));
  t.equal(drawn.rate, `${(api.passRate * 100).toFixed(1)}%`);
  t.equal(drawn.canvases.length, 5, 'five charts drawn on canvas');
  t.ok(drawn.canvases.every((w) => w > 0));
  t.notMatch(drawn.text, /张伟|王秀英|1381234/, 'no personal information on the page');
  t.same(outside, [], 'nothing loaded from outside the service');

  mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
  await tab.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
});
