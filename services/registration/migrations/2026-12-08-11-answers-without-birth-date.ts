import { sql, type Kysely } from 'kysely';

/**
 * A seeker's birth date is shown with pii:read only (issue #18): the stored
 * Idempotency-Key answers that showed one to a caller without it (the plain
 * ones: an answer a pii:read caller got is sealed) lose it, so a replay does
 * not show it again. The answers are compact JSON in which `birthDate` is
 * followed by `age`: the field and its comma go, the rest stays byte for byte.
 */
export async function up(db: Kysely<unknown>) {
  await sql`
    update idempotency_keys
    set response = jsonb_set(response, '{body}', to_jsonb(regexp_replace(response->>'body', '"birthDate":"\\d{4}-\\d{2}-\\d{2}",', '', 'g')))
    where response ? 'body' and response->>'body' like '%"birthDate":"%'`.execute(db);
}

export async function down() {
  // What was removed is not put back.
}
