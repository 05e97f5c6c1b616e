import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { problems, type FieldError } from './problem.ts';

// C0 controls other than tab, newline and carriage return; DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Finds strings Postgres would refuse (NUL, lone surrogates) or that have no
 * business in an API (control characters), and numbers JSON gave that a
 * double cannot hold exactly (beyond ±2^53, or 1e400 read as Infinity),
 * anywhere in a parsed value. Array items are named like schema errors:
 * `body.skills.0`.
 */
export function findBadStrings(value: unknown, path: string, out: FieldError[] = [], depth = 0): FieldError[] {
  if (out.length >= 20 || depth > 32) return out;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) out.push({ field: path, message: 'contains a lone surrogate (not valid Unicode)' });
    else if (CONTROL.test(value)) out.push({ field: path, message: 'contains a NUL or control character' });
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) out.push({ field: path, message: 'is beyond ±2^53 and cannot be represented exactly' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findBadStrings(v, `${path}.${i}`, out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!k.isWellFormed() || CONTROL.test(k)) out.push({ field: path, message: 'has a key with invalid characters' });
      else findBadStrings(v, path ? `${path}.${k}` : k, out, depth + 1);
    }
  }
  return out;
}

/**
 * Refuses (400, naming each field) a body, query or path parameter holding what
 * findBadStrings finds, before the route's schema is checked. The rest of strict
 * input is the routes' schemas' and Fastify's options' (createFastify).
 */
export const strictInput = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      const bad = [
        ...findBadStrings(request.body, 'body'),
        ...findBadStrings(request.query, 'query'),
        ...findBadStrings(request.params, 'params'),
      ];
      if (bad.length) throw problems.validation(bad, 'Some values cannot be taken as sent (control characters, invalid Unicode, or numbers beyond ±2^53)');
    });
  },
  { name: 'reemploy-strict-input', fastify: '5.x', dependencies: ['reemploy-errors'] },
);
