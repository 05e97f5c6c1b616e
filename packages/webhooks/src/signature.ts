import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Reemploy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * A receiver recomputes the HMAC over the timestamp and the raw body, compares
 * in constant time, and refuses timestamps older than a few minutes (replays).
 */
export const SIGNATURE_HEADER = 'reemploy-signature';

export function signPayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Whether the header signs this body with this secret, recently. A missing,
 * repeated or garbled header is simply not a valid signature: false, never a throw.
 */
export function verifySignature(secret: string, body: string, header: string | string[] | null | undefined, toleranceSeconds = 300, now = Math.floor(Date.now() / 1000)): boolean {
  if (typeof header !== 'string') return false;
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const [key = '', value = ''] = part.trim().split('=', 2);
    parts.set(key, value);
  }
  const t = parts.get('t') ?? '';
  const given = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(given) || Math.abs(now - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}
