import t from 'tap';
import { createDemoCity } from '@reemploy/demo-city';
import { KEY_LIST_LIMIT } from '../src/matcher.ts';
import { postingList, postingRows } from '../src/postings.ts';
import { buildVacancyIndex, F_POSITION, H_NO_SKILL, H_POST_CLASS, H_WAGE_MAX, STRIDE } from '../src/vacancy-index.ts';

const KINDS = ['bySkill', 'byFamily', 'byOccupation', 'byGroup', 'byCommunity', 'openToAll', 'reserved', 'publicWelfare'] as const;

t.test('every list a seeker can read holds, as rows after its header, exactly its vacancies in the same order, whole, by district and by street', async (t) => {
  // Enough vacancies that common keys are cut into district and street parts.
  const { vacancies } = createDemoCity({ seed: 'postings', seekers: 10, vacancies: 20_000 }).engineInput();
  const ix = buildVacancyIndex(vacancies, KEY_LIST_LIMIT);
  const districts = ix.districts.size;
  const areaOfStreet = new Map<number, number>();
  for (let a = 0; a < ix.areaStreet.length; a++) areaOfStreet.set(ix.areaStreet[a]!, ix.areaDistrict[a]!);
  const read = { whole: 0, district: 0, street: 0 };
  let mismatches = 0, headers = 0;
  for (const kind of KINDS) {
    const p = ix[kind];
    for (let key = 0; key < p.whole.length; key++) {
      // Every (district, street) a seeker can live in, and an unknown street and district.
      const places: [number, number][] = [[-1, -1]];
      for (let d = 0; d < districts; d++) places.push([d, -1]);
      for (const [s, d] of areaOfStreet) places.push([d, s]);
      for (const [district, street] of places) {
        const list = postingList(p, key, district, street);
        const rows = postingRows(p, key, district, street);
        if (p.whole[key]) read.whole++;
        else if (list.length && street < 0) read.district++;
        else if (list.length) read.street++;
        let same = rows.length === (list.length === 0 ? 0 : (list.length + 1) * STRIDE);
        for (let i = 0; same && i < list.length; i++) {
          const v = list[i]!;
          for (let f = 0; f < STRIDE; f++) {
            const expected = f === F_POSITION ? v : ix.data[v * STRIDE + f]!;
            if (rows[(i + 1) * STRIDE + f] !== expected) same = false;
          }
        }
        if (!same) mismatches++;
        if (list.length === 0) continue;
        // The header: the most any of the list's vacancies has.
        const listed = [...list].map((v) => ix.vacancies[v]!);
        const wage = Math.max(...listed.map((v) => v.wageMax));
        const postClass = Math.max(...listed.map((v) => (v.reservedFor.length > 0 || v.aidBase ? 2 : v.kind === 'public-welfare' ? 1 : 0)));
        const noSkill = listed.some((v) => v.skills.length === 0) ? 1 : 0;
        if (rows[H_WAGE_MAX] !== wage || rows[H_POST_CLASS] !== postClass || rows[H_NO_SKILL] !== noSkill) headers++;
      }
    }
  }
  t.equal(mismatches, 0, 'rows and positions agree for every key and place');
  t.equal(headers, 0, "every list's header holds its best wage, highest kind of post and whether a post needs no skill");
  t.ok(read.whole > 0 && read.district > 0 && read.street > 0, `lists read whole (${read.whole}), by district (${read.district}) and by street (${read.street})`);
  // Only the copies carry the position: the index's own rows keep their open flag (F_OPEN), which GET candidates reads.
  let flags = 0;
  for (let v = 0; v < ix.count; v++) if (ix.data[v * STRIDE + F_POSITION] === (ix.vacancies[v]!.headcountLeft > 0 ? 1 : 0)) flags++;
  t.equal(flags, ix.count, 'every row of the index keeps its open flag');
});
