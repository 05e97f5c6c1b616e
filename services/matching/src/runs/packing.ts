/** A Postgres array literal of plain tokens (uuids, numbers, category codes). */
export function arrayCell(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}
