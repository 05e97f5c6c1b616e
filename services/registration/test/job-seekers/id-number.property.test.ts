import t from 'tap';
import fc from 'fast-check';
import { makeIdNumber, parseIdNumber } from '@reemploy/domain';
import { build } from '../helper.ts';
import { client, count, seeker } from '../fixtures.ts';

const CHARS = '0123456789X';

/** Valid numbers: Suzhou regions, adults born 1930–2005, any sequence and gender. */
const validIdNumber = fc
  .record({
    region: fc.constantFrom('320505', '320506', '320507', '320508', '320509', '320581', '320583'),
    day: fc.integer({ min: 0, max: 27_000 }),
    seq: fc.integer({ min: 0, max: 999 }),
    gender: fc.constantFrom('male' as const, 'female' as const),
  })
  .map(({ region, day, seq, gender }) => makeIdNumber(region, new Date(Date.UTC(1930, 0, 1) + day * 86_400_000).toISOString().slice(0, 10), seq, gender));

/** Every single-character change (to any of 0-9, X and a few foreign characters) and every adjacent transposition. */
function mutations(id: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < id.length; i++) {
    for (const c of [...CHARS, 'A', ' ', '０', '-']) if (c !== id[i]) out.push(id.slice(0, i) + c + id.slice(i + 1));
    // Transposing two equal characters changes nothing: not a mutation.
    if (i < id.length - 1 && id[i] !== id[i + 1]) out.push(id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2));
  }
  return out;
}

t.test('every single-character change and adjacent transposition of a valid number is rejected', async (t) => {
  let checked = 0;
  fc.assert(
    fc.property(validIdNumber, (id) => {
      if (!parseIdNumber(id).ok) return false;
      for (const m of mutations(id)) {
        checked += 1;
        if (parseIdNumber(m).ok) throw new Error(`accepted a mutation of a valid number (position ${[...m].findIndex((c, i) => c !== id[i])})`);
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.ok(checked > 300 * 200, `${checked} mutations rejected`);
});

t.test('through HTTP too: a mutated number is a 400 on body.idNumber and nothing is stored', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  await fc.assert(
    fc.asyncProperty(validIdNumber, fc.nat(), async (id, pick) => {
      const all = mutations(id);
      const m = all[pick % all.length]!;
      const res = await api.post('/v1/job-seekers', seeker({ idNumber: m }));
      return res.statusCode === 400 && res.json().errors[0].field === 'body.idNumber';
    }),
    { numRuns: 25 },
  );
  t.equal(await count(svc, 'job_seekers'), 0);
});
