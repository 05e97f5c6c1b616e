import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';

t.test("a bulk import reaches matching's projection: new people in batched events, households with their categories", async (t) => {
  const queuePrefix = testQueuePrefix();
  const registration = await buildRegistration(t, { queuePrefix });
  const matching = await buildMatching(t, { queuePrefix });
  await registration.startWorkers();
  await matching.startWorkers();

  const row = (i: number, over: Record<string, unknown> = {}) =>
    JSON.stringify({ idNumber: makeIdNumber('320508', `198${i}-06-01`, 40 + i, i % 2 ? 'male' : 'female'), name: `居民${i}`, communityCode: '320508024043', education: 'college', skills: ['S012-03'], ...over });
  const body = [row(1), row(2), row(3), row(4, { householdKey: 'A-1', relationship: 'head' }), row(5, { householdKey: 'A-1', relationship: 'spouse' })].join('\n');
  const res = await registration.app.inject({
    method: 'POST',
    url: '/v1/job-seekers/import',
    headers: { authorization: `Bearer ${registration.token(['seekers:write'])}`, 'content-type': 'application/x-ndjson' },
    payload: body,
  });
  t.match(res.json(), { created: 5, failed: 0 });
  const ids = (res.json().report as { id: string }[]).map((r) => r.id);
  const projected = await eventually(async () => {
    const rows = await matching.ctx.db.selectFrom('seekers').select(['seeker_id', 'household_id', 'hardship_categories', 'skills']).where('seeker_id', 'in', ids).execute();
    return rows.length === 5 && rows.every((r) => r.seeker_id !== ids[4] || r.hardship_categories.includes('DUAL_UNEMPLOYED')) ? rows : undefined;
  }, 10_000);
  const spouse = projected.find((r) => r.seeker_id === ids[4])!;
  t.ok(spouse.household_id, 'the household member arrives with its household');
  t.ok(spouse.hardship_categories.includes('DUAL_UNEMPLOYED'), 'and the categories derived for the whole household');
  t.same(projected.find((r) => r.seeker_id === ids[0])!.skills, ['S012-03']);
});
