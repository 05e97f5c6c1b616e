import t from 'tap';
import { ageAt, ageBand, isOlder4050 } from '../src/age.ts';

t.test('age in whole years, a year older on the birthday', async (t) => {
  const at = new Date('2026-06-15T12:00:00Z');
  t.equal(ageAt('1986-06-15', at), 40);
  t.equal(ageAt('1986-06-16', at), 39);
  t.equal(ageAt('1984-02-29', new Date('2026-02-28T00:00:00Z')), 41, 'born on 29 February: not yet on the 28th');
  t.equal(ageAt('1984-02-29', new Date('2026-03-01T00:00:00Z')), 42);
});

t.test('age bands 16-24, 25-34, 35-39, 40-49, 50-59, 60+ at their edges', async (t) => {
  const cases: [number, string][] = [
    [16, '16-24'], [24, '16-24'], [25, '25-34'], [34, '25-34'], [35, '35-39'], [39, '35-39'],
    [40, '40-49'], [49, '40-49'], [50, '50-59'], [59, '50-59'], [60, '60+'], [75, '60+'],
  ];
  for (const [age, band] of cases) t.equal(ageBand(age), band, `${age}`);
});

t.test('4050: women 40 and over, men 50 and over', async (t) => {
  t.notOk(isOlder4050('female', 39));
  t.ok(isOlder4050('female', 40));
  t.notOk(isOlder4050('male', 49));
  t.ok(isOlder4050('male', 50));
});
