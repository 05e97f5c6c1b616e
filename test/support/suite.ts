import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

/**
 * Every test file is a module tap could run as a process of its own, but a
 * process costs seconds of CPU before its first test (loading tap, the
 * TypeScript loader and hundreds of modules), and the machine has two cores.
 * So tap runs suites (`*.suite.ts`, one per test folder or part of one), each
 * importing its folder's test files in one process, one after the other.
 *
 * A file still runs on its own where tap's configuration names it (package.json
 * `tap.include`): one that is slow enough to balance the two cores by itself,
 * or that holds services for its whole run.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The test files tap runs as processes of their own, as the root package.json names them. */
export function ownProcessFiles(): Set<string> {
  const { tap } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { tap: { include: string[] } };
  return new Set(tap.include.filter((pattern) => pattern.endsWith('.test.ts') && !pattern.includes('*')));
}

/** Whether a folder is a suite's: it holds a `*.suite.ts`. */
function hasSuite(dir: string): boolean {
  return readdirSync(dir).some((name) => name.endsWith('.suite.ts'));
}

/** The files under `dir` whose names end with `suffix`, in order, skipping node_modules and folders `enter` refuses. */
export function filesUnder(dir: string, suffix: string, enter: (folder: string) => boolean = () => true): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && enter(path)) files.push(...filesUnder(path, suffix, enter));
    else if (entry.isFile() && entry.name.endsWith(suffix)) files.push(path);
  }
  return files;
}

/**
 * The test files a suite in `dir` runs: those under it, except under a folder
 * with a suite of its own, and except those tap runs as processes of their own.
 */
export function suiteFiles(dir: string): string[] {
  const own = ownProcessFiles();
  return filesUnder(dir, '.test.ts', (folder) => !hasSuite(folder)).filter((file) => !own.has(relative(root, file)));
}

/** Imports the suite's test files in order; each registers its tests with tap's root, which runs them one after the other. */
export async function runSuite(suiteUrl: string, timeoutMs = 600_000) {
  // The configured timeout is per process; a suite is many files' worth of it.
  t.setTimeout(timeoutMs);
  for (const file of suiteFiles(dirname(fileURLToPath(suiteUrl)))) {
    await import(pathToFileURL(file).href);
  }
}
