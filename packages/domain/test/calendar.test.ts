import t from 'tap';
import fc from 'fast-check';
import { addDays, addMonths, cityDate, cityDayStart, cityMonth, cityYear, daysInMonth, isCalendarDate, monthsBetween } from '../src/calendar.ts';
import { deriveHardship, type HardshipMember } from '../src/hardship.ts';
import { makeIdNumber, parseIdNumber } from '../src/id-number.ts';

t.test("the city's date of an instant is Shanghai's, a day ahead of UTC from 16:00 UTC", async (t) => {
  t.equal(cityDate(new Date('2026-06-14T15:59:59.999Z')), '2026-06-14');
  t.equal(cityDate(new Date('2026-06-14T16:00:00Z')), '2026-06-15');
  t.equal(cityMonth(new Date('2026-05-31T16:30:00Z')), '2026-06');
  t.equal(cityYear(new Date('2026-12-31T16:00:00Z')), 2027);
  t.equal(cityDayStart('2026-06-15').toISOString(), '2026-06-14T16:00:00.000Z');
});

t.test('calendar arithmetic', async (t) => {
  t.equal(addMonths('2024-01-31', 1), '2024-02-29');
  t.equal(addMonths('2023-01-31', 1), '2023-02-28');
  t.equal(addMonths('2025-11-30', 14), '2027-01-30');
  t.equal(addMonths('2025-03-15', -3), '2024-12-15');
  t.equal(addDays('2024-02-28', 1), '2024-02-29');
  t.equal(addDays('2025-01-01', -1), '2024-12-31');
  t.equal(monthsBetween('1965-01', '1976-09-30'), 140);
  t.equal(monthsBetween('1965-01', '1964-12-31'), -1);
  t.same([daysInMonth(2024, 2), daysInMonth(2100, 2), daysInMonth(2000, 2), daysInMonth(2025, 4)], [29, 28, 29, 30]);
  t.ok(isCalendarDate(2024, 2, 29));
  t.notOk(isCalendarDate(2025, 2, 29));
  t.notOk(isCalendarDate(2025, 13, 1));
});

const member = (over: Partial<HardshipMember>): HardshipMember => ({
  id: 'm', relationship: 'head', gender: 'female', retirementScheme: 'female-55', birthDate: '1990-01-01', status: 'unemployed',
  ableToWork: true, willingToWork: true, laidOff: false, minimumLivelihood: false, disabled: false, unemployedSince: null, ...over,
});

/** An instant between 00:00 and 08:00 in Suzhou (16:00 to 24:00 UTC the day before), and its city date. */
const earlyMorning = fc
  .record({ day: fc.integer({ min: 0, max: 365 * 40 }), ms: fc.integer({ min: 0, max: 8 * 3_600_000 - 1 }) })
  .map(({ day, ms }) => {
    const date = addDays('2010-01-01', day);
    return { date, at: new Date(cityDayStart(date).getTime() + ms) };
  });

const yearsBefore = (date: string, years: number) => addMonths(date, -12 * years);

t.test("between 00:00 and 08:00 in the city every date rule uses the city's date, not UTC's", async (t) => {
  fc.assert(
    fc.property(earlyMorning, ({ date, at }) => {
      if (date.endsWith('-02-29')) return; // no birthday that day 40 years earlier
      if (cityDate(at) !== date) return false;
      const birthday40 = member({ id: 'w', birthDate: yearsBefore(date, 40) });
      const since = member({ id: 'u', unemployedSince: addMonths(date, -12) });
      const derived = deriveHardship({ singleParent: false, minorChildren: 0, otherEmployedMembers: 1 }, [birthday40, since], at);
      if (!derived.members.w!.includes('OLDER_4050')) return false;
      if (!derived.members.u!.includes('LONG_TERM_UNEMPLOYED')) return false;
      // Before the reform a man retired on his 60th birthday: from 00:00 that day he is not of working age.
      const retiring = member({ id: 'r', gender: 'male', retirementScheme: 'male-60', birthDate: yearsBefore(date, 60) });
      const alone = deriveHardship({ singleParent: false, minorChildren: 0, otherEmployedMembers: 0 }, [retiring], at);
      if (date < '2025-01-01' && alone.household.includes('ZERO_EMPLOYMENT_HOUSEHOLD')) return false;
      // Sixteen today: old enough to register.
      return parseIdNumber(makeIdNumber('320508', yearsBefore(date, 16), 11, 'male'), at).ok;
    }),
    { numRuns: 2000 },
  );
  t.pass('2,000 instants between 00:00 and 08:00');
});
