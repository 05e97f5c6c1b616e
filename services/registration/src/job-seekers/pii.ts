import type { PiiPlace } from '@reemploy/pii';

export type SeekerPiiColumn = 'id_number_enc' | 'name_enc' | 'phone_enc';

/** Where one of a seeker's personal values is stored: its ciphertext decrypts there alone. */
export function seekerPii(id: string, column: SeekerPiiColumn): PiiPlace {
  return { table: 'job_seekers', column, row: id };
}
