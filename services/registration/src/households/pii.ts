import type { PiiPlace } from '@reemploy/pii';

/** Where a household's minimum-livelihood certificate number is stored: its ciphertext decrypts there alone. */
export function certificatePii(householdId: string): PiiPlace {
  return { table: 'households', column: 'minimum_livelihood_certificate_enc', row: householdId };
}
