import { createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import { relayedEnvelopeSchema, type Envelope } from '@reemploy/events';

/** The relay signs with `current`; consumers also accept `previous` while events signed with them drain. */
export interface SigningKeys {
  current: Buffer;
  previous: Buffer[];
}

export type RefusalReason = 'unsigned' | 'bad-signature';

/**
 * HMAC-SHA256 over the RFC 8785 (JCS) encoding of the envelope's fields: key
 * order and spacing change nothing, any changed value breaks it.
 */
function mac(key: Buffer, e: Envelope): Buffer {
  const { id, type, version, producer, seq, subject, occurredAt, payload } = e;
  return createHmac('sha256', key)
    .update(canonicalize({ id, type, version, producer, seq, subject, occurredAt, payload }) ?? '')
    .digest();
}

export function signEnvelope(key: Buffer, envelope: Envelope): string {
  return mac(key, envelope).toString('base64url');
}

/**
 * What a consumer's queue handed it, checked: the envelope when a relay
 * holding one of the keys signed it, else why it is refused.
 */
export function verifyRelayed(keys: SigningKeys, raw: unknown): { envelope: Envelope } | { refused: RefusalReason } {
  const parsed = relayedEnvelopeSchema.safeParse(raw);
  if (!parsed.success) return { refused: (raw as { signature?: unknown } | null)?.signature ? 'bad-signature' : 'unsigned' };
  const given = Buffer.from(parsed.data.signature, 'base64url');
  const matches = (key: Buffer) => {
    try {
      const expected = mac(key, parsed.data);
      return given.length === expected.length && timingSafeEqual(given, expected);
    } catch {
      // A forged payload JCS cannot encode (a lone surrogate) was never signed.
      return false;
    }
  };
  return [keys.current, ...keys.previous].some(matches) ? { envelope: parsed.data } : { refused: 'bad-signature' };
}
