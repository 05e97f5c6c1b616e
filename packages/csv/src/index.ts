import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null | undefined;

/**
 * Rows as CSV for a person to open in a spreadsheet: UTF-8 with a byte-order mark (Excel needs it to
 * read Chinese), CRLF and quoting as RFC 4180 has them, and no text cell read as a formula.
 *
 * csv-stringify's `escape_formulas` puts an apostrophe before a text cell starting with = + - @, tab or
 * CR (OWASP "CSV Injection"), or their full-width forms; numbers, negative ones too, stay numbers. ASVS
 * 1.2.10 adds NUL, done here. Quoted as well: a cell holding a lone CR or LF, and one holding `;`, on which
 * spreadsheets in some locales split (the part after it would start a cell of its own).
 */
export function spreadsheetCsv(rows: readonly (readonly Cell[])[]): string {
  const csv = stringify(rows as Cell[][], {
    record_delimiter: 'windows',
    quote_record_delimiter: true,
    quoted_match: ';',
    escape_formulas: true,
    cast: { string: (value) => (value.startsWith('\0') ? `'${value}` : value) },
  });
  return `\uFEFF${csv}`;
}
