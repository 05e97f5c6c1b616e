import t from 'tap';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook, type Resolver } from '@reemploy/webhooks';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback that records what reaches it. */
async function receiver(t: { teardown(fn: () => unknown): void }, answer: RequestListener = (_req, res) => res.writeHead(204).end()) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  t.teardown(() => server.closeAllConnections());
  return { seen, port: (server.address() as AddressInfo).port };
}

const post = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{"id":"e1"}' });
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

t.test('the connection goes to the address that was checked, with the name kept for Host', async (t) => {
  const r = await receiver(t);
  const resolver = resolvesTo('127.0.0.1');
  // receiver.test resolves nowhere: the request can only reach the server through the checked address.
  t.equal(await sendWebhook(post(`http://receiver.test:${r.port}/hook?x=1`), { policy: development, resolve: resolver }), null, 'delivered');
  t.equal(r.seen.length, 1);
  t.equal(r.seen[0]!.headers.host, `receiver.test:${r.port}`, 'Host names the receiver, not the address');
  t.equal(r.seen[0]!.url, '/hook?x=1');
  t.equal(r.seen[0]!.body, '{"id":"e1"}');
});

t.test('a name that resolves to a non-public address is refused before any connection', async (t) => {
  const r = await receiver(t);
  for (const addresses of [['127.0.0.1'], ['::1'], ['::ffff:127.0.0.1'], ['169.254.169.254'], ['100.100.100.200'], ['10.0.0.7'], ['8.8.8.8', '127.0.0.1']]) {
    t.equal(await sendWebhook(post(`https://receiver.test:${r.port}/hook`), { policy: production, resolve: resolvesTo(...addresses) }), 'blocked-address', addresses.join(', '));
  }
  t.equal(await sendWebhook(post(`https://localhost:${r.port}/hook`), { policy: production }), 'blocked-address', 'localhost, through the system resolver');
  // Whether the resolver knows "localhost." differs between systems; it never reaches the receiver.
  t.match(await sendWebhook(post(`https://localhost.:${r.port}/hook`), { policy: production }), /^(blocked-address|dns)$/, 'with a trailing dot');
  t.equal(await sendWebhook(post(`https://127.0.0.1:${r.port}/hook`), { policy: production }), 'blocked-address', 'a literal address');
  t.equal(await sendWebhook(post(`http://receiver.test:${r.port}/hook`), { policy: production, resolve: resolvesTo('8.8.8.8') }), 'blocked-address', 'http outside development');
  t.equal(r.seen.length, 0, 'nothing reached the receiver');
});

t.test('a redirect is not followed: it is a failure of its own class', async (t) => {
  const target = await receiver(t);
  const redirecting = await receiver(t, (_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end());
  t.equal(await sendWebhook(post(`http://127.0.0.1:${redirecting.port}/hook`), { policy: development }), 'redirect');
  t.equal(redirecting.seen.length, 1);
  t.equal(target.seen.length, 0, 'the Location was never visited');
});

t.test("failures are told as classes, never in the receiver's words", async (t) => {
  const status = async (code: number) => {
    const r = await receiver(t, (_req, res) => res.writeHead(code, { 'content-type': 'text/plain' }).end('redis_version:7.0.15 secret details'));
    return sendWebhook(post(`http://127.0.0.1:${r.port}/`), { policy: development });
  };
  t.equal(await status(200), null);
  t.equal(await status(404), 'http-4xx');
  t.equal(await status(401), 'http-4xx');
  t.equal(await status(500), 'http-5xx');
  t.equal(await status(503), 'http-5xx');
  t.equal(await status(301), 'redirect');

  const free = await new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => r(port));
    });
  });
  t.equal(await sendWebhook(post(`http://127.0.0.1:${free}/`), { policy: development }), 'refused', 'nothing listening');

  const silent = await receiver(t, () => undefined);
  const started = Date.now();
  t.equal(await sendWebhook(post(`http://127.0.0.1:${silent.port}/`), { policy: development, timeoutMs: 300 }), 'timeout', 'no answer in time');
  t.ok(Date.now() - started < 2000, 'gives up at the timeout');

  const plain = await receiver(t);
  t.equal(await sendWebhook(post(`https://127.0.0.1:${plain.port}/`), { policy: development }), 'tls', 'https to a server that does not speak TLS');
  t.equal(await sendWebhook(post('https://receiver.test/'), { policy: production, resolve: async () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' })) }), 'dns');
  t.equal(await sendWebhook(post('https://receiver.test/'), { policy: production, resolve: async () => [] }), 'dns', 'no address at all');
  t.equal(await sendWebhook(post('https://receiver.test/'), { policy: production, resolve: () => new Promise(() => undefined), timeoutMs: 200 }), 'timeout', 'a lookup that never answers');
});
