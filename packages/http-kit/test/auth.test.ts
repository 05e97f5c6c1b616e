import t from 'tap';
import { createTokenVerifier, mintToken } from '../src/auth.ts';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';

t.test('a verified token is remembered only until it expires', async (t) => {
  const verify = createTokenVerifier(SECRET);
  const token = mintToken(SECRET, { sub: 'labour-bureau', scopes: ['seekers:read'], regions: ['3205'], expiresIn: 60 });
  const first = verify(token);
  t.same([...(first?.scopes ?? [])], ['seekers:read']);
  t.equal(verify(token), first, 'the second call is answered from memory');
  t.throws(() => (first!.regions as string[]).push('3206'), 'a remembered caller cannot be changed by one request for the next');

  const realNow = Date.now;
  t.teardown(() => {
    Date.now = realNow;
  });
  Date.now = () => realNow() + 66_000; // past exp and the 5 s clock tolerance
  t.equal(verify(token), null, 'an expired token is refused even though it was verified before');
  Date.now = realNow;
});

t.test('refused tokens are never remembered', async (t) => {
  const verify = createTokenVerifier(SECRET);
  const good = mintToken(SECRET, { sub: 'x', scopes: ['seekers:read'], regions: ['3205'] });
  const forged = mintToken('another-secret-of-at-least-thirty-two-chars', { sub: 'x', scopes: ['seekers:read'], regions: ['3205'] });
  t.equal(verify(forged), null);
  t.equal(verify(forged), null, 'still refused the second time');
  const [header, , signature] = good.split('.');
  const widened = `${header}.${Buffer.from(JSON.stringify({ sub: 'x', scope: 'seekers:read pii:read', regions: ['32'], exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.${signature}`;
  t.ok(verify(good));
  t.equal(verify(widened), null, 'a token with the signature of a remembered one but other claims is refused');
});

t.test('memory stays bounded with many callers', async (t) => {
  const verify = createTokenVerifier(SECRET);
  const tokens = Array.from({ length: 1500 }, (_, i) => mintToken(SECRET, { sub: `system-${i}`, scopes: ['seekers:read'], regions: ['3205'] }));
  t.equal(tokens.filter((token, i) => verify(token)?.sub !== `system-${i}`).length, 0, 'each of 1,500 callers is recognised');
  t.equal(verify(tokens[0]!)?.sub, 'system-0', 'an evicted token is verified again, not refused');
});
