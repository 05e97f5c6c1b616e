import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';
import { COMMUNITY, client, count, seeker } from '../fixtures.ts';

type Api = ReturnType<typeof client>;

async function household(api: Api, body: Record<string, unknown> = {}) {
  const res = await api.post('/v1/households', { communityCode: COMMUNITY, ...body });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
}

async function register(api: Api, body: Record<string, unknown>) {
  const res = await api.post('/v1/job-seekers', seeker(body));
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().id as string;
}

async function patch(api: Api, url: string, body: Record<string, unknown>) {
  const current = await api.get(url);
  return api.patch(url, body, { 'if-match': current.headers.etag as string });
}

const person = (birthDate: string, gender: 'male' | 'female', n: number) => ({ idNumber: makeIdNumber('320508', birthDate, n, gender) });

t.test('three generations: the son and his wife, both out of work, are a dual household of their own, and the household shows it', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api);
  // The grandparents: he works, she does not; the son and the daughter-in-law, both laid off.
  const head = await register(api, { ...person('1964-03-03', 'male', 11), householdId: hh, relationship: 'head' });
  t.equal((await api.post(`/v1/job-seekers/${head}/employment`, { status: 'employed', at: new Date().toISOString(), employerName: '人民商场' })).statusCode, 201);
  const grandmother = await register(api, { ...person('1968-04-04', 'female', 12), householdId: hh, relationship: 'spouse' });
  const son = await register(api, { ...person('1990-05-05', 'male', 13), householdId: hh, relationship: 'child', laidOff: true });
  const wife = await api.post('/v1/job-seekers', seeker({ ...person('1992-06-06', 'female', 14), householdId: hh, relationship: 'child-in-law', spouseId: son, laidOff: true }));
  t.equal(wife.statusCode, 201, wife.body);
  const daughterInLaw = wife.json().id as string;
  t.equal(wife.json().spouseId, son);
  t.same(wife.json().hardshipCategories, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);

  const sonNow = (await api.get(`/v1/job-seekers/${son}`)).json();
  t.equal(sonNow.spouseId, daughterInLaw, 'the link is stored on both spouses');
  t.same(sonNow.hardshipCategories, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF'], 'the son was re-derived with the household');
  t.notOk((await api.get(`/v1/job-seekers/${grandmother}`)).json().hardshipCategories.includes('DUAL_UNEMPLOYED'), 'the grandmother is not dual: her husband works');

  const read = (await api.get(`/v1/households/${hh}`)).json();
  t.same(read.hardshipCategories, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.same(read.hardshipBasis, [
    { category: 'DUAL_UNEMPLOYED', memberIds: [son, daughterInLaw].sort() },
    { category: 'DUAL_LAID_OFF', memberIds: [son, daughterInLaw].sort() },
  ]);
  t.match(read.members.find((m: { id: string }) => m.id === son), { relationship: 'child', spouseId: daughterInLaw, parentIds: [] });
  const history = await svc.ctx.database.pool.query('select hardship_basis as basis from household_category_history where household_id = $1 order by id desc limit 1', [hh]);
  t.same(history.rows[0].basis, read.hardshipBasis, 'what the categories rest on is kept in their history');

  // The daughter-in-law finds work: the couple is no longer dual.
  t.equal((await api.post(`/v1/job-seekers/${daughterInLaw}/employment`, { status: 'employed', at: new Date().toISOString() })).statusCode, 201);
  const after = (await api.get(`/v1/households/${hh}`)).json();
  t.same(after.hardshipCategories, []);
  t.same(after.hardshipBasis, []);

  // A household that knows nothing of the links keeps its head and spouse as its couple.
  const old = await household(api);
  await register(api, { householdId: old, relationship: 'head' });
  await register(api, { householdId: old, relationship: 'spouse' });
  t.ok((await api.get(`/v1/households/${old}`)).json().hardshipCategories.includes('DUAL_UNEMPLOYED'));
});

