import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received, as a receiver verifies its signature over it. */
  body: string;
}

const noContent = (_received: Received, res: ServerResponse) => void res.writeHead(204).end();

/**
 * A webhook receiver on loopback (for services built with WEBHOOK_ALLOW_LOOPBACK): it keeps every
 * request and answers as `answer` says, 204 unless told otherwise. Closed when the test ends.
 */
export async function startReceiver(t: { teardown(fn: () => unknown): void }, answer: (received: Received, res: ServerResponse) => void = noContent) {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const one = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    received.push(one);
    answer(one, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as AddressInfo;
  return { received, port, url: (path = '/hook') => `http://127.0.0.1:${port}${path}` };
}
