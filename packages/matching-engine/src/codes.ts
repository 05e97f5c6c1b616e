/**
 * Code prefixes the engine relies on. They follow the shared code formats only, so the
 * engine does not depend on the contents of the taxonomy: an occupation `4-03-01` is in
 * group `4-03` and major group `4`; a skill `S012-03` is in family `S012`; a community
 * `320508024043` is in street `320508024`, district `320508` and city `3205`.
 * Checked by character rather than by regular expression: these run per candidate.
 */
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** `^[1-8]-\d{2}-\d{2}$` */
export function isOccupationCode(code: string): boolean {
  if (code.length !== 7) return false;
  const m = code.charCodeAt(0);
  return m >= 49 && m <= 56 && code.charCodeAt(1) === 45 && isDigit(code.charCodeAt(2)) && isDigit(code.charCodeAt(3))
    && code.charCodeAt(4) === 45 && isDigit(code.charCodeAt(5)) && isDigit(code.charCodeAt(6));
}

/** `^S\d{3}-\d{2}$` */
export function isSkillCode(code: string): boolean {
  return code.length === 7 && code.charCodeAt(0) === 83 && isDigit(code.charCodeAt(1)) && isDigit(code.charCodeAt(2))
    && isDigit(code.charCodeAt(3)) && code.charCodeAt(4) === 45 && isDigit(code.charCodeAt(5)) && isDigit(code.charCodeAt(6));
}

export function occupationGroupOf(code: string): string | null {
  return isOccupationCode(code) ? code.slice(0, 4) : null;
}

export function occupationMajorOf(code: string): string | null {
  return isOccupationCode(code) ? code.slice(0, 1) : null;
}

export function skillFamilyOf(code: string): string | null {
  return isSkillCode(code) ? code.slice(0, 4) : null;
}

/** The prefix of a region code at a level, or null when the code is too short to have one. */
export function regionPrefix(code: string, length: number): string | null {
  return code.length >= length ? code.slice(0, length) : null;
}

/** Whether both strings have at least n characters and the same first n. */
export function samePrefix(a: string, b: string, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}
