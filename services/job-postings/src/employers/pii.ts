import type { PiiPlace } from '@reemploy/pii';

/** Where an employer's contact name or phone is stored: its ciphertext decrypts there alone. */
export function employerPii(id: string, column: 'contact_name_enc' | 'contact_phone_enc'): PiiPlace {
  return { table: 'employers', column, row: id };
}
