import t from 'tap';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';
import { registration } from '@reemploy/registration';

/** SPEC §6 "Resource paths (all under /v1)", as each service's OpenAPI document must show them. */
const PATHS: Record<string, string[]> = {
  registration: [
    'regions/{code}',
    'households',
    'households/{id}',
    'job-seekers',
    'job-seekers/{id}',
    'job-seekers/{id}/employment',
    'job-seekers/{id}/service-records',
    'assessments',
    'assessments/communities/{code}',
    'assessments/samples',
    'ledgers/monthly',
  ],
  'job-postings': ['employers', 'vacancies', 'vacancies/{id}', 'vacancies/{id}/close', 'job-fairs', 'job-fairs/{id}/vacancies'],
  matching: ['job-seekers/{id}/matches', 'vacancies/{id}/candidates', 'matching-runs', 'matching-runs/{id}', 'recommendations', 'referrals', 'referrals/{id}/outcome'],
  'assistance-bases': ['aid-bases', 'aid-bases/{id}', 'aid-bases/{id}/reserved-posts'],
};

const builders = { registration: buildRegistration, 'job-postings': buildJobPostings, matching: buildMatching, 'assistance-bases': buildAssistanceBases };

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; $ref?: string; [k: string]: unknown };
type Operation = { parameters?: { name: string; in: string }[]; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };

/** Every property name reachable from a schema (components followed through $ref). */
function propertyNames(node: unknown, components: Record<string, unknown>, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) propertyNames(n, components, seen, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = decodeURIComponent(value.split('/').pop() ?? '');
      if (!seen.has(name)) {
        seen.add(name);
        propertyNames(components[name], components, seen, out);
      }
    } else if ((key === 'properties' || key === 'patternProperties') && value && typeof value === 'object') {
      for (const [prop, sub] of Object.entries(value)) {
        if (key === 'properties') out.add(prop);
        propertyNames(sub, components, seen, out);
      }
    } else propertyNames(value, components, seen, out);
  }
  return out;
}

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema | undefined {
  if (schema?.$ref) return components[decodeURIComponent(schema.$ref.split('/').pop() ?? '')];
  return schema;
}

for (const [name, build] of Object.entries(builders)) {
  t.test(`${name}: the SPEC §6 contract in its OpenAPI document`, async (t) => {
    const svc = await build(t);
    const doc = (await svc.app.inject({ url: '/docs/json' })).json();
    const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;

    for (const path of PATHS[name] ?? []) t.ok(doc.paths[`/v1/${path}`], `/v1/${path} is served`);

    // JSON fields are camelCase: request bodies, query strings and answers.
    // The seed's criterion ids, standard targets and record-keyed maps are data, not fields.
    const notCamel: string[] = [];
    const checked = new Set<string>();
    for (const [path, ops] of Object.entries<Record<string, Operation & { requestBody?: unknown }>>(doc.paths)) {
      if (!path.startsWith('/v1')) continue;
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) if (p.in === 'query' && !/^[a-z][a-zA-Z0-9]*$/.test(p.name)) notCamel.push(`${method} ${path} ?${p.name}`);
        for (const prop of propertyNames([op.requestBody, op.responses], components)) {
          checked.add(prop);
          if (!/^[a-z][a-zA-Z0-9]*$/.test(prop) && !/^[a-z0-9]+(-[a-z0-9]+)+$/.test(prop)) notCamel.push(`${method} ${path} .${prop}`);
        }
      }
    }
    t.ok(checked.has('id') && checked.size > 20, `the check reads the fields (${checked.size})`);
    t.same(notCamel, [], 'every field is camelCase');

    // Lists page by cursor: an answer of items and nextCursor takes limit and cursor.
    const unpaged: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, Operation>>(doc.paths)) {
      const op = ops.get;
      if (!path.startsWith('/v1') || !op) continue;
      const answer = resolve(op.responses?.['200']?.content?.['application/json']?.schema, components);
      if (!answer?.properties?.items || !answer.properties.nextCursor) continue;
      const query = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      if (!query.has('limit') || !query.has('cursor')) unpaged.push(`GET ${path}`);
    }
    t.same(unpaged, [], 'every list with nextCursor takes limit and cursor');

    // Writes accept an Idempotency-Key and updates take If-Match: the document says so, for generated clients.
    const undocumented: string[] = [];
    for (const route of svc.app.routeCatalog) {
      if (!route.url.startsWith('/v1/')) continue;
      const op = doc.paths[route.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()] as Operation | undefined;
      const header = (name: string) => op?.parameters?.find((p) => p.in === 'header' && p.name === name) as { required?: boolean } | undefined;
      if (route.idempotent && header('Idempotency-Key')?.required !== false) undocumented.push(`${route.method} ${route.url} Idempotency-Key`);
      if (['PATCH', 'PUT'].includes(route.method) && header('If-Match')?.required !== true) undocumented.push(`${route.method} ${route.url} If-Match`);
    }
    t.same(undocumented, [], 'Idempotency-Key and If-Match are documented parameters');

    // Errors are RFC 9457 problems, sent as application/problem+json: documented as such, and sent as documented.
    const misdocumented: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, Operation>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>)) {
          // Not-ready is the readiness answer itself (which check failed), not an error of the request.
          if (!/^[45]/.test(status) || !response.content || (path === '/ready' && status === '503')) continue;
          if (Object.keys(response.content).join() !== 'application/problem+json') misdocumented.push(`${method} ${path} ${status}: ${Object.keys(response.content).join()}`);
        }
      }
    }
    t.same(misdocumented, [], 'every error response is documented as application/problem+json');
    const notFound = await svc.app.inject({ url: `/v1/${(PATHS[name] ?? [])[0]?.replace(/\{[^}]+\}/g, crypto.randomUUID())}` });
    t.match(notFound.headers['content-type'], /^application\/problem\+json/, 'and sent so');
  });
}