t.test('a single mother recorded as the head’s daughter is a single parent; a registered child of 17 counts as her minor child', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api, { otherEmployedMembers: 1 });
  await register(api, { ...person('1962-01-01', 'male', 21), householdId: hh, relationship: 'head' });
  const mother = await register(api, { ...person('1988-02-02', 'female', 22), householdId: hh, relationship: 'child', raisingAlone: true, ownMinorChildren: 1 });
  const read = (await api.get(`/v1/households/${hh}`)).json();
  t.ok(read.hardshipCategories.includes('SINGLE_PARENT'), 'the household is single-parent');
  t.same(read.hardshipBasis.filter((b: { category: string }) => b.category === 'SINGLE_PARENT'), [{ category: 'SINGLE_PARENT', memberIds: [mother] }], 'resting on her, not the head');
  t.ok((await api.get(`/v1/job-seekers/${mother}`)).json().hardshipCategories.includes('SINGLE_PARENT'));

  // Her only child at home is a registered seeker of 17 naming her as parent.
  const changed = await patch(api, `/v1/job-seekers/${mother}`, { ownMinorChildren: 0 });
  t.notOk(changed.json().hardshipCategories.includes('SINGLE_PARENT'), 'no minor child of her own: not a single parent');
  // Born on 1 January 17 years ago: 17 all year.
  const minor = await api.post('/v1/job-seekers', seeker({ ...person(`${new Date().getUTCFullYear() - 17}-01-01`, 'male', 23), householdId: hh, relationship: 'grandchild', parentIds: [mother] }));
  t.equal(minor.statusCode, 201, minor.body);
  t.same(minor.json().parentIds, [mother]);
  t.ok((await api.get(`/v1/job-seekers/${mother}`)).json().hardshipCategories.includes('SINGLE_PARENT'), 'her registered child of 17 is her minor child');
  // A spouse joins her: she no longer raises the child alone, and says so.
  const refused = await api.post('/v1/job-seekers', seeker({ householdId: hh, relationship: 'child-in-law', spouseId: mother }));
  t.equal(refused.statusCode, 400);
  t.equal(refused.json().errors[0].field, 'body.spouseId', 'a member recorded as raising children alone has no spouse in the household');
});

t.test('spouse and parent links: one couple, within the household; a 400 naming the field, nothing stored', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = await household(api);
  const other = await household(api);
  const a = await register(api, { householdId: hh, relationship: 'child' });
  const b = await register(api, { householdId: hh, relationship: 'child-in-law', spouseId: a });
  const elsewhere = await register(api, { householdId: other, relationship: 'head' });
  const before = await count(svc, 'job_seekers');
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ householdId: hh, relationship: 'other', spouseId: elsewhere }, 'body.spouseId', /not a member of this household/],
    [{ householdId: hh, relationship: 'other', spouseId: a }, 'body.spouseId', /already the spouse of another member/],
    [{ relationship: undefined, spouseId: a }, 'body.spouseId', /needs householdId/],
    [{ householdId: hh, relationship: 'grandchild', parentIds: [elsewhere] }, 'body.parentIds', /not a member of this household/],
    [{ householdId: hh, relationship: 'grandchild', parentIds: [a, a] }, 'body.parentIds', /twice/],
    [{ householdId: hh, relationship: 'other', spouseId: 'not-a-uuid' }, 'body.spouseId', /./],
  ];
  for (const [body, field, message] of cases) {
    const res = await api.post('/v1/job-seekers', seeker(body));
    t.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.equal(res.json().errors[0].field, field);
    t.match(res.json().errors[0].message, message);
  }
  t.equal(await count(svc, 'job_seekers'), before, 'nothing stored');

  const self = await patch(api, `/v1/job-seekers/${a}`, { spouseId: a });
  t.equal(self.statusCode, 400);
  t.equal(self.json().errors[0].field, 'body.spouseId');
  const alone = await patch(api, `/v1/job-seekers/${a}`, { raisingAlone: true });
  t.equal(alone.statusCode, 400, 'a member with a spouse in the household does not raise children alone');
  t.equal(alone.json().errors[0].field, 'body.raisingAlone');
  t.equal((await api.get(`/v1/job-seekers/${a}`)).json().spouseId, b, 'unchanged');

  // Leaving the household takes the link along on both records.
  const left = await patch(api, `/v1/job-seekers/${b}`, { householdId: null });
  t.equal(left.statusCode, 200, left.body);
  t.equal(left.json().spouseId, null);
  t.equal((await api.get(`/v1/job-seekers/${a}`)).json().spouseId, null, 'and the other spouse is unlinked');
  const relinked = await patch(api, `/v1/job-seekers/${b}`, { householdId: hh, relationship: 'child-in-law', spouseId: a });
  t.equal(relinked.statusCode, 200, relinked.body);
  const unlinked = await patch(api, `/v1/job-seekers/${a}`, { spouseId: null });
  t.equal(unlinked.json().spouseId, null);
  t.equal((await api.get(`/v1/job-seekers/${b}`)).json().spouseId, null, 'unlinked on both');
});

