/**
 * The projects `pnpm build` compiles (tsconfig.build.json's references), as
 * TypeScript reads their tsconfig.build.json (extends, `${configDir}`): where
 * each takes its sources and writes its JavaScript.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface BuildProject {
  /** The package's directory. */
  dir: string;
  rootDir: string;
  outDir: string;
  /** The directories its sources are taken from (its `include`). */
  sourceDirs: string[];
}

function parse(file: string): ts.ParsedCommandLine {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => {
      throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(file, undefined, host);
  if (!parsed || parsed.errors.length) throw new Error(`${file}: ${parsed?.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`);
  return parsed;
}

export function buildProjects(root: string): BuildProject[] {
  return (parse(join(root, 'tsconfig.build.json')).projectReferences ?? []).map((ref) => {
    const config = ref.path.endsWith('.json') ? ref.path : join(ref.path, 'tsconfig.json');
    const { options, wildcardDirectories } = parse(config);
    return { dir: dirname(config), rootDir: options.rootDir!, outDir: options.outDir!, sourceDirs: Object.keys(wildcardDirectories ?? {}) };
  });
}
