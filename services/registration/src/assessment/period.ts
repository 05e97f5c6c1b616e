import { cityDayStart, daysInMonth } from '@reemploy/domain';

/** Assessment periods are calendar months of the city's calendar. */
export interface PeriodBounds {
  period: string;
  year: number;
  /** First instant of the year. */
  yearStart: string;
  /** First instant of the period's month. */
  monthStart: string;
  /** First instant after the period (exclusive). */
  end: string;
  /** The period's last day, the reference date for ages. */
  lastDay: string;
}

/** A month of the years 2000 to 2100, as /reports/annual takes: Postgres has no year 0000. */
export const PERIOD_PATTERN = /^(20\d{2}|2100)-(0[1-9]|1[0-2])$/;

export function periodBounds(period: string): PeriodBounds {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new RangeError(`not a period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return {
    period,
    year,
    yearStart: cityDayStart(`${year}-01-01`).toISOString(),
    monthStart: cityDayStart(`${period}-01`).toISOString(),
    end: cityDayStart(`${next}-01`).toISOString(),
    lastDay: `${period}-${String(daysInMonth(year, month)).padStart(2, '0')}`,
  };
}

/** The months of a year up to a period, e.g. 2025-03 → 2025-01, 2025-02, 2025-03. */
export function monthsUpTo(period: string): string[] {
  const { year } = periodBounds(period);
  const month = Number(period.slice(5));
  return Array.from({ length: month }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}
