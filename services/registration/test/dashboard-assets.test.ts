import t from 'tap';
import { build } from './helper.ts';

t.test('the dashboard serves its own assets and nothing else', async (t) => {
  const svc = await build(t);
  const js = await svc.app.inject({ method: 'GET', url: '/dashboard/dashboard.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /text\/javascript/);

  // Names every plain object inherits are not assets.
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nope.js']) {
    const res = await svc.app.inject({ method: 'GET', url: `/dashboard/${name}` });
    t.equal(res.statusCode, 404, `${name}: ${res.body.slice(0, 200)}`);
    t.match(res.headers['content-type'], /application\/problem\+json/, `${name} answers a problem`);
    t.equal(res.json().code, 'not-found');
  }
});
