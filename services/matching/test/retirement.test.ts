import t from 'tap';
import { addMonths, cityDate } from '@reemploy/domain';
import { build } from './helper.ts';
import { bearer, deliver, seeker, vacancy } from './fixtures.ts';

const env = { MATCHER_REFRESH_MS: '0' };
/** Born `months` months before today. */
const bornMonthsAgo = (months: number) => addMonths(cityDate(), -months);

t.test('a vacancy is for people of working age: from the retirement date a seeker is not ranked, offered or referred', async (t) => {
  const { app, ctx, token } = await build(t, { env });
  const headers = bearer(token(['matching:read', 'referrals:write']));
  // 60 a month ago: born after 1965, so the reform delays his retirement by two months or more.
  const sixty = seeker({ gender: 'male', birthDate: bornMonthsAgo(60 * 12 + 1), retirementScheme: 'male-60' });
  // 64: past even the target age of 63.
  const retired = seeker({ gender: 'male', birthDate: bornMonthsAgo(64 * 12), retirementScheme: 'male-60' });
  // A snapshot from before snapshots carried the scheme: the gender's default applies.
  const older = seeker({ gender: 'female', birthDate: bornMonthsAgo(58 * 12) });
  for (const s of [sixty, retired, older]) await deliver(ctx, 'seeker.registered', s);
  const v = vacancy({ maxAge: 65 });
  await deliver(ctx, 'vacancy.created', v);

  const matches = async (id: string) => (await app.inject({ url: `/v1/job-seekers/${id}/matches`, headers })).json();
  t.match(await matches(sixty.seekerId), { active: true, items: [{ vacancyId: v.vacancyId }] }, 'a man of 60 before his retirement date');
  t.match(await matches(retired.seekerId), { active: false, items: [] }, 'a man of 64');
  t.match(await matches(older.seekerId), { active: false, items: [] }, 'a woman of 58 (female-50 by default)');

  const candidates = (await app.inject({ url: `/v1/vacancies/${v.vacancyId}/candidates?limit=10`, headers })).json();
  t.same(candidates.items.map((c: { seekerId: string }) => c.seekerId), [sixty.seekerId], 'only the one of working age is a candidate');

  const refer = (seekerId: string) => app.inject({ method: 'POST', url: '/v1/referrals', headers, payload: { seekerId, vacancyId: v.vacancyId, referredBy: '王主任' } });
  const refused = await refer(retired.seekerId);
  t.equal(refused.statusCode, 422);
  t.match(refused.json().detail, /past the statutory retirement date/);
  t.notMatch(refused.body, /\d{4}-\d{2}-\d{2}/, 'no date: it would give away the birth date');
  t.equal((await refer(sixty.seekerId)).statusCode, 201);
});
