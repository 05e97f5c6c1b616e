import { toSimplified } from '@reemploy/domain/script';
import type { Named } from './types.ts';

/** Full-width to half-width, case folded, whitespace collapsed: how names and queries are compared. */
export function normaliseQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

interface Searchable extends Named {
  code: string;
  aliases?: readonly string[];
}

/**
 * Rank: 0 exact name or code, 1 name or code starts with the query, 2 a name contains it, 3 only an alias matches.
 * Undefined when nothing matches.
 */
function rankOf(entry: Searchable, q: string): number | undefined {
  const code = entry.code.toLowerCase();
  const names = [entry.nameZh, entry.nameEn.toLowerCase()];
  if (code === q || names.includes(q)) return 0;
  // Codes match by prefix only: `4-03` is a group, not a substring of `6-24-03`.
  if (code.startsWith(q) || names.some((n) => n.startsWith(q))) return 1;
  if (names.some((n) => n.includes(q))) return 2;
  if (entry.aliases?.some((a) => normaliseQuery(a).includes(q))) return 3;
  return undefined;
}

/**
 * Entries matching the query in Chinese, English, alias or code, best first, then by code. Names are
 * simplified; a query in traditional characters is also tried in simplified ones (保安員 finds 保安员).
 */
export function searchEntries<T extends Searchable>(entries: readonly T[], query: string): T[] {
  const q = normaliseQuery(query);
  if (q === '') return [...entries];
  const simplified = toSimplified(q);
  const hits: { entry: T; rank: number }[] = [];
  for (const entry of entries) {
    const ranks = [rankOf(entry, q), simplified === q ? undefined : rankOf(entry, simplified)].filter((r) => r !== undefined);
    if (ranks.length) hits.push({ entry, rank: Math.min(...ranks) });
  }
  return hits.sort((a, b) => a.rank - b.rank || a.entry.code.localeCompare(b.entry.code)).map((h) => h.entry);
}
