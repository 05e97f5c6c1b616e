import t from 'tap';
import { build } from '../helper.ts';
import { addCohort } from './fixtures.ts';

const WRITE = ['assessment:read', 'assessment:write'];
const MINE = '320508024043';
const NEIGHBOUR = '320508024001';
const ELSEWHERE = '320505001002';

/**
 * A sample drawn over a district or the city counts people and communities outside a community's
 * regions: the community reading it sees what was drawn in its own part, not those figures (the rule
 * of matching runs and their webhooks, `seesFiguresOf`).
 */
t.test("a sample's population and strata are shown only to callers whose regions hold them", async (t) => {
  const svc = await build(t);
  const as = (scopes: string[], regions: string[], extra = {}) => ({ authorization: `Bearer ${svc.token(scopes, regions, extra)}` });
  for (const [code, unemployed] of [[MINE, 4], [NEIGHBOUR, 5], [ELSEWHERE, 6]] as const) await addCohort(svc.ctx, code, unemployed + 2, 2);
  const applied = await svc.app.inject({ method: 'POST', url: '/v1/assessments/applications', headers: as(WRITE, ['3205']), payload: { period: '2025-12', communityCodes: [MINE, NEIGHBOUR, ELSEWHERE] } });
  t.equal(applied.statusCode, 201, applied.body);

  // The district draws its communities and a phone survey of their people; the city draws over every district.
  const district = as(WRITE, ['320508']);
  const drawn = await svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: district, payload: { kind: 'communities', period: '2025-12', regionCode: '320508', seed: 's', count: 2 } });
  t.equal(drawn.statusCode, 201, drawn.body);
  const survey = await svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: district, payload: { kind: 'phone-survey', sampleId: drawn.json().id, seed: 'p', fraction: 0.05 } });
  t.equal(survey.statusCode, 201, survey.body);
  t.match(survey.json(), { population: 9, strata: [{ stratum: NEIGHBOUR, population: 5 }, { stratum: MINE, population: 4 }] }, 'the district sees its own figures');
  const city = await svc.app.inject({ method: 'POST', url: '/v1/assessments/samples', headers: as(WRITE, ['3205']), payload: { kind: 'communities', period: '2025-12', regionCode: '3205', seed: 'c', count: 3 } });
  t.equal(city.statusCode, 201, city.body);
  t.match(city.json(), { population: 3, strata: [{ stratum: '320505' }, { stratum: '320508', population: 2 }] });

  const read = async (id: string, regions: string[], extra = {}) => {
    const res = await svc.app.inject({ url: `/v1/assessments/samples/${id}`, headers: as(['assessment:read'], regions, extra) });
    t.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const ofSurvey = await read(survey.json().id, [MINE]);
  t.notOk('population' in ofSurvey, "the district survey's population (its people in other communities) is not the community's");
  t.same(ofSurvey.strata, [{ stratum: MINE, population: 4, drawn: ofSurvey.strata[0]?.drawn }], 'its own stratum only');
  const ofDistrict = await read(drawn.json().id, [MINE]);
  t.notOk('population' in ofDistrict, 'nor how many communities of the district applied');
  t.same(ofDistrict.communities, drawn.json().communities.filter((c: string) => c === MINE), 'whether it was drawn');
  const ofCity = await read(city.json().id, [MINE]);
  t.notOk('population' in ofCity, "nor the city's");
  t.same(ofCity.strata, [], "the district's stratum counts communities outside it");
  const cityToDistrict = await read(city.json().id, ['320508']);
  t.same(cityToDistrict.strata, [{ stratum: '320508', population: 2, drawn: cityToDistrict.strata[0]?.drawn }], "a district sees its own stratum of the city's draw");
  t.notOk('population' in cityToDistrict, "nor the city's population");
  t.match(await read(survey.json().id, ['320508']), { population: 9 }, 'the district reads its own survey whole');
  t.notOk('population' in (await read(survey.json().id, ['320508'], { aidBase: crypto.randomUUID() })), 'an assistance base sees no figures');
});
