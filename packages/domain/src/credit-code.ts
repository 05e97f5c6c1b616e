/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet without I, O, S, V and Z; the 18th is a MOD 31 check character.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export type CreditCodeResult =
  | {
      ok: true;
      creditCode: string;
      /** Position 1: the registering authority (9 = market regulation, 5 = civil affairs, ...). */
      registrationAuthority: string;
      /** Position 2: the kind of entity within that authority. */
      entityType: string;
      /** Positions 3–8: the GB/T 2260 division where it is registered. */
      divisionCode: string;
      /** Positions 9–17: the organisation code body. */
      organisationCode: string;
    }
  | { ok: false; reason: string };

/** The check character of the first 17 characters: 31 − (Σ value×weight mod 31), where 31 becomes 0. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (value < 0) throw new RangeError(`not a credit code character at position ${i + 1}`);
    sum += value * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a unified social credit code. Surrounding spaces and lower case are accepted and
 * normalised; the returned `creditCode` is the stored, compared form.
 */
export function parseCreditCode(input: string): CreditCodeResult {
  const code = input.normalize('NFKC').trim().toUpperCase();
  if (code.length !== 18) return { ok: false, reason: 'must be 18 characters' };
  if (!SHAPE.test(code)) {
    return { ok: false, reason: 'may only use digits and the capital letters A-H, J-N, P, Q, R, T, U, W, X, Y' };
  }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, reason: 'check character does not match' };
  return {
    ok: true,
    creditCode: code,
    registrationAuthority: code[0]!,
    entityType: code[1]!,
    divisionCode: code.slice(2, 8),
    organisationCode: code.slice(8, 17),
  };
}

export function isCreditCode(input: string): boolean {
  return parseCreditCode(input).ok;
}

/** Builds a valid code from a 17-character body (test data, generators). */
export function makeCreditCode(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a credit code body has 17 characters');
  return first17 + creditCodeCheckChar(first17);
}