t.test('minimum livelihood belongs to the household: every member holds it, the certificate number is encrypted and masked', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const reader = client(svc, ['seekers:read', 'seekers:write']);
  const certificate = { certificateNumber: '苏民低保2024第001234号', since: '2024-03-01' };
  const hh = await household(api, { minimumLivelihood: certificate, otherEmployedMembers: 1 });
  await register(api, { householdId: hh, relationship: 'head', minimumLivelihood: true });
  const son = await register(api, { householdId: hh, relationship: 'child' });
  t.ok((await api.get(`/v1/job-seekers/${son}`)).json().hardshipCategories.includes('MINIMUM_LIVELIHOOD'), 'the son holds it, flag or not');

  const full = (await api.get(`/v1/households/${hh}`)).json();
  t.same(full.minimumLivelihood, certificate, 'shown with pii:read');
  t.same(full.hardshipBasis, [{ category: 'MINIMUM_LIVELIHOOD', memberIds: full.members.map((m: { id: string }) => m.id).sort() }]);
  const masked = (await reader.get(`/v1/households/${hh}`)).json();
  t.same(masked.minimumLivelihood, { certificateNumber: `${'*'.repeat(12)}234号`, since: '2024-03-01' }, 'masked without pii:read');
  const { rows } = await svc.ctx.database.pool.query('select minimum_livelihood_certificate_enc as enc from households where id = $1', [hh]);
  t.notOk(rows[0].enc.includes('001234'), 'encrypted at rest');

  // The certificate withdrawn: the son holds nothing; the head keeps his own flag.
  const ended = await patch(api, `/v1/households/${hh}`, { minimumLivelihood: null });
  t.equal(ended.statusCode, 200, ended.body);
  t.equal(ended.json().minimumLivelihood, null);
  t.notOk((await api.get(`/v1/job-seekers/${son}`)).json().hardshipCategories.includes('MINIMUM_LIVELIHOOD'));
  t.same(ended.json().hardshipBasis, [{ category: 'MINIMUM_LIVELIHOOD', memberIds: ended.json().members.filter((m: { relationship: string }) => m.relationship === 'head').map((m: { id: string }) => m.id).sort() }]);

  for (const [body, field] of [
    [{ minimumLivelihood: { ...certificate, since: '2999-01-01' } }, 'body.minimumLivelihood.since'],
    [{ minimumLivelihood: { ...certificate, certificateNumber: 'a;b' } }, 'body.minimumLivelihood.certificateNumber'],
    [{ minimumLivelihood: { certificateNumber: '1' } }, 'body.minimumLivelihood.since'],
  ] as const) {
    const res = await api.post('/v1/households', { communityCode: COMMUNITY, ...body });
    t.equal(res.statusCode, 400, res.body);
    t.equal(res.json().errors[0].field, field);
    t.notOk(res.body.includes('001234'), 'the number is not echoed');
  }
});
