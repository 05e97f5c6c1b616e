import type { FastifyRequest } from 'fastify';

// An 18-character identity number, a 15-digit legacy one, a mainland mobile.
const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?![\dXx])|(?<!\d)\d{15}(?!\d)/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Replaces anything shaped like an identity number or mobile phone. */
export function scrubPii(text: string): string {
  return text.replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'idNumber',
  'phone',
  'contactPhone',
  '*.idNumber',
  '*.phone',
  '*.contactPhone',
  '*.*.idNumber',
  '*.*.phone',
];

/** pino options shared by every service: JSON, redacted, URLs scrubbed. */
export function loggerOptions(service: string, level: string) {
  return {
    level,
    base: { service },
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: scrubPii(req.url), remoteAddress: req.ip };
      },
    },
  };
}
