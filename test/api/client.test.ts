import t from 'tap';
import { readFileSync } from 'node:fs';
import { generatedFiles } from '../../scripts/generate-client.ts';

t.test('the committed client is what the services produce (run pnpm generate:client after an API change)', async (t) => {
  const files = await generatedFiles();
  t.equal(Object.keys(files).length, 8, 'a document and a types file per service');
  for (const [path, content] of Object.entries(files)) {
    const committed = readFileSync(new URL(`../../packages/client/${path}`, import.meta.url), 'utf8');
    t.ok(committed === content, `${path} is up to date`);
  }
});
