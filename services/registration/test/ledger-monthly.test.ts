import { randomUUID } from 'node:crypto';
import t from 'tap';
import ExcelJS from 'exceljs';
import { Queue } from 'bullmq';
import { makeIdNumber } from '@reemploy/domain';
import { queueNames } from '@reemploy/events';
import { eventually, relayed } from '@reemploy/runtime/testing';
import { build } from './helper.ts';
import { addHousehold, addSeeker, changeStatus, serve } from './assessment/fixtures.ts';

const READ = ['assessment:read'];
const A = '320508024043';
const B = '320508024001';
const C = '320505001001';
const BASE = randomUUID();

type Svc = Awaited<ReturnType<typeof build>>;

function vacancy(community: string, kind: 'regular' | 'public-welfare', headcount: number) {
  return {
    vacancyId: randomUUID(), employerId: randomUUID(), title: '保洁员', occupationCode: '4-10-01', skills: [], minAge: 18, maxAge: 60,
    educationMin: 'none', wageMin: 2500, wageMax: 3500, headcount, headcountLeft: headcount, communityCode: community, kind, source: 'coordinator',
    reservedFor: [], status: 'open', validUntil: '2026-01-01T00:00:00+08:00',
  };
}

/** Puts events on registration's real inbox queue, as the outbox relay would. */
async function publish(svc: Svc, events: { type: string; at: string; payload: unknown }[]) {
  const queue = new Queue(queueNames.events('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  await queue.addBulk(
    events.map((e, seq) => {
      const id = randomUUID();
      const producer = e.type.startsWith('vacancy') ? 'job-postings' : 'matching';
      return { name: e.type, data: relayed(svc.ctx, { id, type: e.type, version: 1, producer, seq, subject: id, occurredAt: e.at, payload: e.payload }), opts: { jobId: id } };
    }),
  );
  await queue.close();
}

async function seed(svc: Svc) {
  const ctx = svc.ctx;
  const a = [];
  for (let i = 0; i < 5; i += 1) a.push(await addSeeker(ctx, { community: A, ...(i === 1 ? { gender: 'female', birthDate: '1980-02-02' } : {}) }));
  const b = [];
  for (let i = 0; i < 3; i += 1) b.push(await addSeeker(ctx, { community: B }));
  for (let i = 0; i < 4; i += 1) await addSeeker(ctx, { community: C });
  await changeStatus(ctx, a[0] as string, 'employed', '2025-06-10T09:00:00+08:00');
  await changeStatus(ctx, a[1] as string, 'flexible', '2025-06-12T09:00:00+08:00');
  await changeStatus(ctx, a[2] as string, 'employed', '2025-03-05T09:00:00+08:00');
  await changeStatus(ctx, b[0] as string, 'employed', '2025-06-20T09:00:00+08:00');
  await serve(ctx, [a[3] as string, a[4] as string, a[3] as string], ['visit'], '2025-06-03T09:00:00+08:00');
  await serve(ctx, [a[3] as string], ['visit'], '2025-05-03T09:00:00+08:00');
  await serve(ctx, [b[1] as string], ['guidance', 'info-collection'], '2025-06-30T23:30:00+08:00');
  // Its working member is none of the couple the category rests on: not covered.
  await addHousehold(ctx, { community: A, categories: ['DUAL_UNEMPLOYED'], otherEmployedMembers: 1 });
  await addHousehold(ctx, { community: C, categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], offerDeadline: '2025-02-01T00:00:00+08:00' });
  await addHousehold(ctx, { community: C, categories: ['ZERO_EMPLOYMENT_HOUSEHOLD'], offerDeadline: '2099-02-01T00:00:00+08:00' });
  await publish(svc, [
    { type: 'vacancy.created', at: '2025-06-02T10:00:00+08:00', payload: vacancy(A, 'regular', 5) },
    { type: 'vacancy.created', at: '2025-06-05T10:00:00+08:00', payload: vacancy(C, 'public-welfare', 2) },
    { type: 'vacancy.created', at: '2025-05-31T10:00:00+08:00', payload: vacancy(C, 'regular', 7) },
    { type: 'referral.created', at: '2025-06-09T10:00:00+08:00', payload: { referralId: randomUUID(), seekerId: a[0], vacancyId: randomUUID(), householdId: null, isPriorityOffer: false, at: '2025-06-09T10:00:00+08:00' } },
    {
      type: 'referral.hired',
      at: '2025-06-10T09:00:00+08:00',
      payload: { referralId: randomUUID(), seekerId: a[0], vacancyId: randomUUID(), householdId: null, employerId: null, hardshipCategories: [], aidBaseId: BASE, reservedPostId: null, at: '2025-06-10T09:00:00+08:00' },
    },
  ]);
  await svc.startWorkers();
  await eventually(async () => {
    const { rows } = await ctx.database.pool.query('select count(*)::int as n from assessment_activity');
    return rows[0].n === 5 ? true : undefined;
  }, 15_000);
  // A hire into an employer's vacancy that no base reserved, as the referral.hired handler records it: no placement of an assistance base.
  await ctx.database.pool.query(
    `insert into assessment_activity (event_id, kind, community_code, occurred_at, quantity, aid_base_id) values ($1, 'placements', $2, '2025-06-11T09:00:00+08:00', 1, null)`,
    [randomUUID(), A],
  );
}

