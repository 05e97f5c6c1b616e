import fc from 'fast-check';
import t from 'tap';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../src/problem.ts';
import { responseWriter } from '../src/response-serializer.ts';

const writers = (schema: z.ZodType, check = false) => responseWriter(schema, { method: 'GET', url: '/x', httpStatus: '200' }, check);
const throwsOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};
const zodJson = (schema: z.ZodType, data: unknown) => JSON.stringify(z.encode(schema, data as never));

// What the services' answers are made of: nullable objects and dates, an optional field before required
// ones, a union of strict objects, records (string keys, partial enum keys), a catchall, defaults.
const reason = z.object({ code: z.string(), zh: z.string() });
const answer = z.object({
  id: z.uuid(),
  note: z.string().optional(),
  score: z.number().min(0).max(1),
  rank: z.int(),
  active: z.boolean(),
  kind: z.enum(['regular', 'public-welfare']),
  version: z.literal(1),
  decidedAt: z.date().nullable(),
  updatedAt: z.iso.datetime(),
  employer: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
  reasons: z.array(reason),
  size: z.union([z.strictObject({ count: z.int() }), z.strictObject({ fraction: z.number() })]),
  byMonth: z.record(z.string(), z.int()),
  byCategory: z.partialRecord(z.enum(['A', 'B', 'C']), z.int()),
  limit: z.int().default(20),
  extra: z.unknown().optional(),
  nothing: z.null(),
});

const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u2028', '区', '\ud800', '😀', ' '), maxLength: 12 });
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21, 5e-7, 0.1 + 0.2));
const date = fc.date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true });
// Each object also carries what the schema does not declare, as a row or a decrypted record would.
const leak = { idNumber: fc.constant('110101196001011234'), phone_cipher: text };
const answers = fc.record(
  {
    id: fc.uuid(),
    note: text,
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    rank: fc.integer(),
    active: fc.boolean(),
    kind: fc.constantFrom('regular', 'public-welfare'),
    version: fc.constant(1),
    decidedAt: fc.option(date),
    updatedAt: date.map((d) => d.toISOString()),
    employer: fc.option(fc.record({ name: text, phone: fc.option(text), ...leak })),
    reasons: fc.array(fc.record({ code: text, zh: text, ...leak }), { maxLength: 4 }),
    size: fc.oneof(fc.record({ count: fc.integer() }), fc.record({ fraction: number })),
    byMonth: fc.dictionary(text, fc.integer(), { maxKeys: 4 }),
    byCategory: fc.dictionary(fc.constantFrom('C', 'A', 'B'), fc.integer(), { maxKeys: 3 }),
    limit: fc.integer(),
    extra: fc.jsonValue(),
    nothing: fc.constant(null),
    ...leak,
  },
  { requiredKeys: ['id', 'score', 'rank', 'active', 'kind', 'version', 'decidedAt', 'updatedAt', 'employer', 'reasons', 'size', 'byMonth', 'byCategory', 'limit', 'nothing'] },
);

t.test('the compiled schema writes what zod and JSON.stringify wrote, byte for byte, and nothing it does not declare', async (t) => {
  const { write, fallback } = writers(answer);
  t.equal(fallback, undefined, 'compiled');
  fc.assert(
    fc.property(answers, (data) => {
      const written = write(data);
      return written === zodJson(answer, data) && !written.includes('idNumber') && !written.includes('phone_cipher');
    }),
    { numRuns: 500 },
  );
  // Fields in the declared order though an optional one comes before required ones.
  t.match(write({ id: '0b5f3d3e-8a7c-4d3f-9a3b-2c1d0e9f8a7b', score: 0.5, rank: 1, active: true, kind: 'regular', version: 1, decidedAt: null, updatedAt: '2026-12-08T00:00:00.000Z', employer: null, reasons: [], size: { count: 2 }, byMonth: {}, byCategory: { B: 1, A: 2 }, limit: 20, nothing: null, note: 'n' }), /^\{"id":"[^"]+","note":"n","score":0.5,/);
});

t.test('problems keep their extra members, after the declared ones', async (t) => {
  const { write, fallback } = writers(problemSchema);
  t.equal(fallback, undefined);
  const body = { type: 'urn:problem:reemploy:duplicate', title: 'Already exists', status: 409, code: 'duplicate', detail: 'd', instance: '/v1/x', requestId: 'r', existingId: 'e', skipped: undefined };
  t.equal(write(body), zodJson(problemSchema, body));
  t.match(write(body), /"requestId":"r","existingId":"e"}$/);
});

t.test('with checks on, an answer that does not fit its schema is a 500; without, a missing field still fails', async (t) => {
  const { write } = writers(answer, true);
  const misfit = { id: 'not-a-uuid', score: 2, rank: 1.5, active: 'yes', kind: 'regular', version: 1, decidedAt: null, updatedAt: 'x', employer: null, reasons: [], size: { count: 1 }, byMonth: {}, byCategory: {}, limit: 1, nothing: null };
  t.ok(isResponseSerializationError(throwsOf(() => write(misfit))), 'zod refuses it: a 500 problem');
  const { write: unchecked } = writers(answer);
  const { id: _id, ...missing } = misfit;
  t.throws(() => unchecked(missing), { name: 'ResponseWriteError', message: 'GET /x 200: "id" is required!' });
  t.throws(() => unchecked({ ...misfit, rank: 'fourth' }), { name: 'ResponseWriteError', message: 'GET /x 200: a value its schema cannot write' }, 'never the value');
});

t.test('with checks on, a compiled writer that parts from zod is refused', async (t) => {
  // Zod drops an own `__proto__` key of a record; the compiled writer does not.
  const schema = z.object({ byMonth: z.record(z.string(), z.int()) });
  const data = { byMonth: JSON.parse('{"2026-11":1,"__proto__":2}') as Record<string, number> };
  t.not(writers(schema).write(data), zodJson(schema, data), 'the two writers part here');
  t.throws(() => writers(schema, true).write(data), { name: 'ResponseWriteError', message: /GET \/x 200: the compiled schema wrote other JSON than zod from character 23/ });
});

t.test('what the compiled writer cannot reproduce keeps the zod path, with the reason listed', async (t) => {
  const cases: [z.ZodType, RegExp][] = [
    [z.object({ name: z.string().trim() }), /rewrites the value/],
    [z.object({ at: z.string().transform((s) => s.length) }), /a pipe/],
    [z.object({ byCategory: z.record(z.enum(['B', 'A']), z.int()) }), /keyed by every value of an enum/],
    [z.union([z.object({ a: z.string().refine((s) => s.startsWith('x')) }), z.object({ a: z.string(), b: z.int().optional() })]), /refinement inside a union/],
    [z.object({ pair: z.tuple([z.string(), z.int()]) }), /tuple/],
    [z.undefined(), /the type undefined/],
  ];
  for (const [schema, why] of cases) {
    t.match(writers(schema).fallback, why, String(why));
  }
  // Zod writes an exhaustive enum record in the enum's order, and trims.
  t.equal(writers(cases[2]![0]).write({ byCategory: { A: 1, B: 2 } }), '{"byCategory":{"B":2,"A":1}}');
  t.equal(writers(cases[0]![0]).write({ name: ' x ' }), '{"name":"x"}');
  // Zod picks the second branch by the refinement (b is kept); JSON Schema cannot see it.
  t.equal(writers(cases[3]![0]).write({ a: 'y', b: 1 }), '{"a":"y","b":1}');
});
