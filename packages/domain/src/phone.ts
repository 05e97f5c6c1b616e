/** A mainland mobile (1[3-9]xxxxxxxxx) or a landline with area code (0xx-xxxxxxxx). */
export function parseMainlandPhone(input: string): { ok: true; phone: string } | { ok: false; reason: string } {
  const compact = input.replace(/[\s-]/g, '').replace(/^\+86/, '');
  if (/^1[3-9]\d{9}$/.test(compact)) return { ok: true, phone: compact };
  if (/^0\d{2,3}\d{7,8}$/.test(compact)) return { ok: true, phone: compact };
  return { ok: false, reason: 'must be a mainland mobile (11 digits starting 13-19) or a landline with its area code' };
}

/** `138****5678`: the first three and last four digits. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}
