/**
 * A path or query value that names a property every plain object inherits
 * (`constructor`, `__proto__`, `toString`…) must not be found in a lookup
 * table: every GET route of every service answers such a value with a 4xx
 * problem (or an ordinary answer), never a 500.
 */
import t from 'tap';
import { BUILDERS } from '../support/api-routes.ts';

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

for (const [name, build] of Object.entries(BUILDERS)) {
  t.test(`${name}: inherited property names in the path or the query are 4xx problems`, async (t) => {
    const svc = await build(t);
    const routes = svc.app.routeCatalog.filter((r) => r.method === 'GET' && !r.url.startsWith('/admin') && !r.url.startsWith('/docs'));
    const faults: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const authorised = route.scope ? { authorization: `Bearer ${svc.token([route.scope], ['3205'])}` } : {};
      for (const key of INHERITED) {
        const path = route.url.replace(/:[A-Za-z]+/g, key).replace('*', key);
        for (const url of [path, `${path}?${INHERITED.map((k) => `${k}=${key}`).join('&')}`]) {
          for (const headers of route.scope ? [{}, authorised] : [{}]) {
            const res = await svc.app.inject({ method: 'GET', url, headers });
            sent++;
            if (res.statusCode < 400) continue;
            if (res.statusCode >= 500) faults.push(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
            else if (!/application\/problem\+json/.test(String(res.headers['content-type']))) faults.push(`GET ${url}: ${res.statusCode} not a problem`);
          }
        }
      }
    }
    t.ok(sent > 0, `${sent} requests sent`);
    t.same(faults, [], 'no 5xx, every 4xx a problem');
  });
}
