import t from 'tap';
import { idNumberCheckChar, maskIdNumber, parseIdNumber } from '../src/id-number.ts';

const AT = new Date('2026-06-15T00:00:00Z');
/** The example of GB 11643 itself: 北京市朝阳区, born 31 December 1949, a woman, check character X. */
const STANDARD = '11010519491231002X';
const withBody = (first17: string) => first17 + idNumberCheckChar(first17);

t.test('the standard example: region, birth date, gender and an X check character', async (t) => {
  t.same(parseIdNumber(STANDARD, AT), { ok: true, idNumber: STANDARD, regionCode: '110105', birthDate: '1949-12-31', gender: 'female' });
  t.match(parseIdNumber(STANDARD.toLowerCase(), AT), { ok: true, idNumber: STANDARD }, 'a lower-case x is normalised');
  t.match(parseIdNumber('110105194912310020', AT), { ok: false, reason: /check character/ }, 'the wrong check character');
});

t.test('digit 17 odd is a man, even a woman', async (t) => {
  for (let d = 0; d <= 9; d++) {
    const r = parseIdNumber(withBody(`3205081985031212${d}`), AT);
    t.match(r, { ok: true, gender: d % 2 === 1 ? 'male' : 'female' }, `digit 17 = ${d}`);
  }
});

t.test('the birth date must be a real past date', async (t) => {
  t.match(parseIdNumber(withBody('32050819850230123'), AT), { ok: false, reason: /not a real date/ }, '30 February');
  t.match(parseIdNumber(withBody('32050819850229123'), AT), { ok: false, reason: /not a real date/ }, '29 February of a common year');
  t.match(parseIdNumber(withBody('32050819841329123'), AT), { ok: false, reason: /not a real date/ }, 'month 13');
  t.match(parseIdNumber(withBody('32050819840229123'), AT), { ok: true, birthDate: '1984-02-29' }, '29 February of a leap year');
  t.match(parseIdNumber(withBody('32050818990101123'), AT), { ok: false, reason: 'birth date is before 1900' }, 'a date before 1900 says so');
  t.match(parseIdNumber(withBody('32050820270101123'), AT), { ok: false, reason: /future/ });
});

t.test('a person under 16 is refused; 16 on the day of the birthday', async (t) => {
  t.match(parseIdNumber(withBody('32050820100615123'), AT), { ok: true, birthDate: '2010-06-15' }, '16 today');
  t.match(parseIdNumber(withBody('32050820100616123'), AT), { ok: false, reason: /under 16/ }, '16 tomorrow');
});

t.test('masked as 320508********123X: region and the last four kept', async (t) => {
  t.equal(maskIdNumber('32050819850312123X'), '320508********123X');
});
