import type { FastifyRequest } from 'fastify';

// An 18-character identity number, a 15-digit legacy one, a mainland mobile.
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

// Admin dashboard links carry a short-lived bearer token once.
const TOKEN_PARAM = /([?&]token=)[^&#]*/gi;

/** Replaces anything shaped like an identity number or mobile phone. */
export function scrubPii(text: string): string {
  return text.replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

/**
 * A free-text field (a coordinator's note) as a caller may see it: someone may have typed an
 * identity number or a phone into it, which only a caller holding `pii:read` sees.
 */
export function freeTextFor(caller: { scopes: ReadonlySet<string> }, text: string | null): string | null {
  return text === null || caller.scopes.has('pii:read') ? text : scrubPii(text);
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'idNumber',
  'phone',
  'contactPhone',
  'certificateNumber',
  '*.idNumber',
  '*.phone',
  '*.contactPhone',
  '*.certificateNumber',
  '*.*.idNumber',
  '*.*.phone',
  '*.*.certificateNumber',
];

/** pino options shared by every service: JSON, redacted, URLs scrubbed. */
export function loggerOptions(service: string, level: string) {
  return {
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: scrubPii(req.url).replace(TOKEN_PARAM, '$1[redacted]'), remoteAddress: req.ip };
      },
    },
  };
}
