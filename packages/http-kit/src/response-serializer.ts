/**
 * Answers written by their route's response schema, compiled once. Each zod response schema is
 * turned into JSON Schema (`z.toJSONSchema`, the answer's side) and compiled with
 * fast-json-stringify, Fastify's own serializer: it writes the declared fields only, in their
 * declared order, so nothing outside the schema leaves (masking holds as it did when zod stripped
 * the answer), byte for byte what zod and JSON.stringify wrote before.
 *
 * The compiled writer trusts its input: it coerces a wrong type and fails only on a missing required
 * field. So wherever answers are checked (RESPONSE_CHECKS: development and test by default) every answer
 * is also encoded by zod as before, a misfit is a 500 (`ResponseSerializationError`), and the
 * compiled text must equal zod's JSON byte for byte: the whole test suite holds the two writers equal.
 *
 * A schema with what the compiled writer cannot reproduce (a transform or codec, a value-rewriting
 * check such as `.trim()`, a record that must hold every key of an enum, a refinement inside a union,
 * a tuple, a lazy or custom type) keeps the zod path (validate, then JSON.stringify) for that route
 * alone; `app.responseSerializers` lists which did, and test/openapi-responses.test.ts pins the list.
 */
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type ZodSchema = z.core.$ZodType;
type Json = Record<string, unknown>;

/** How one route's answers of one status (and media type) are written. */
export interface ResponseSerializer {
  method: string;
  url: string;
  status: string;
  contentType?: string;
  /** Why the zod path is kept for it; absent when the compiled schema writes it. */
  fallback?: string;
}

/**
 * What the compiled writer cannot reproduce, found in a schema; undefined when it can write every answer.
 * A refinement changes nothing written (the check sees it) unless it sits in a union, where zod picks
 * the branch by it and the compiled writer, blind to it, could pick another.
 */
export function unfitForCompiling(schema: ZodSchema, inUnion = false, seen = [new Set<ZodSchema>(), new Set<ZodSchema>()]): string | undefined {
  // A recursive (getter) schema: each node once, in a union and outside one.
  const visited = seen[Number(inUnion)]!;
  if (visited.has(schema)) return undefined;
  visited.add(schema);
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const checks = def.checks?.map((check) => check._zod.def.check) ?? [];
  if (checks.includes('overwrite')) return `a check that rewrites the value (${def.type})`;
  if (inUnion && checks.includes('custom')) return 'a refinement inside a union';
  const inner = (children: unknown[], union = inUnion) => {
    for (const child of children) {
      const reason = child ? unfitForCompiling(child as ZodSchema, union, seen) : undefined;
      if (reason) return reason;
    }
    return undefined;
  };
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'literal':
    case 'enum':
    case 'date':
    case 'any':
    case 'unknown':
      return undefined;
    case 'object':
      return inner([...Object.values(def.shape as Record<string, ZodSchema>), def.catchall]);
    case 'array':
      return inner([def.element]);
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'default':
      return inner([def.innerType]);
    case 'union':
      return inner(def.options as ZodSchema[], true);
    case 'record':
      // Zod writes a record that must hold every key of an enum in the enum's order, not the object's.
      if ((def.keyType as ZodSchema)._zod.values && !def.partial) return 'a record keyed by every value of an enum';
      return inner([def.keyType, def.valueType]);
    case 'never':
      // A strict object's catchall: zod refuses what it does not declare, the compiled writer drops it.
      return undefined;
    case 'pipe':
      return 'a pipe (a transform, a codec or a preprocess)';
    default:
      return `the type ${def.type}`;
  }
}

const SINGLE = new Set(['items', 'additionalProperties', 'not', 'propertyNames']);
const LIST = new Set(['anyOf', 'oneOf', 'allOf']);

/**
 * The JSON Schema as fast-json-stringify should read it to write what zod writes:
 * - no `default`: zod's encode does not fill one in (a missing field is an error), fast-json-stringify would;
 * - a nullable non-union as `nullable: true` (a null test) rather than an `anyOf` checked by ajv;
 * - `required` only up to the first optional property: fast-json-stringify writes required properties
 *   first, zod in declared order (a required field after an optional one, when missing, is then
 *   caught by the check instead).
 */
