/**
 * tap runs suites (each importing a folder's test files in one process) and a
 * few files on their own (test/support/suite.ts): every test file must run
 * exactly once that way, or a new file would silently never run, or run twice.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { filesUnder, ownProcessFiles, suiteFiles } from './support/suite.ts';

const root = join(import.meta.dirname, '..');

function filesNamed(suffix: string): string[] {
  return ['packages', 'services', 'test'].flatMap((top) => filesUnder(join(root, top), suffix)).map((file) => relative(root, file));
}

t.test('every test file runs once: in one suite, or on its own as tap.include names it', async (t) => {
  const listed = (await promisify(execFile)('pnpm', ['exec', 'tap', 'list'], { cwd: root })).stdout.split('\n').filter(Boolean).sort();
  const suites = filesNamed('.suite.ts');
  t.same(listed.filter((f) => f.endsWith('.suite.ts')), suites, 'tap runs every suite');
  const own = [...ownProcessFiles()].sort();
  t.same(listed.filter((f) => !f.endsWith('.suite.ts')), own, 'and, besides, exactly the files named to run on their own');

  const runs = new Map<string, string[]>();
  for (const file of own) runs.set(file, ['its own process']);
  for (const suite of suites) {
    for (const file of suiteFiles(join(root, dirname(suite)))) {
      const path = relative(root, file);
      runs.set(path, [...(runs.get(path) ?? []), suite]);
    }
  }
  const tests = filesNamed('.test.ts');
  t.same(tests.filter((f) => !runs.has(f)), [], 'no test file is left out');
  t.same([...runs].filter(([, by]) => by.length > 1), [], 'none runs twice');
  t.same([...runs.keys()].filter((f) => !tests.includes(f)), [], 'nothing named to run is missing');
});
