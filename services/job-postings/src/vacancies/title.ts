/**
 * The duplicate key of a title: NFKC (full-width to half-width), case folded, whitespace,
 * punctuation and symbols removed. `【急招】保安员 （夜班）` and `急招保安员(夜班)` are one title.
 */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\s]/gu, '');
}
