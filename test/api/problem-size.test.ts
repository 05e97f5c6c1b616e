/**
 * A refusal is never bigger than it needs to be: a body of 60,000 unknown keys
 * (650 KB) was answered with 3.5 MB naming every one, a cheap way to make a
 * service work and send. The problem names at most MAX_FIELD_ERRORS fields and
 * says how many failed.
 */
import t from 'tap';
import { MAX_FIELD_ERRORS } from '@reemploy/http-kit';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';

t.test('a problem names at most MAX_FIELD_ERRORS failing fields and says how many there were', async (t) => {
  const svc = await buildRegistration(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'content-type': 'application/json' };
  const body: Record<string, unknown> = { communityCode: '320508024043' };
  for (let i = 0; i < 5000; i++) body[`k${i}`] = 1;
  const res = await svc.app.inject({ method: 'POST', url: '/v1/households', headers, payload: JSON.stringify(body) });
  t.equal(res.statusCode, 400);
  const problem = res.json();
  t.equal(problem.code, 'validation-failed');
  t.equal(problem.errors.length, MAX_FIELD_ERRORS, `${MAX_FIELD_ERRORS} fields named`);
  t.same(problem.errors[0], { field: 'body.k0', message: 'is not a known property' }, 'the first ones, in order');
  t.match(problem.detail, `${MAX_FIELD_ERRORS} of 5000`, 'the detail says how many failed');
  t.ok(res.body.length < 10_000, `the answer stays small (${res.body.length} bytes for a ${JSON.stringify(body).length}-byte body)`);

  const few = await svc.app.inject({ method: 'POST', url: '/v1/households', headers, payload: JSON.stringify({ communityCode: '320508024043', a: 1, b: 2 }) });
  t.equal(few.json().errors.length, 2, 'a short list is given whole');
  t.equal(few.json().detail, 'The request is not valid', 'with the usual detail');
});

t.test('a number beyond 2^53 is named as such, not as a string', async (t) => {
  const svc = await buildRegistration(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'content-type': 'application/json' };
  const res = await svc.app.inject({ method: 'POST', url: '/v1/households', headers, payload: '{"communityCode":"320508024043","minorChildren":12345678901234567890}' });
  t.equal(res.statusCode, 400);
  t.same(res.json().errors, [{ field: 'body.minorChildren', message: 'is beyond ±2^53 and cannot be represented exactly' }]);
  t.notMatch(res.json().detail, /string/i, `the detail speaks of values, not strings: ${res.json().detail}`);
});
