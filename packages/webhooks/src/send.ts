import http from 'node:http';
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { addressAllowed, literalAddress, receiverUrlProblem, type ReceiverPolicy, type ResolvedAddress, type Resolver } from './address.ts';

/**
 * How a delivery failed, as its owner may see it: never the receiver's own
 * words or exact status, which would turn the delivery log into a probe of
 * whatever answers at the URL.
 */
export const FAILURE_CLASSES = ['timeout', 'refused', 'dns', 'tls', 'blocked-address', 'redirect', 'http-4xx', 'http-5xx', 'network'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Every address the system resolver gives for a name (A and AAAA alike). */
export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family }));

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendOptions {
  policy: ReceiverPolicy;
  resolve?: Resolver | undefined;
  /** For the whole delivery: name lookup, connection, TLS and the answer's status line. */
  timeoutMs?: number | undefined;
}

function statusFailure(status: number): FailureClass | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'http-4xx';
  if (status >= 500 && status < 600) return 'http-5xx';
  return 'network';
}

function errorFailure(err: unknown): FailureClass {
  const code = String((err as { code?: unknown }).code ?? '');
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'EPROTO' || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_/.test(code)) return 'tls';
  return 'network';
}

const TIMED_OUT = Symbol('timed out');

function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<typeof TIMED_OUT>((r) => (timer = setTimeout(() => r(TIMED_OUT), ms)))]).finally(() => clearTimeout(timer));
}

/** The addresses to reach a URL's host at: the literal itself, or what the resolver says now. */
async function addressesOf(url: URL, resolve: Resolver, ms: number): Promise<ResolvedAddress[] | FailureClass> {
  const literal = literalAddress(url.hostname);
  if (literal) return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  try {
    const found = await within(resolve(url.hostname), ms);
    return found === TIMED_OUT ? 'timeout' : found;
  } catch {
    return 'dns';
  }
}

/**
 * POSTs one delivery; null when the receiver answered 2xx, else the failure's
 * class. The host is resolved here, every address it has must be public, and
 * the connection goes to the address that was checked: the HTTP client is
 * given it as its lookup, so no second resolution can answer otherwise, while
 * SNI, the certificate check and Host stay on the name. Redirects are not
 * followed; the answer's body is not read.
 */
export async function sendWebhook(post: WebhookPost, options: SendOptions): Promise<FailureClass | null> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  if (receiverUrlProblem(post.url, options.policy)) return 'blocked-address';
  const url = new URL(post.url);
  const addresses = await addressesOf(url, options.resolve ?? systemResolver, timeoutMs);
  if (typeof addresses === 'string') return addresses;
  if (addresses.length === 0) return 'dns';
  if (addresses.some((a) => !addressAllowed(a.address, options.policy))) return 'blocked-address';
  const target = addresses[0]!;
  const pinned = ((_host, opts, callback) => (opts.all ? callback(null, [target]) : callback(null, target.address, target.family))) as LookupFunction;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: FailureClass | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = (url.protocol === 'https:' ? https : http).request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup: pinned,
        // A fresh connection each time: a pooled socket would skip the check above.
        agent: false,
      },
      (res) => {
        finish(statusFailure(res.statusCode ?? 0));
        res.destroy();
      },
    );
    request.on('error', (err) => finish(errorFailure(err)));
    const timer = setTimeout(
      () => {
        finish('timeout');
        request.destroy();
      },
      Math.max(0, timeoutMs - (Date.now() - started)),
    );
    request.end(post.body);
  });
}
