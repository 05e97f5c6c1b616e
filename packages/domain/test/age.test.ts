import t from 'tap';
import { ageAt, ageBand, isOlder4050, isWorkingAge } from '../src/age.ts';

t.test('age in whole years, a year older on the birthday', async (t) => {
  t.equal(ageAt('1986-06-15', '2026-06-15'), 40);
  t.equal(ageAt('1986-06-16', '2026-06-15'), 39);
  t.equal(ageAt('1984-02-29', '2026-02-28'), 41, 'born on 29 February: not yet on the 28th');
  t.equal(ageAt('1984-02-29', '2026-03-01'), 42);
});

t.test('age bands 16-24, 25-34, 35-39, 40-49, 50-59, 60+ at their edges', async (t) => {
  const cases: [number, string][] = [
    [16, '16-24'], [24, '16-24'], [25, '25-34'], [34, '25-34'], [35, '35-39'], [39, '35-39'],
    [40, '40-49'], [49, '40-49'], [50, '50-59'], [59, '50-59'], [60, '60+'], [75, '60+'],
  ];
  for (const [age, band] of cases) t.equal(ageBand(age), band, `${age}`);
});

t.test('4050: women from 40 and men from 50, on the birthday, until the retirement date', async (t) => {
  const woman = { gender: 'female', retirementScheme: 'female-55' } as const;
  const man = { gender: 'male', retirementScheme: 'male-60' } as const;
  t.notOk(isOlder4050({ ...woman, birthDate: '1986-06-16' }, '2026-06-15'), 'a woman 40 tomorrow');
  t.ok(isOlder4050({ ...woman, birthDate: '1986-06-15' }, '2026-06-15'), 'a woman 40 today');
  t.notOk(isOlder4050({ ...man, birthDate: '1976-06-16' }, '2026-06-15'), 'a man 50 tomorrow');
  t.ok(isOlder4050({ ...man, birthDate: '1976-06-15' }, '2026-06-15'), 'a man 50 today');
  // Born 1965-01-15: retires at 60 years and 1 month, on 2025-02-15.
  t.ok(isOlder4050({ ...man, birthDate: '1965-01-15' }, '2025-02-14'), 'the day before his retirement date');
  t.notOk(isOlder4050({ ...man, birthDate: '1965-01-15' }, '2025-02-15'), 'from his retirement date');
  t.notOk(isOlder4050({ ...man, birthDate: '1956-03-01' }, '2026-06-15'), 'a man of 70');
  t.notOk(isOlder4050({ gender: 'female', retirementScheme: 'female-50', birthDate: '1968-03-01' }, '2026-06-15'), 'a woman of 58, retired at 50');
  t.notOk(isOlder4050({ ...woman, birthDate: '1968-03-01' }, '2026-06-15'), 'a woman of 58, retired at 55');
  // Born 1975-06-10 under female-50: 50 years and 3 months, 2025-09-10.
  t.ok(isOlder4050({ gender: 'female', retirementScheme: 'female-50', birthDate: '1975-06-10' }, '2025-09-09'));
  t.notOk(isOlder4050({ gender: 'female', retirementScheme: 'female-50', birthDate: '1975-06-10' }, '2025-09-10'));
});

t.test('working age: from 16 until the day before the retirement date', async (t) => {
  const man = (birthDate: string) => ({ gender: 'male', retirementScheme: 'male-60', birthDate }) as const;
  t.notOk(isWorkingAge(man('2010-06-16'), '2026-06-15'), '15');
  t.ok(isWorkingAge(man('2010-06-15'), '2026-06-15'), '16 today');
  t.ok(isWorkingAge(man('1964-12-20'), '2024-12-19'), 'born before 1965: 60 years, the day before');
  t.notOk(isWorkingAge(man('1964-12-20'), '2024-12-20'), 'born before 1965: on his 60th birthday');
  t.ok(isWorkingAge(man('1966-01-20'), '2026-01-20'), 'on his 60th birthday, born 1966-01: retires at 60 years and 4 months');
  t.ok(isWorkingAge(man('1966-01-20'), '2026-05-19'));
  t.notOk(isWorkingAge(man('1966-01-20'), '2026-05-20'));
});