/**
 * SPEC §6: writes from other systems accept an Idempotency-Key. A POST either replays its first answer
 * to a repeated key, or is listed here with what makes a repeat harmless.
 */
const REPEAT_SAFE_WITHOUT_KEY: Record<string, string> = {
  'POST /v1/job-seekers/import': 'uploading the same file again changes nothing',
  'POST /v1/aid-bases/:id/reserved-posts/:postId/withdraw': 'If-Match required: a repeat is 412, never a second change',
  'POST /v1/webhooks/deliveries/:id/replay': 'an operator’s explicit redelivery; receivers dedupe deliveries by event id',
  'POST /v1/assessments/samples': 'a stored replay would keep unmasked contacts at rest; the same seed draws the same sample',
};

t.test('every POST from another system honours Idempotency-Key, or a repeat is harmless by design', async (t) => {
  const missing: string[] = [];
  for (const build of Object.values(builders)) {
    const svc = await build(t);
    for (const route of svc.app.routeCatalog) {
      if (route.method !== 'POST' || !route.url.startsWith('/v1/')) continue;
      const key = `${route.method} ${route.url}`;
      if (!route.idempotent && !REPEAT_SAFE_WITHOUT_KEY[key]) missing.push(key);
    }
  }
  t.same(missing, []);
});

t.test('conditional POSTs document how they check If-Match', async (t) => {
  const jobs = await buildJobPostings(t);
  const close = (await jobs.app.inject({ url: '/docs/json' })).json().paths['/v1/vacancies/{id}/close'].post;
  t.match(close.parameters.find((p: { name: string }) => p.name === 'If-Match'), { in: 'header', required: false });
  const bases = await buildAssistanceBases(t);
  const withdraw = (await bases.app.inject({ url: '/docs/json' })).json().paths['/v1/aid-bases/{id}/reserved-posts/{postId}/withdraw'].post;
  t.match(withdraw.parameters.find((p: { name: string }) => p.name === 'If-Match'), { in: 'header', required: true });
});

t.test('configuration defaults of SPEC §6', async (t) => {
  const env = registration.parseEnv({});
  t.equal(env.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/reemploy');
  t.equal(env.REDIS_URL, 'redis://127.0.0.1:6379');
});