t.test('the monthly ledger as JSON, CSV and XLSX, the annual report and the dashboard figures', async (t) => {
  const svc = await build(t);
  await seed(svc);
  const headers = { authorization: `Bearer ${svc.token(READ)}` };
  const get = (url: string) => svc.app.inject({ method: 'GET', url, headers });

  const json = await get('/v1/ledgers/monthly?period=2025-06&regionCode=3205');
  t.equal(json.statusCode, 200, json.body);
  const ledger = json.json();
  const row = (code: string) => ledger.communities.find((r: { regionCode: string }) => r.regionCode === code);
  t.match(row(A), { name: '龙港苑社区居委会', registeredUnemployed: 2, reemployedThisMonth: 2, reemployedThisYear: 3, reemployed4050: 1, dualHouseholds: 1, dualHouseholdsCovered: 0, visits: 3, vacanciesCollected: 5, referrals: 1, placements: 1 });
  t.match(row(B), { registeredUnemployed: 2, reemployedThisMonth: 1, reemployedThisYear: 1, guidance: 1, infoCollections: 1, visits: 0 });
  t.match(row(C), { registeredUnemployed: 4, zeroEmploymentHouseholdsLeft: 2, publicWelfarePosts: 2, vacanciesCollected: 0 });
  const street = ledger.streets.find((r: { regionCode: string }) => r.regionCode === '320508024');
  t.match(street, { level: 'street', registeredUnemployed: 4, reemployedThisMonth: 3, visits: 3, guidance: 1 });
  t.same(ledger.districts.filter((r: { registeredUnemployed: number }) => r.registeredUnemployed > 0).map((r: { regionCode: string }) => r.regionCode), ['320505', '320508']);
  t.match(ledger.total, { registeredUnemployed: 8, reemployedThisMonth: 3, reemployedThisYear: 4, visits: 3, vacanciesCollected: 5, publicWelfarePosts: 2, placements: 1, zeroEmploymentHouseholdsLeft: 2 });
  t.ok(ledger.communities.length > 100, 'every community of the city is listed, with or without figures');

  const may = (await get('/v1/ledgers/monthly?period=2025-05&regionCode=320505')).json();
  t.match(may.total, { vacanciesCollected: 7, publicWelfarePosts: 0, registeredUnemployed: 4 });

  const csv = await get('/v1/ledgers/monthly?period=2025-06&regionCode=3205&format=csv');
  t.equal(csv.statusCode, 200, csv.body);
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(csv.headers['content-disposition'], /ledger-3205-2025-06\.csv/);
  t.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 with BOM');
  const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  t.match(lines[0], /^层级,区划代码,名称,登记失业人员,本月再就业/);
  t.match(lines.at(-1), /^合计,3205,,8,3,4,/);

  const xlsx = await get('/v1/ledgers/monthly?period=2025-06&regionCode=3205&format=xlsx');
  t.equal(xlsx.statusCode, 200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(xlsx.rawPayload).buffer);
  t.same(workbook.worksheets.map((w) => w.name), ['社区', '街道', '区']);
  for (const ws of workbook.worksheets) {
    t.equal(ws.getRow(2).getCell(3).value, '登记失业人员');
    const last = ws.getRow(ws.rowCount);
    t.equal(last.getCell(1).value, '合计');
    let unemployed = 0;
    let visits = 0;
    for (let r = 3; r < ws.rowCount; r += 1) {
      unemployed += Number(ws.getRow(r).getCell(3).value);
      visits += Number(ws.getRow(r).getCell(10).value);
    }
    t.equal(unemployed, 8, `${ws.name}: rows add up`);
    t.equal(last.getCell(3).value, 8, `${ws.name}: total of registered unemployed`);
    t.equal(visits, 3);
    t.equal(last.getCell(10).value, 3, `${ws.name}: total of visits`);
  }
  const districtSheet = workbook.getWorksheet('区');
  const gusu = districtSheet?.getRows(3, (districtSheet?.rowCount ?? 3) - 3)?.find((r) => r.getCell(1).value === '320508');
  t.equal(gusu?.getCell(3).value, 4);

  t.equal((await get('/v1/ledgers/monthly?period=2025-06&regionCode=3205&format=pdf')).statusCode, 400);
  const scoped = await svc.app.inject({ method: 'GET', url: '/v1/ledgers/monthly?period=2025-06&regionCode=3205', headers: { authorization: `Bearer ${svc.token(READ, ['320505'])}` } });
  t.equal(scoped.json().total.registeredUnemployed, 4, 'a district sees its own communities only');

  const report = await get('/v1/reports/annual?year=2025&regionCode=3205');
  t.equal(report.statusCode, 200, report.body);
  t.match(report.json(), { year: 2025, newJobs: 14, publicWelfarePosts: 2, reemployed: 4, registeredUnemployed: 8, communities: { assessed: 0, passRate: null } });
  const gusuLine = report.json().districts.find((d: { regionCode: string }) => d.regionCode === '320508');
  t.match(gusuLine, { reemployed: 4, newJobs: 5 });
  t.ok(gusuLine.notes.includes('most people re-employed'));
  t.ok(report.json().districts.find((d: { regionCode: string }) => d.regionCode === '320505').notes.includes('most new jobs collected'), '9 collected against 5');

  const dash = await get('/v1/dashboard?period=2025-06&regionCode=3205');
  t.equal(dash.statusCode, 200, dash.body);
  t.same(dash.json().reemploymentByMonth.map((m: { reemployed: number }) => m.reemployed), [0, 0, 1, 0, 0, 3]);
  t.match(dash.json().zeroEmployment, { left: 2, overdue: 1 });
  t.same(dash.json().placementsByAidBase, [{ aidBaseId: BASE, placements: 1 }]);
  // A base's own staff see their base's placements and no other base's.
  const asBase = (aidBase: string) =>
    svc.app.inject({ method: 'GET', url: '/v1/dashboard?period=2025-06&regionCode=3205', headers: { authorization: `Bearer ${svc.token(READ, ['3205'], { aidBase })}` } });
  t.same((await asBase(BASE)).json().placementsByAidBase, [{ aidBaseId: BASE, placements: 1 }]);
  const other = await asBase(randomUUID());
  t.equal(other.statusCode, 200);
  t.same(other.json().placementsByAidBase, [], 'another base is not named to them');
});

