/**
 * Bearer tokens at the service (issue #18, finding 4): production trusts only
 * the identity provider's asymmetric access tokens for its own audience; the
 * development path (HS256) exists only with NODE_ENV development or test; the
 * issuer's keys rotate without a restart.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_JWT_SECRET, DEV_TOKEN_ISSUER } from '@reemploy/config';
import { createLocalIssuer, mintToken, type LocalIssuer } from '@reemploy/http-kit';
import { TEST_AUDIENCES, productionEnv, testIssuer } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';

const production = productionEnv();
const request = { audience: TEST_AUDIENCES, sub: 'labour-bureau', scopes: ['seekers:read'], regions: ['3205'] };
const list = (svc: Awaited<ReturnType<typeof buildRegistration>>, token: string) =>
  svc.app.inject({ url: '/v1/job-seekers?limit=1', headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode);

t.test('a production service accepts the issuer’s tokens and refuses every HS256 token', async (t) => {
  const svc = await buildRegistration(t, { env: production });
  t.equal(await list(svc, testIssuer.token(request)), 200, "the issuer's EdDSA token");
  const hs256 = (key: string) => mintToken({ alg: 'HS256', key }, { ...request, issuer: testIssuer.issuer });
  t.equal(await list(svc, hs256(DEV_JWT_SECRET)), 401, 'an HS256 token signed with the published development secret');
  t.equal(await list(svc, hs256(`${DEV_JWT_SECRET} `)), 401, 'or with any other secret');
  t.equal(await list(svc, mintToken({ alg: 'HS256', key: DEV_JWT_SECRET }, { ...request, issuer: DEV_TOKEN_ISSUER })), 401, 'a development token as `pnpm reemploy token` mints it');
});

t.test('a production service refuses to start without an issuer and its keys, or with a JWT_SECRET', async (t) => {
  await t.rejects(buildRegistration(t, { env: { ...production, JWKS_JSON: '' } }), { name: 'ConfigError', message: /JWKS_URL or JWKS_FILE is required/ });
  await t.rejects(buildRegistration(t, { env: { ...production, TOKEN_ISSUER: '' } }), { name: 'ConfigError', message: /TOKEN_ISSUER is required/ });
  await t.rejects(buildRegistration(t, { env: { ...production, JWT_SECRET: randomBytes(32).toString('base64') } }), { name: 'ConfigError', message: /JWT_SECRET is for development tokens only/ });
});

t.test('a test or development service also accepts development tokens, under the same claim checks', async (t) => {
  const svc = await buildRegistration(t);
  const development = (req: Partial<Parameters<typeof mintToken>[1]> = {}) => mintToken({ alg: 'HS256', key: DEV_JWT_SECRET }, { ...request, issuer: testIssuer.issuer, ...req });
  t.equal(await list(svc, development()), 200, 'HS256 with the development secret');
  t.equal(await list(svc, development({ issuer: 'https://evil.example' })), 401, 'but not from another issuer');
  t.equal(await list(svc, development({ expiresIn: 100 * 365 * 86_400 })), 401, 'nor for a hundred years');
});

t.test('the audience: a token for another service is refused', async (t) => {
  const svc = await buildRegistration(t);
  t.equal(await list(svc, testIssuer.token({ ...request, audience: 'reemploy-matching' })), 401, 'for matching only');
  t.equal(await list(svc, testIssuer.token({ ...request, audience: ['reemploy-matching', 'reemploy-registration'] })), 200, 'naming both');
  const renamed = await buildRegistration(t, { env: { TOKEN_AUDIENCE: 'https://api.suzhou.example/registration' } });
  t.equal(await list(renamed, testIssuer.token({ ...request, audience: 'https://api.suzhou.example/registration' })), 200, 'TOKEN_AUDIENCE names it');
  t.equal(await list(renamed, testIssuer.token(request)), 401, 'and then the default name is not it');
});

t.test("the issuer's keys rotate while the service runs (JWKS_FILE)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-jwks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'jwks.json');
  const issuer = 'https://idp.example.gov.cn/realms/suzhou';
  const [a, b] = [createLocalIssuer(issuer), createLocalIssuer(issuer, 'ES256')];
  const publish = (...keys: LocalIssuer[]) => writeFileSync(file, JSON.stringify({ keys: keys.flatMap((k) => k.jwks.keys) }));
  publish(a);
  const svc = await buildRegistration(t, { env: { ...production, TOKEN_ISSUER: issuer, JWKS_JSON: '', JWKS_FILE: file, JWKS_REFRESH_SECONDS: '1' } });
  const [tokenA, tokenB] = [a.token(request), b.token(request)];
  const becomes = async (token: string, status: number) => {
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) if ((await list(svc, token)) === status) return true;
    return false;
  };
  t.equal(await list(svc, tokenA), 200, 'A is trusted');
  t.equal(await list(svc, tokenB), 401, 'B is not yet');
  publish(a, b);
  t.ok(await becomes(tokenB, 200), 'B is trusted once published');
  t.equal(await list(svc, tokenA), 200, 'while A still is');
  publish(b);
  t.ok(await becomes(tokenA, 401), 'A is refused once withdrawn, though the service had verified it before');
  t.equal(await list(svc, tokenB), 200, 'B stays trusted');
});

t.test('the OpenAPI document describes the access tokens', async (t) => {
  const svc = await buildRegistration(t);
  const scheme = (await svc.app.inject({ url: '/docs/json' })).json().components.securitySchemes.bearerAuth;
  t.match(scheme, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const words of [/RFC 9068/, /at\+jwt/, /EdDSA/, /ES256/, /JWKS/, /`reemploy-registration`/, /development/]) t.match(scheme.description, words);
});
