import { maskPhone } from '@reemploy/domain';
import type { Caller } from '@reemploy/http-kit';
import type { PiiCipher } from '@reemploy/pii';
import { employerPii } from './pii.ts';
import type { EmployerRow } from './repository.ts';
import type { EmployerView } from './schemas.ts';

/** `王**`: the family name kept, the rest hidden. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Whether the view shows personal information unmasked (and so must be audited). */
export function revealsPii(caller: Caller, row: EmployerRow): boolean {
  return caller.scopes.has('pii:read') && (row.contact_name_enc !== null || row.contact_phone_enc !== null);
}

export function toEmployerView(pii: PiiCipher, caller: Caller, row: EmployerRow): EmployerView {
  const reveal = caller.scopes.has('pii:read');
  const name = row.contact_name_enc ? pii.decrypt(row.contact_name_enc, employerPii(row.id, 'contact_name_enc')) : null;
  const phone = row.contact_phone_enc ? pii.decrypt(row.contact_phone_enc, employerPii(row.id, 'contact_phone_enc')) : null;
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    communityCode: row.community_code,
    address: row.address,
    contactName: name === null ? null : reveal ? name : maskName(name),
    contactPhone: phone === null ? null : reveal ? phone : maskPhone(phone),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
