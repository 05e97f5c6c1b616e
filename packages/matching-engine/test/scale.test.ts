import t from 'tap';
import { createDemoCity } from '@reemploy/demo-city';
import { createMatcher } from '../src/index.ts';

/** Candidates considered per seeker when 1,000 demo seekers are ranked against `vacancies` vacancies. */
function perSeeker(vacancies: number): { considered: number; withResults: number } {
  const city = createDemoCity({ seed: 'scale', seekers: 1000, vacancies });
  const { seekers, vacancies: posts } = city.engineInput();
  const matcher = createMatcher(posts);
  let withResults = 0;
  for (const s of seekers) if (matcher.candidatesFor(s, 60).length > 0) withResults++;
  return { considered: matcher.stats().candidatesConsidered / seekers.length, withResults };
}

t.test('the work per seeker is bounded by the candidates, not by the number of vacancies', async (t) => {
  const small = perSeeker(10_000);
  const large = perSeeker(40_000);
  t.ok(small.considered < 0.1 * 10_000, `${small.considered.toFixed(0)} of 10,000 vacancies considered per seeker`);
  t.ok(large.considered < 0.03 * 40_000, `${large.considered.toFixed(0)} of 40,000 vacancies considered per seeker`);
  t.ok(large.considered < 2 * small.considered, 'four times the vacancies, well under twice the work');
  t.ok(small.withResults > 950 && large.withResults > 950, 'nearly every seeker still gets candidates');
});
