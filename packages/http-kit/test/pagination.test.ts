import t from 'tap';
import { cursorTimestamp } from '../src/pagination.ts';

t.test('a cursor timestamp takes only what Postgres reads as a timestamptz', async (t) => {
  for (const value of [
    '2026-11-29 08:15:42.123456+08',
    '2026-11-29T08:15:42Z',
    '2026-11-29 08:15:42+05:45',
    '2026-11-29 08:15:42-1559',
    '2026-11-29 08:15:42+15:59',
    '2024-02-29 00:00:00+00',
  ]) {
    t.ok(cursorTimestamp.safeParse(value).success, value);
  }
  for (const value of [
    '2026-11-29 08:15:42+99',
    '2026-11-29 08:15:42+16',
    '2026-11-29 08:15:42-16:00',
    '2026-11-29 08:15:42+15:60',
    '2026-02-29 00:00:00+00',
    '0000-01-01 00:00:00+00',
    '2026-11-29 24:00:00+00',
  ]) {
    t.notOk(cursorTimestamp.safeParse(value).success, value);
  }
});
