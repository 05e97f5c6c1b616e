/**
 * The city's calendar (SPEC §2): every date rule (ages, retirement, durations,
 * periods, deadlines, ledger months, "today") takes its date from here, in
 * Asia/Shanghai, never from the UTC date of an instant. Calendar dates are
 * 'YYYY-MM-DD' strings, months 'YYYY-MM'.
 */
export const CITY_TIME_ZONE = 'Asia/Shanghai';

const DATE_IN_CITY = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The city's calendar date of an instant: from 16:00 to 24:00 UTC a day ahead of the UTC date. */
export function cityDate(at: Date = new Date()): string {
  return DATE_IN_CITY.format(at);
}

/** The city's calendar month of an instant ('YYYY-MM'). */
export function cityMonth(at: Date = new Date()): string {
  return cityDate(at).slice(0, 7);
}

export function cityYear(at: Date = new Date()): number {
  return Number(cityDate(at).slice(0, 4));
}

/** The instant the city's calendar year of `at` began. */
export function cityYearStart(at: Date = new Date()): Date {
  return cityDayStart(`${cityYear(at)}-01-01`);
}

/** The instant a city calendar date begins: China Standard Time is UTC+8 all year (no daylight saving since 1991). */
export function cityDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether year, month and day name a day of the Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The date `months` calendar months after `date`: the same day of the month, or the month's last day when it is shorter. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

/** The date `days` days after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar months from one month to another ('YYYY-MM' or a date; negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}
