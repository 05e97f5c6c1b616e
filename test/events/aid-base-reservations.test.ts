/**
 * A base reserves a vacancy through assistance-bases' API; job-postings,
 * linked by the real queues, shows the reservation on the vacancy and in its
 * reservedFor filter, and forgets it once the post is withdrawn.
 */
import t from 'tap';
import { eventually } from '@reemploy/runtime/testing';
import { startLinkedServices } from '../helper.ts';

const VACANCY_SCOPES = ['employers:write', 'vacancies:write', 'vacancies:read'];

t.test('a post an aid base reserves shows in job-postings, and goes when withdrawn', async (t) => {
  const { jobs, bases } = await startLinkedServices(t);
  const jobsAuth = { authorization: `Bearer ${jobs.token(VACANCY_SCOPES, ['3205'])}` };
  const basesAuth = { authorization: `Bearer ${bases.token(['aid-bases:read', 'aid-bases:write'], ['3205'])}` };

  const employer = await jobs.app.inject({
    method: 'POST',
    url: '/v1/employers',
    headers: jobsAuth,
    payload: { name: '苏州人民商场', creditCode: '91440300708461136T', communityCode: '320508018036' },
  });
  t.equal(employer.statusCode, 201, 'employer registered');
  const vacancy = await jobs.app.inject({
    method: 'POST',
    url: '/v1/vacancies',
    headers: jobsAuth,
    payload: {
      employerId: employer.json().id,
      title: '营业员',
      occupationCode: '4-01-02',
      wageMin: 2500,
      wageMax: 3500,
      headcount: 3,
      communityCode: '320508018036',
      kind: 'regular',
      source: 'aid-base',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  });
  t.equal(vacancy.statusCode, 201, 'vacancy published');
  const vacancyId = vacancy.json().id as string;

  const base = await bases.app.inject({
    method: 'POST',
    url: '/v1/aid-bases',
    headers: basesAuth,
    payload: { name: '人民商场', communityCode: '320508018036', address: '苏州市姑苏区人民路', sectors: ['零售'], joinedYear: 2005, cohort: 'added' },
  });
  const baseId = base.json().id as string;
  // assistance-bases learns of the vacancy from vacancy.created.
  const reserved = await eventually(async () => {
    const res = await bases.app.inject({
      method: 'POST',
      url: `/v1/aid-bases/${baseId}/reserved-posts`,
      headers: basesAuth,
      payload: { vacancyId, reservedFor: ['SINGLE_PARENT'], quota: 2 },
    });
    return res.statusCode === 201 ? res : undefined;
  }, 20_000);

  const read = () => jobs.app.inject({ url: `/v1/vacancies/${vacancyId}`, headers: jobsAuth });
  const shown = await eventually(async () => (await read()).json().aidBaseReservation ?? undefined, 20_000);
  t.same(shown, { reservedPostId: reserved.json().id, aidBaseId: baseId, reservedFor: ['SINGLE_PARENT'], quota: 2, filled: 0, status: 'active' });
  t.same((await read()).json().reservedFor, [], 'the vacancy’s own reservedFor is unchanged');
  const listed = await jobs.app.inject({ url: '/v1/vacancies?reservedFor=SINGLE_PARENT', headers: jobsAuth });
  t.same(
    listed.json().items.map((v: { id: string }) => v.id),
    [vacancyId],
    'listed as reserved for single parents',
  );

  const withdrawn = await bases.app.inject({
    method: 'POST',
    url: `/v1/aid-bases/${baseId}/reserved-posts/${reserved.json().id}/withdraw`,
    headers: { ...basesAuth, 'if-match': reserved.headers.etag as string },
    payload: { reason: '商场调整岗位' },
  });
  t.equal(withdrawn.statusCode, 200, 'post withdrawn');
  await eventually(async () => ((await read()).json().aidBaseReservation === null ? true : undefined), 20_000);
  const after = await jobs.app.inject({ url: '/v1/vacancies?reservedFor=SINGLE_PARENT', headers: jobsAuth });
  t.same(after.json().items, [], 'withdrawn, it is no longer reserved');
});