t.test('persons, not person-months: someone re-employed in March and again in October is one person of the year', async (t) => {
  const svc = await build(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write', 'seekers:read', 'assessment:read'])}` };
  const inject = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => svc.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const year = new Date().getUTCFullYear() - 1;
  const registered = await inject('POST', '/v1/job-seekers', { idNumber: makeIdNumber('320508', '1978-09-09', 421, 'male'), name: '周强', communityCode: A, education: 'junior-secondary' });
  t.equal(registered.statusCode, 201, registered.body);
  const id = registered.json().id;
  for (const [status, at] of [['employed', `${year}-03-10`], ['unemployed', `${year}-06-30`], ['employed', `${year}-10-08`]] as const) {
    const changed = await inject('POST', `/v1/job-seekers/${id}/employment`, { status, at: `${at}T09:00:00+08:00` });
    t.equal(changed.statusCode, 201, changed.body);
  }
  const ledger = async (month: string) => (await inject('GET', `/v1/ledgers/monthly?period=${year}-${month}&regionCode=320508`)).json().total;
  t.match(await ledger('03'), { reemployedThisMonth: 1, reemployedThisYear: 1 });
  t.match(await ledger('10'), { reemployedThisMonth: 1, reemployedThisYear: 1 }, 'one person this year, though re-employed twice');
  const report = await inject('GET', `/v1/reports/annual?year=${year}&regionCode=3205`);
  t.equal(report.statusCode, 200, report.body);
  t.equal(report.json().reemployed, 1, 'the annual report counts the person once, as the ledger does');
  t.equal(report.json().districts.find((d: { regionCode: string }) => d.regionCode === '320508').reemployed, 1);
  const months = (await inject('GET', `/v1/dashboard?period=${year}-12&regionCode=3205`)).json().reemploymentByMonth.map((m: { reemployed: number }) => m.reemployed);
  t.same(months, [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0], 'one in each of the two months');
});
