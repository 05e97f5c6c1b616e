/**
 * Holds a real HTTP answer against an OpenAPI 3.1 document as an integrator's
 * generated client would read it: the operation its method and path name (and
 * the body it took, of a media type the operation declares), the
 * status (exact, else its range, else default), the content type declared for
 * that status, every required response header present and every header sent
 * declared (save the transport and browser-security headers below) and valid,
 * and the body valid against the declared schema under JSON Schema 2020-12
 * (ajv, independent of the zod schemas the document came from).
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;
interface Header {
  $ref?: string;
  required?: boolean;
  schema?: Schema;
}
interface Response {
  $ref?: string;
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, Header>;
}
interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; headers?: Record<string, Header>; responses?: Record<string, Response> };
}

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  rawPayload: Buffer;
}

/**
 * Headers that are no part of the API: HTTP's own, and the browser-security
 * headers (@fastify/helmet) every answer carries. Anything else a service sends must be declared.
 */
const NOT_API = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const COMPONENTS_ID = 'https://reemploy.invalid/openapi/components';

export interface Checked {
  operationId?: string;
  faults: string[];
}

export function responseValidator(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAPI's format for bytes: any string.
  ajv.addFormat('binary', true);
  // Component references, resolved by ajv in a schema of their own.
  const local = '#/components/schemas/';
  const rebase = <T>(node: T): T =>
    JSON.parse(JSON.stringify(node), (key, value: unknown) => (key === '$ref' && typeof value === 'string' && value.startsWith(local) ? `${COMPONENTS_ID}#/$defs/${value.slice(local.length)}` : value)) as T;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rebase(doc.components?.schemas ?? {}) });
  const compiled = new WeakMap<Schema, ValidateFunction>();
  const validatorOf = (schema: Schema) => {
    let fn = compiled.get(schema);
    if (!fn) compiled.set(schema, (fn = ajv.compile(rebase(schema))));
    return fn;
  };

  // Paths as patterns, the most literal first (`/v1/job-seekers/import` before `/v1/job-seekers/{id}`).
  const templates = Object.keys(doc.paths)
    .map((path) => ({
      path,
      literal: path.split('/').filter((s) => s && !s.startsWith('{')).length,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    }))
    .sort((a, b) => b.literal - a.literal);

  const resolve = <T extends { $ref?: string }>(node: T | undefined, kind: 'headers' | 'responses'): T | undefined => {
    if (!node?.$ref) return node;
    return doc.components?.[kind]?.[node.$ref.split('/').pop() as string] as T | undefined;
  };

  function operationOf(method: string, url: string): Operation | undefined {
    const path = url.split('?')[0] as string;
    const template = templates.find((t) => t.pattern.test(path) && doc.paths[t.path]?.[method.toLowerCase()]);
    return template ? doc.paths[template.path]?.[method.toLowerCase()] : undefined;
  }

  /**
   * `request.contentType`: the body's media type, when it had one. A body the service took (2xx)
   * must be of a type the operation's requestBody declares, or a generated client could not send it.
   */
  function check(request: { method: string; url: string; contentType?: string }, answer: Answer): Checked {
    const operation = operationOf(request.method, request.url);
    if (!operation) return { faults: [`${request.method} ${request.url.split('?')[0]}: no operation of the document`] };
    const faults: string[] = [];
    const status = String(answer.statusCode);
    if (request.contentType && status.startsWith('2')) {
      const sent = request.contentType.split(';')[0]!.trim().toLowerCase();
      const accepted = Object.keys(operation.requestBody?.content ?? {});
      if (!accepted.includes(sent)) faults.push(`a ${sent} body was taken, but the document declares ${accepted.length ? accepted.join(', ') : 'no request body'}`);
    }
    const declared = resolve(operation.responses?.[status] ?? operation.responses?.[`${status[0]}XX`] ?? operation.responses?.default, 'responses');
    if (!declared) return { operationId: operation.operationId, faults: [`status ${status} is not declared`] };

    // Headers: the required ones sent, the ones sent declared and valid.
    const headers = Object.fromEntries(Object.entries(declared.headers ?? {}).map(([name, h]) => [name.toLowerCase(), resolve(h, 'headers') ?? {}]));
    for (const [name, header] of Object.entries(headers)) if (header.required && answer.headers[name] === undefined) faults.push(`${status}: required header ${name} missing`);
    for (const [name, raw] of Object.entries(answer.headers)) {
      if (NOT_API.has(name)) continue;
      const header = headers[name];
      if (!header) {
        faults.push(`${status}: header ${name} is sent but not declared`);
        continue;
      }
      if (header.schema) {
        const text = String(raw);
        const value = header.schema.type === 'integer' || header.schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text) : text;
        const validate = validatorOf(header.schema);
        if (!validate(value)) faults.push(`${status}: header ${name}: ${text} ${ajv.errorsText(validate.errors)}`);
      }
    }

    // Content: none where none is declared; else a declared media type, and a body valid against its schema.
    const content = declared.content ?? {};
    const contentType = answer.headers['content-type'];
    if (!Object.keys(content).length) {
      if (answer.rawPayload.length) faults.push(`${status}: a body where the document declares none`);
      return { operationId: operation.operationId, faults };
    }
    if (typeof contentType !== 'string') return { operationId: operation.operationId, faults: [...faults, `${status}: no content type`] };
    const essence = contentType.split(';')[0]!.trim().toLowerCase();
    const media = content[essence] ?? content[`${essence.split('/')[0]}/*`] ?? content['*/*'];
    if (!media) return { operationId: operation.operationId, faults: [...faults, `${status}: content type ${essence} is not declared (${Object.keys(content).join(', ')})`] };
    if (!media.schema) return { operationId: operation.operationId, faults };
    let body: unknown;
    if (essence === 'application/json' || essence.endsWith('+json')) {
      try {
        body = JSON.parse(answer.rawPayload.toString('utf8'));
      } catch {
        faults.push(`${status}: the ${essence} body is not JSON`);
        return { operationId: operation.operationId, faults };
      }
    } else if (media.schema.format === 'binary') {
      body = 'bytes';
    } else {
      try {
        body = new TextDecoder('utf-8', { fatal: true }).decode(answer.rawPayload);
      } catch {
        faults.push(`${status}: the ${essence} body is not UTF-8 text`);
        return { operationId: operation.operationId, faults };
      }
    }
    const validate = validatorOf(media.schema);
    if (!validate(body)) faults.push(`${status} ${essence}: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 1500)}`);
    return { operationId: operation.operationId, faults };
  }

  /** Every operationId of the document. */
  const operationIds = Object.values(doc.paths).flatMap((ops) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.includes(method))
      .map(([, op]) => op.operationId as string),
  );

  return { check, operationIds };
}
