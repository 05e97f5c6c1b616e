import t from 'tap';
import { build } from './helper.ts';

t.test('the OpenAPI document describes the CSV import and the problem responses', async (t) => {
  const svc = await build(t);
  const spec = (await svc.app.inject({ url: '/docs/json' })).json();
  const imp = spec.paths['/v1/aid-bases/import'].post;
  t.ok(imp.requestBody.content['text/csv'], 'import takes text/csv');
  t.notOk(imp.requestBody.content['application/json'], 'and not JSON');
  const reserve = spec.paths['/v1/aid-bases/{id}/reserved-posts'].post;
  t.ok(reserve.responses['4XX'] ?? reserve.responses['4xx'], 'problem responses documented');
  t.ok(spec.components.schemas.AidBase && spec.components.schemas.ReservedPost, 'named schemas');
});
