/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file
 * exists, and an anchor names a heading of the page it points to (GitHub's
 * slugs). Links inside code are not links.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** The targets of inline links and images: `[text](target)`, `![alt](target "title")`. */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const brokenLinks: string[] = [];
let checked = 0;
for (const page of pages) {
  const text = readFileSync(join(root, page), 'utf8');
  for (const target of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    checked++;
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURIComponent(path));
    if (!existsSync(file)) {
      brokenLinks.push(`${page}: ${target} (no ${relative(root, file)})`);
      continue;
    }
    if (anchor === undefined) continue;
    if (statSync(file).isDirectory() || !file.endsWith('.md')) {
      brokenLinks.push(`${page}: ${target} (an anchor into a file that is not Markdown)`);
      continue;
    }
    if (!anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) brokenLinks.push(`${page}: ${target} (no heading #${anchor} in ${relative(root, file)})`);
  }
}

t.ok(checked > 50, `checked ${checked} relative links in ${pages.length} pages`);
t.same(brokenLinks, [], 'every relative link and anchor resolves');

t.test('the slugs are GitHub’s', async (t) => {
  t.same(
    [...anchors('# API conventions\n## Command line (`pnpm reemploy …`)\n### Hardship categories (SPEC §3), derived in `x.ts`\n## Rate limits\n## Rate limits\n### 低保 (minimum livelihood)')],
    ['api-conventions', 'command-line-pnpm-reemploy-', 'hardship-categories-spec-3-derived-in-xts', 'rate-limits', 'rate-limits-1', '低保-minimum-livelihood'],
  );
  t.same(links('see [a](b.md#c), `[no](x.md)` and ![img](d.png "title")\n```\n[no](y.md)\n```\n'), ['b.md#c', 'd.png']);
});
