/** The checker the PII walks stand on (test/support/pii-leaks.ts): what it finds, and what it leaves alone. */
import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { piiLeaks } from '../support/pii-leaks.ts';

const idNumber = makeIdNumber('320508', '1974-11-27', 881, 'male');
const known = { idNumbers: [idNumber], phones: ['13912340077'] };
const masked = { id: '7f1c2a9e-1974-4b11-8d27-0a1b2c3d4e5f', idNumber: '320508********' + idNumber.slice(14), phone: '139****0077', age: 52, ageBand: '50-59', createdAt: '2026-11-27T10:19:45.123Z' };

t.test('a masked record as the contract shows it passes', async (t) => {
  t.same(piiLeaks(known, masked), []);
  t.same(piiLeaks(known, { items: [masked, masked], nextCursor: null }), []);
  t.same(piiLeaks(known, '层级,区划代码,名称,登记\r\n社区,320508024043,龙港苑社区,11\r\n'), [], 'a ledger line of counts');
});

t.test('the birth date in any notation is found, with where it is', async (t) => {
  for (const notation of ['1974-11-27', '19741127', '1974/11/27', '1974.11.27', '27.11.1974', '11/27/1974', '1974年11月27日', '1974年11月27', '74-11-27', '1974-11-26T16:00:00.000Z', 'born 1974 - 11 - 27']) {
    t.match(piiLeaks(known, { ...masked, born: notation }), [{ path: 'born', what: 'birth-date', of: idNumber }], notation);
  }
  t.match(piiLeaks(known, { ...masked, born: Date.UTC(1974, 10, 27) }), [{ what: 'birth-date' }], 'epoch milliseconds');
  t.match(piiLeaks(known, { items: [{ ...masked, birth: { year: 1974, month: 11, day: 27 } }] }), [{ path: 'items.0.birth', what: 'birth-date' }], 'split over fields');
  t.match(piiLeaks(known, { ...masked, birthYear: '1974', birthday: '11-27' }), [{ path: '(root)', what: 'birth-date' }], 'a year and a month-day');
  t.match(piiLeaks(known, [[1974, 11, 27]]), [{ what: 'birth-date' }], 'a row of cells');
  t.same(piiLeaks(known, { ...masked, year: 1974, month: 11 }), [], 'a year and a month alone are no date');
});

t.test('full or less masked numbers and phones are found', async (t) => {
  for (const value of [idNumber, idNumber.toLowerCase(), `${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14)}`, `${idNumber.slice(0, 10)}****${idNumber.slice(14)}`]) {
    t.match(piiLeaks(known, { ...masked, idNumber: value }), [{ what: 'id-number' }], value);
  }
  for (const value of ['13912340077', '+86 139 1234 0077', '139-1234-0077', '1391234****', '139*2340077']) {
    t.match(piiLeaks(known, { ...masked, phone: value }), [{ what: 'phone' }], value);
  }
  t.same(piiLeaks(known, { ...masked, phone: '139****0078' }), [], "another person's masked phone");
});
