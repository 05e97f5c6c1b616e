/**
 * `pnpm build [--no-check]`: compiles every package and service to JavaScript
 * in its dist/ (`tsc -b tsconfig.build.json`: project references, incremental),
 * then copies every file of a compiled project that tsc does not emit (the
 * dashboard's page, script and style sheet) to the same place under its outDir,
 * where the compiled code finds it beside itself (`new URL('./x', import.meta.url)`).
 * Production runs the compiled code (infra/Dockerfile, docs/operators.md).
 * `--no-check` emits without type checking, which `pnpm typecheck` does for
 * the whole tree: the compiled-build test builds so.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProjects } from './build-projects.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const args = [tsc, '-b', join(root, 'tsconfig.build.json'), ...(process.argv.includes('--no-check') ? ['--noCheck'] : [])];
const compiled = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

const projects = buildProjects(root);
let copied = 0;
for (const { rootDir, outDir, sourceDirs } of projects) {
  for (const file of sourceDirs.flatMap((dir) => [...filesUnder(dir)])) {
    if (file.endsWith('.ts')) continue;
    const target = join(outDir, relative(rootDir, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied++;
  }
}
console.log(`compiled ${projects.length} projects; copied ${copied} files tsc does not emit`);
