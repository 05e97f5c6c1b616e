import t from 'tap';
import { monthsBetween } from '../src/calendar.ts';
import { RETIREMENT_SCHEDULE, defaultRetirementScheme, retirementAge, retirementDate, schemeFits } from '../src/retirement.ts';
import { RETIREMENT_SCHEMES, type RetirementScheme } from '../src/enums.ts';

/**
 * [birth month, retirement age "YyMm", retirement month] as the annex tables 1-3 of the
 * 2024 decision list them: the month before the reform, the first and last birth month of
 * the first steps, steps in the middle, the last step before the target and the target.
 */
const TABLES: Record<RetirementScheme, [string, string, string][]> = {
  'male-60': [
    ['1964-12', '60y0m', '2024-12'],
    ['1965-01', '60y1m', '2025-02'], ['1965-04', '60y1m', '2025-05'],
    ['1965-05', '60y2m', '2025-07'], ['1965-08', '60y2m', '2025-10'],
    ['1965-09', '60y3m', '2025-12'], ['1965-12', '60y3m', '2026-03'],
    ['1970-09', '61y6m', '2032-03'], ['1970-12', '61y6m', '2032-06'],
    ['1971-01', '61y7m', '2032-08'],
    ['1975-06', '62y8m', '2038-02'],
    ['1976-05', '62y11m', '2039-04'], ['1976-08', '62y11m', '2039-07'],
    ['1976-09', '63y0m', '2039-09'], ['1976-12', '63y0m', '2039-12'], ['1990-01', '63y0m', '2053-01'],
  ],
  'female-55': [
    ['1969-12', '55y0m', '2024-12'],
    ['1970-01', '55y1m', '2025-02'], ['1970-04', '55y1m', '2025-05'],
    ['1970-05', '55y2m', '2025-07'], ['1970-08', '55y2m', '2025-10'],
    ['1971-06', '55y5m', '2026-11'],
    ['1975-09', '56y6m', '2032-03'], ['1975-12', '56y6m', '2032-06'],
    ['1981-05', '57y11m', '2039-04'], ['1981-08', '57y11m', '2039-07'],
    ['1981-09', '58y0m', '2039-09'], ['1981-12', '58y0m', '2039-12'], ['1995-06', '58y0m', '2053-06'],
  ],
  'female-50': [
    ['1974-12', '50y0m', '2024-12'],
    ['1975-01', '50y1m', '2025-02'], ['1975-02', '50y1m', '2025-03'],
    ['1975-03', '50y2m', '2025-05'], ['1975-04', '50y2m', '2025-06'],
    ['1976-06', '50y9m', '2027-03'],
    ['1977-01', '51y1m', '2028-02'],
    ['1979-11', '52y6m', '2032-05'], ['1979-12', '52y6m', '2032-06'], ['1980-01', '52y7m', '2032-08'],
    ['1984-09', '54y11m', '2039-08'], ['1984-10', '54y11m', '2039-09'],
    ['1984-11', '55y0m', '2039-11'], ['1984-12', '55y0m', '2039-12'], ['1995-06', '55y0m', '2050-06'],
  ],
};

for (const scheme of RETIREMENT_SCHEMES) {
  t.test(`${scheme}: the annex table's steps`, async (t) => {
    for (const [birthMonth, age, month] of TABLES[scheme]) {
      const birthDate = `${birthMonth}-15`;
      const { years, months } = retirementAge(scheme, birthDate);
      t.equal(`${years}y${months}m`, age, `born ${birthMonth}: age`);
      t.equal(retirementDate(scheme, birthDate), `${month}-15`, `born ${birthMonth}: retires in ${month}`);
    }
  });
}

t.test('the retirement date keeps the day of birth, or the last day of a shorter month', async (t) => {
  t.equal(retirementDate('male-60', '1965-01-31'), '2025-02-28', '60 years 1 month after 31 January');
  t.equal(retirementDate('male-60', '1964-02-29'), '2024-02-29', 'a leap day, 60 years on a leap year');
  t.equal(retirementDate('male-60', '1967-12-31'), '2028-09-30', '60 years 9 months after 31 December');
  t.equal(retirementDate('female-50', '1974-02-28'), '2024-02-28');
  t.equal(retirementDate('female-50', '1975-01-01'), '2025-02-01', 'the first day of the first delayed month');
  t.equal(retirementDate('female-50', '1974-12-31'), '2024-12-31', 'the last day before it');
});

t.test('the schedule: one version, every scheme starting its delay at the reform', async (t) => {
  t.equal(RETIREMENT_SCHEDULE.version, 'retirement-2025');
  t.match(RETIREMENT_SCHEDULE.source, /渐进式延迟法定退休年龄/);
  for (const scheme of RETIREMENT_SCHEMES) {
    const rule = RETIREMENT_SCHEDULE.schemes[scheme];
    // The first delayed birth month is the one that would have retired in the reform's first month.
    t.equal(monthsBetween(rule.firstDelayedBirthMonth, RETIREMENT_SCHEDULE.effectiveFrom), rule.originalAge * 12, scheme);
  }
});

t.test('schemes by gender', async (t) => {
  t.ok(schemeFits('male-60', 'male'));
  t.notOk(schemeFits('male-60', 'female'));
  t.ok(schemeFits('female-55', 'female'));
  t.notOk(schemeFits('female-50', 'male'));
  t.equal(defaultRetirementScheme('male'), 'male-60');
  t.equal(defaultRetirementScheme('female'), 'female-50', 'the shipped default: women workers');
  t.equal(defaultRetirementScheme('female', 'female-55'), 'female-55', 'as configured');
  t.equal(defaultRetirementScheme('male', 'female-55'), 'male-60', 'a man has one scheme');
});
