/**
 * What the schema-driven fuzzer (test/support/fuzz.ts, run by test/fuzz/) sends: bodies made from a route's own
 * schema, mostly valid, some with fields made hostile, removed or added; the envelope they
 * travel in (JSON text, content type); and NDJSON or CSV uploads.
 */
import fc from 'fast-check';
import { makeIdNumber } from '@reemploy/domain';
import { makeCreditCode } from '@reemploy/domain/credit-code';
import { RawJson, fieldsOf, toJson, typeOf, unwrap, type ApiRoute, type JsonSchema } from './api-routes.ts';

/** Values of any kind that a field should refuse (or, by chance, accept). */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.5, '', ' ', 'x', [], {}, [null], { '': 1 }, 'null', 'true', '0'),
  fc.constantFrom(new RawJson('9007199254740993'), new RawJson('-9007199254740993'), new RawJson('1e400'), new RawJson('1e-400'), new RawJson('123456789012345678901234567890')),
  fc.constantFrom('2026-02-30', '2026-02-29', '0000-00-00', '2026-13-01', '2026-01-15T25:61:00Z', '9999-12-31T23:59:59Z', '0001-01-01', '1970-01-01T00:00:00+14:01'),
  fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', "' OR 1=1 --", '../../etc/passwd', '%00', '\\u0000'),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u0000`),
  fc.string({ maxLength: 40 }).map((s) => `\ud800${s}`),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u001b[0m`),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => '长'.repeat(n)),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Fields whose valid values have rules no schema says (check characters): made by the domain's own functions. */
const SEMANTIC: Record<string, fc.Arbitrary<unknown>> = {
  idNumber: fc
    .tuple(fc.date({ min: new Date('1940-01-01'), max: new Date('2009-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), fc.constantFrom<'male' | 'female'>('male', 'female'))
    .map(([birth, seq, gender]) => makeIdNumber('320508', birth.toISOString().slice(0, 10), seq, gender)),
  phone: fc.stringMatching(/^1[3-9]\d{9}$/),
  contactPhone: fc.stringMatching(/^1[3-9]\d{9}$/),
  creditCode: fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{9}$/).map((body) => makeCreditCode(`91320508${body}`)),
  communityCode: fc.constantFrom('320508024043', '320508018036', '320506001001', '320505001001'),
};

/** Values the schema allows, with the route's known-good value (real ids, real codes) among them. */
function allowed(schema: JsonSchema, good: unknown, ids: string[], key?: string): fc.Arbitrary<unknown> {
  const { schema: s, nullable } = unwrap(schema);
  const options: fc.Arbitrary<unknown>[] = [];
  if (key && SEMANTIC[key]) options.push(SEMANTIC[key], SEMANTIC[key]);
  if (good !== undefined) options.push(fc.constant(good), fc.constant(good));
  if (nullable) options.push(fc.constant(null));
  const type = typeOf(s);
  if (s.const !== undefined) options.push(fc.constant(s.const));
  else if (s.enum) options.push(fc.constantFrom(...s.enum));
  else if (s.oneOf) options.push(...s.oneOf.map((branch) => allowed(branch, undefined, ids)));
  else if (type === 'string') {
    if (s.format === 'uuid') options.push(ids.length ? fc.constantFrom(...ids) : fc.uuid(), fc.uuid());
    else if (s.format === 'date') options.push(fc.date({ min: new Date('1950-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    else if (s.format === 'date-time') options.push(fc.date({ min: new Date('1950-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
    else if (s.pattern) options.push(fc.stringMatching(new RegExp(s.pattern)));
    else options.push(fc.string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 60, 60) }));
    if (s.maxLength && !s.pattern && !s.format) options.push(fc.constant('字'.repeat(s.maxLength)));
  } else if (type === 'integer') {
    const min = s.minimum ?? -1_000_000;
    const max = s.maximum ?? 1_000_000;
    options.push(fc.integer({ min, max }), fc.constantFrom(min, max));
  } else if (type === 'number') {
    const min = s.minimum ?? s.exclusiveMinimum ?? -1e9;
    const max = s.maximum ?? 1e12;
    options.push(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter((n) => s.exclusiveMinimum === undefined || n > s.exclusiveMinimum));
  } else if (type === 'boolean') options.push(fc.boolean());
  else if (type === 'array') {
    const items = s.items ?? {};
    const goodItem = Array.isArray(good) ? good[0] : undefined;
    options.push(fc.array(allowed(items, goodItem, ids), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) }));
  } else if (type === 'object') options.push(objectOf(s, (good ?? {}) as Record<string, unknown>, ids));
  return fc.oneof(...options);
}

function objectOf(s: JsonSchema, good: Record<string, unknown>, ids: string[]): fc.Arbitrary<Record<string, unknown>> {
  const object = s.oneOf ? (s.oneOf[0] as JsonSchema) : s;
  const props = Object.fromEntries(Object.entries(object.properties ?? {}).map(([k, child]) => [k, allowed(child, good[k], ids, k)]));
  // Optional fields come and go; required ones are there (a perturbation may remove them).
  return fc.record(props, { requiredKeys: object.required?.filter((k) => k in props) ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A body from the schema, then: nothing changed, or a few fields made hostile, removed or added. */
export function bodyOf(route: ApiRoute, good: Record<string, unknown>, ids: string[]): fc.Arbitrary<unknown> {
  const schema = route.body as JsonSchema;
  const fields = fieldsOf(schema).filter((f) => !f.path.includes(0));
  const base = typeOf(schema) === 'object' ? objectOf(schema, good, ids) : allowed(schema, undefined, ids);
  const mutation = fc.record({
    path: fields.length ? fc.constantFrom(...fields.map((f) => f.path)) : fc.constant<(string | number)[]>(['extra']),
    value: fc.oneof({ weight: 5, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(undefined) }),
  });
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, { weight: 4, arbitrary: base }),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
      fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { freq: 8 }),
    )
    .map(([body, mutations, extra]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
      let out = structuredClone(body) as Record<string, unknown>;
      for (const m of mutations) out = setPath(out, m.path, m.value);
      return extra ? { ...out, ...extra } : out;
    });
}

function setPath(body: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let node: Record<string | number, unknown> = body;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      if (value === undefined) delete node[key];
      else node[key] = value;
    } else {
      if (!node[key] || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
  }
  return body;
}

/** How the JSON text and headers around the body are sent: mostly as they should be. */
export const envelope = fc.oneof(
  { weight: 40, arbitrary: fc.constant('plain' as const) },
  { weight: 1, arbitrary: fc.constantFrom('truncated', 'proto', 'constructor', 'text/plain', 'no-type', 'duplicate-key', 'array', 'bom') },
);

export function encode(body: unknown, how: string): { payload: string; contentType?: string } {
  const json = toJson(body);
  switch (how) {
    case 'truncated':
      return { payload: json.slice(0, Math.max(0, json.length - 2)) };
    case 'proto':
      return { payload: json.replace(/^{/, '{"__proto__":{"polluted":1},') };
    case 'constructor':
      return { payload: json.replace(/^{/, '{"constructor":{"prototype":{"polluted":1}},') };
    case 'text/plain':
      return { payload: json, contentType: 'text/plain' };
    case 'no-type':
      return { payload: json, contentType: '' };
    case 'duplicate-key':
      return { payload: json.replace(/^{"(\w+)":/, '{"$1":"dup","$1":') };
    case 'array':
      return { payload: `[${json}]` };
    case 'bom':
      return { payload: `\ufeff${json}` };
    default:
      return { payload: json };
  }
}

/** NDJSON or CSV uploads: rows from the create route's schema, perturbed, or plain garbage. */
export function uploadOf(route: ApiRoute, row: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<{ payload: string; contentType: string }> {
  const types = route.bodyTypes;
  const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
  const rows = row ? fc.array(row, { minLength: 1, maxLength: 4 }) : fc.constant([]);
  // A generated key "__proto__" can give a value a prototype that leads back to itself: such a row is written as a string.
  const json = (v: unknown) => {
    try {
      return toJson(v);
    } catch {
      return JSON.stringify(String(v));
    }
  };
  return fc.tuple(fc.constantFrom(...types), rows, text, fc.boolean()).map(([type, items, garbage, useGarbage]) => {
    if (useGarbage || !items.length) return { payload: garbage, contentType: type };
    if (type.includes('json')) return { payload: items.map((r) => json(r)).join('\n'), contentType: type };
    const keys = Object.keys(items.find((r) => r && typeof r === 'object') ?? { a: 1 });
    const cell = (v: unknown) => `"${(Array.isArray(v) ? v.join(';') : v && typeof v === 'object' ? json(v) : String(v ?? '')).replaceAll('"', '""')}"`;
    const lines = [keys.join(','), ...items.map((r) => keys.map((k) => cell(r && typeof r === 'object' ? (r as Record<string, unknown>)[k] : r)).join(','))];
    return { payload: lines.join('\r\n'), contentType: type };
  });
}
