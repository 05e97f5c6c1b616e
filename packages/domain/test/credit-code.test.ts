import t from 'tap';
import fc from 'fast-check';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, isCreditCode, makeCreditCode, parseCreditCode } from '../src/credit-code.ts';

// Published codes of well-known companies, checked by hand against the GB 32100 rule.
const REAL = ['91110108551385082Q', '91440300708461136T', '911100001000044477', '91350100M000100Y43'];

t.test('accepts published codes and splits their parts', async (t) => {
  for (const code of REAL) t.ok(isCreditCode(code), code);
  const parsed = parseCreditCode('91440300708461136T');
  t.same(parsed, {
    ok: true,
    creditCode: '91440300708461136T',
    registrationAuthority: '9',
    entityType: '1',
    divisionCode: '440300',
    organisationCode: '708461136',
  });
});

t.test('normalises lower case, full-width and surrounding spaces', async (t) => {
  const parsed = parseCreditCode(' 91110108551385082q ');
  t.equal(parsed.ok && parsed.creditCode, '91110108551385082Q');
  t.equal(parseCreditCode('９１１１０１０８５５１３８５０８２Ｑ').ok, true);
});

t.test('rejects wrong length, forbidden letters and a wrong check character, saying why', async (t) => {
  t.same(parseCreditCode('9111010855138508'), { ok: false, reason: 'must be 18 characters' });
  const withI = parseCreditCode('91110108551385082I');
  t.notOk(withI.ok);
  t.match(!withI.ok && withI.reason, /capital letters/);
  for (const letter of ['I', 'O', 'S', 'V', 'Z']) t.notOk(isCreditCode(`9111010855138508${letter}Q`), `letter ${letter}`);
  t.same(parseCreditCode('91110108551385082R'), { ok: false, reason: 'check character does not match' });
});

t.test('the check value 31 becomes 0', async (t) => {
  // Find a body whose weighted sum is a multiple of 31 and check it ends in 0.
  let body = '';
  for (let n = 0; n < 10_000 && !body; n++) {
    const candidate = `9132050800000${String(n).padStart(4, '0')}`;
    if (creditCodeCheckChar(candidate) === '0') body = candidate;
  }
  t.ok(body, 'found a body with check 0');
  t.ok(isCreditCode(`${body}0`));
});

const codeBody = fc.string({ unit: fc.constantFrom(...CREDIT_CODE_ALPHABET), minLength: 17, maxLength: 17 });

t.test('made codes are valid; any single-character change is caught', async (t) => {
  fc.assert(
    fc.property(codeBody, fc.nat(17), fc.nat(30), (body, position, shift) => {
      const code = makeCreditCode(body);
      if (!isCreditCode(code)) return false;
      const index = CREDIT_CODE_ALPHABET.indexOf(code[position]!);
      const replacement = CREDIT_CODE_ALPHABET[(index + 1 + (shift % 30)) % 31]!;
      const altered = code.slice(0, position) + replacement + code.slice(position + 1);
      return !isCreditCode(altered);
    }),
  );
  t.pass('property held');
});
