import { randomUUID } from 'node:crypto';

/** A failed call, with the service's problem+json when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; title?: string; errors?: { field: string; message: string }[] } | null,
    what: string,
  ) {
    super(`${what}: ${status} ${problem?.detail ?? problem?.title ?? 'request failed'}`);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  method?: string;
  token: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Retries on 429, 502, 503, 504 and connection errors. A write is sent with an Idempotency-Key
   * (one for all its attempts, unless the caller gives one), so that a retry of a write the service
   * did carry out gets its first answer instead of doing it twice.
   */
  retries?: number;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** fetch with the bearer token, problem+json errors and bounded retries with backoff. */
export async function call(url: string, opts: CallOptions): Promise<Response> {
  const retries = opts.retries ?? 3;
  const method = opts.method ?? 'GET';
  const given = Object.keys(opts.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');
  const key: Record<string, string> = method !== 'GET' && method !== 'HEAD' && !given ? { 'idempotency-key': randomUUID() } : {};
  for (let attempt = 0; ; attempt++) {
    let res: Response | undefined;
    try {
      res = await fetch(url, {
        method: opts.method ?? 'GET',
        headers: {
          authorization: `Bearer ${opts.token}`,
          ...(opts.contentType ? { 'content-type': opts.contentType } : {}),
          ...key,
          ...opts.headers,
        },
        ...(opts.body !== undefined ? { body: opts.body } : {}),
      });
    } catch (err) {
      if (attempt >= retries) throw new Error(`${opts.method ?? 'GET'} ${url}: ${(err as Error).message}`);
    }
    if (res?.ok) return res;
    if (res && (!RETRYABLE.has(res.status) || attempt >= retries)) {
      const text = await res.text();
      let problem = null;
      try {
        problem = JSON.parse(text) as ApiError['problem'];
      } catch {
        /* not JSON */
      }
      throw new ApiError(res.status, problem, `${opts.method ?? 'GET'} ${new URL(url).pathname}`);
    }
    const after = Number(res?.headers.get('retry-after'));
    await sleep(after > 0 ? Math.min(after, 30) * 1000 : 250 * 2 ** attempt);
  }
}

export async function callJson<T>(url: string, opts: CallOptions): Promise<T> {
  return (await (await call(url, opts)).json()) as T;
}
