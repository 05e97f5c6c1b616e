'use strict';
// The transpiler of tap's test processes (tsconfig.json's "ts-node" section): esbuild, the
// transform tsx applies in development (types stripped, ESM kept), instead of TypeScript's
// transpileModule. Every test file is a process of its own that loads hundreds of the same
// sources, so each output is kept on disk under its content's hash and read back next time.
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync, version } = require('esbuild');

const options = { format: 'esm', target: 'es2022', sourcemap: 'external' };
const cacheDir = join(__dirname, '..', 'node_modules', '.cache', 'tap-transpiler');

function transpile(input, fileName) {
  const { code, map } = transformSync(input, { ...options, loader: fileName.endsWith('x') ? 'tsx' : 'ts', sourcefile: fileName });
  return { outputText: code, sourceMapText: map };
}

exports.create = function create() {
  mkdirSync(cacheDir, { recursive: true });
  return {
    transpile(input, { fileName }) {
      const key = createHash('sha256').update(`${version}\0${fileName}\0${input}`).digest('hex');
      const file = join(cacheDir, `${key}.json`);
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        const output = transpile(input, fileName);
        // Written aside, then renamed: a parallel test process never reads half a file.
        const partial = `${file}.${process.pid}`;
        writeFileSync(partial, JSON.stringify(output));
        renameSync(partial, file);
        return output;
      }
    },
  };
};