function forWriting(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forWriting);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'default') continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, child]) => [name, forWriting(child)]));
    } else if (SINGLE.has(key) || LIST.has(key)) out[key] = forWriting(value);
    else out[key] = value;
  }
  const anyOf = out.anyOf as Json[] | undefined;
  if (anyOf?.length === 2) {
    const nullAt = anyOf.findIndex((branch) => branch.type === 'null' && Object.keys(branch).length === 1);
    const other = anyOf[1 - nullAt];
    if (nullAt >= 0 && other && !other.anyOf && !other.oneOf && !other.allOf && !other.$ref) {
      delete out.anyOf;
      Object.assign(out, other, { nullable: true });
    }
  }
  if (out.properties && Array.isArray(out.required)) {
    const required = new Set(out.required as string[]);
    const names = Object.keys(out.properties);
    const firstOptional = names.findIndex((name) => !required.has(name));
    out.required = firstOptional < 0 ? names : names.slice(0, firstOptional);
  }
  return out;
}

/** The JSON Schema of what a response schema writes (dates as ISO strings, as JSON.stringify writes them). */
export function writingSchema(schema: ZodSchema): Json {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'output',
    // Inline (no ids, no $refs): the writer is one function.
    metadata: new z.core.$ZodRegistry(),
    reused: 'inline',
    cycles: 'throw',
    // Only a date (as a string, below): unfitForCompiling turned every other unrepresentable type away.
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
      // A stripping object drops what it does not declare, as the compiled writer does; zod would also
      // choose a union's branch by the declared fields alone (a strict object keeps `false`: zod refuses more).
      if (def.type === 'object' && !def.catchall) delete jsonSchema.additionalProperties;
    },
  });
  return forWriting(json) as Json;
}

type Writer = (data: unknown) => string;
/** Per zod schema, shared by every route and app in the process: the compiled writer, or why there is none. */
const compiled = new WeakMap<ZodSchema, Writer | string>();

function compile(schema: ZodSchema): Writer | string {
  let writer = compiled.get(schema);
  if (writer === undefined) {
    const unfit = unfitForCompiling(schema);
    if (unfit) writer = unfit;
    else {
      try {
        writer = fastJson(writingSchema(schema)) as Writer;
      } catch (err) {
        writer = `not compiled: ${(err as Error).message}`;
      }
    }
    compiled.set(schema, writer);
  }
  return writer;
}

/**
 * An answer the compiled writer could not write (a required field missing), or, where answers are
 * checked, wrote otherwise than zod: a 500 like zod's misfit (errors.ts). Its message names where,
 * never a value: an answer can hold personal information, and this is logged.
 */
export class ResponseWriteError extends Error {
  override name = 'ResponseWriteError';
}

function writeFailure(where: string, err: unknown): ResponseWriteError {
  const message = (err as Error).message;
  // fast-json-stringify names a missing field by the schema's name for it; its other messages quote the value.
  return new ResponseWriteError(`${where}: ${/^"[^"]*" is required!$/.test(message) ? message : 'a value its schema cannot write'}`);
}

/**
 * How a route's answers of one schema are written: by the compiled schema, or by zod's path where it
 * cannot (`fallback` says why). With `check`, zod encodes every answer too (a misfit is its
 * ResponseSerializationError, a 500) and the compiled writer must write the same text.
 */
export function responseWriter(schema: unknown, route: { method: string; url: string; httpStatus?: string }, check: boolean): { write: Writer; fallback?: string } {
  const zodPath = zodSerializerCompiler({ schema, ...route } as never);
  if (!(schema instanceof z.core.$ZodType)) return { write: zodPath, fallback: 'not a zod schema' };
  const writer = compile(schema);
  if (typeof writer === 'string') return { write: zodPath, fallback: writer };
  const where = `${route.method} ${route.url} ${route.httpStatus}`;
  const write = (data: unknown) => {
    const expected = check ? zodPath(data) : undefined;
    let written: string;
    try {
      written = writer(data);
    } catch (err) {
      throw writeFailure(where, err);
    }
    if (expected !== undefined && written !== expected) {
      let at = 0;
      while (written[at] === expected[at]) at++;
      throw new ResponseWriteError(`${where}: the compiled schema wrote other JSON than zod from character ${at}`);
    }
    return written;
  };
  return { write };
}

/** Fastify's serializer compiler for every route, and the list of how each route's answers are written. */
export function createResponseSerializerCompiler(options: { check: boolean }) {
  const serializers: ResponseSerializer[] = [];
  const compiler: FastifySerializerCompiler<unknown> = ({ schema, method, url, httpStatus, contentType }) => {
    const { write, fallback } = responseWriter(schema, { method, url, ...(httpStatus ? { httpStatus } : {}) }, options.check);
    serializers.push({ method, url, status: String(httpStatus), ...(contentType ? { contentType } : {}), ...(fallback ? { fallback } : {}) });
    return write;
  };
  return { compiler, serializers };
}
