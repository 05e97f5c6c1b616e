/**
 * Every class of bad input, sent to every write route of every service (read
 * from the services' own route catalogues and OpenAPI documents), and every
 * kind of pagination abuse to every list route. Each must be a 4xx
 * problem+json naming the field where there is one, store nothing, and never
 * echo the personal information it carried.
 */
import t from 'tap';
import { PII, RawJson, fieldsOf, refusalFaults, serviceUnderTest, setAt, toJson, typeOf, unwrap, type ApiRoute, type JsonSchema, type ServiceUnderTest } from './support/api-routes.ts';

interface Case {
  label: string;
  /** The JSON text (or other body) sent. */
  payload?: string;
  contentType?: string;
  /** Path parameter values to use instead of existing records. */
  params?: Record<string, string>;
  /** Put into the path as it is, not percent-encoded. */
  raw?: string;
  /** The field the problem must name. */
  field?: string;
  statuses?: number[];
  /** An upload may answer 200 with a report of failed rows instead of refusing it whole. */
  report?: boolean;
}

const BODY_LIMIT = 1_048_576;
const RAW = 'RAWPARAM';
const marked = `${PII.idNumber} ${PII.phone}`;

/** Values of the wrong kind for a field of this type. */
function wrongTypes(type: string | undefined): [string, unknown][] {
  switch (type) {
    case 'string':
      return [['a number where a string is due', 13912340077], ['an object where a string is due', { idNumber: PII.idNumber }], ['an array where a string is due', [PII.phone]]];
    case 'integer':
    case 'number':
      return [['a string where a number is due', '42'], ['a boolean where a number is due', true], ['an array where a number is due', [1]]];
    case 'boolean':
      return [['a string where a boolean is due', 'true'], ['a number where a boolean is due', 1]];
    case 'array':
      return [['a string where an array is due', PII.phone], ['an object where an array is due', { 0: 'x' }]];
    case 'object':
      return [['an array where an object is due', []], ['a string where an object is due', marked]];
    default:
      return [['a nested object', { a: { b: 1 } }]];
  }
}

/** Values of the right type that the field's rules refuse. */
function outOfRange(schema: JsonSchema): [string, unknown][] {
  const s = unwrap(schema).schema;
  const type = typeOf(s);
  const out: [string, unknown][] = [];
  if (type === 'string') {
    out.push(['a NUL character', `${PII.idNumber}\u0000`]);
    out.push(['a control character', `\u001b[31m${PII.phone}`]);
    out.push(['a lone surrogate', `\ud800${PII.phone}`]);
    out.push(['an oversized string', `${marked} `.repeat(Math.ceil(((s.maxLength ?? 100_000) + 1) / (marked.length + 1)))]);
    if (s.enum) out.push(['an enum value out of range', `${PII.idNumber}`], ['an enum value in the wrong case', String(s.enum[0]).toUpperCase() + 'X']);
    if (s.const !== undefined) out.push(['another constant', `${String(s.const)}-not`]);
    if (s.format === 'uuid') out.push(['a malformed UUID', 'not-a-uuid'], ['an identity number as an id', PII.idNumber], ['an injection as an id', "' OR '1'='1"]);
    if (s.format === 'date') out.push(['a date that does not exist', '2026-02-30'], ['29 February of a common year', '2026-02-29'], ['month 13', '2026-13-01'], ['a date with a time', '2026-01-15T00:00:00Z']);
    if (s.format === 'date-time') out.push(['a date-time that does not exist', '2026-02-30T10:00:00Z'], ['hour 25', '2026-01-15T25:00:00Z'], ['a date-time without a zone', '2026-01-15T10:00'], ['a bare date', '2026-01-15']);
    if (s.pattern && !s.format) out.push(['a value off the pattern', `${PII.phone}!`]);
    if (s.minLength && s.minLength > 0) out.push(['an empty string', '']);
  }
  if (type === 'integer' || type === 'number') {
    out.push(['a number beyond 2^53', new RawJson('9007199254740993')], ['a number too large for a double', new RawJson('1e400')], ['a huge negative number', new RawJson('-9007199254740993123')]);
    if (s.minimum !== undefined) out.push(['below the minimum', s.minimum - 1]);
    if (s.exclusiveMinimum !== undefined) out.push(['at the exclusive minimum', s.exclusiveMinimum]);
    if (s.maximum !== undefined) out.push(['above the maximum', s.maximum + 1]);
    if (type === 'integer') out.push(['a fraction where an integer is due', 1.5]);
  }
  if (type === 'array') {
    const items = s.items ?? {};
    const item = typeOf(items) === 'string' ? PII.phone : 1;
    out.push(['an oversized array', Array.from({ length: (s.maxItems ?? 10_000) + 1 }, () => item)]);
    out.push(['an array holding null', [null]], ['an array holding a nested array', [[item]]]);
    if (typeOf(items) === 'string') out.push(['an array item with a NUL', [`${PII.idNumber}\u0000`]], ['an array item with a lone surrogate', ['\udfff']]);
    if (s.minItems) out.push(['an empty array', []]);
  }
  if (type === 'object') out.push(['an unknown nested property', { __unknown: marked }]);
  if (!unwrap(schema).nullable) out.push(['null', null]);
  return out;
}

function bodyCases(route: ApiRoute, base: Record<string, unknown>): Case[] {
  const json = toJson(base);
  const cases: Case[] = [
    { label: 'malformed JSON', payload: `{"idNumber": "${PII.idNumber}", `, field: 'body', statuses: [400] },
    { label: 'truncated JSON', payload: json.slice(0, -1), field: 'body', statuses: [400] },
    { label: 'JSON with a trailing comma', payload: json.replace(/}$/, ',}'), field: 'body', statuses: [400] },
    { label: 'an empty body', payload: '', field: 'body', statuses: [400] },
    { label: 'a body that is an array', payload: toJson([base]), field: 'body', statuses: [400] },
    { label: 'a body that is a string', payload: JSON.stringify(marked), field: 'body', statuses: [400] },
    // Unless the body may be left out altogether (a withdrawal's reason): then null is no body.
    ...(unwrap(route.body as JsonSchema).nullable ? [] : [{ label: 'a body that is null', payload: 'null', statuses: [400] }]),
    { label: 'text/plain', payload: json, contentType: 'text/plain', statuses: [415] },
    { label: 'application/xml', payload: `<seeker><idNumber>${PII.idNumber}</idNumber></seeker>`, contentType: 'application/xml', statuses: [415] },
    { label: 'a form', payload: `idNumber=${PII.idNumber}`, contentType: 'application/x-www-form-urlencoded', statuses: [415] },
    { label: 'an oversized body', payload: toJson({ ...base, padding: marked.repeat(Math.ceil((BODY_LIMIT * 1.5) / marked.length)) }), statuses: [413] },
    { label: 'a __proto__ key', payload: json.replace(/^{/, `{"__proto__":{"admin":true,"idNumber":"${PII.idNumber}"},`), field: 'body', statuses: [400] },
    { label: 'a constructor key', payload: json.replace(/^{/, '{"constructor":{"prototype":{"admin":true}},'), field: 'body', statuses: [400] },
    { label: 'an unknown property', payload: toJson({ ...base, favouriteColour: marked }), field: 'body.favouriteColour', statuses: [400] },
    { label: 'a key with a NUL', payload: toJson({ ...base, ['a\u0000b']: 1 }), field: 'body', statuses: [400] },
    { label: 'a key with a lone surrogate', payload: json.replace(/^{/, '{"\\ud800":1,'), field: 'body', statuses: [400] },
  ];
  for (const f of fieldsOf(route.body as JsonSchema)) {
    const field = `body.${f.path.join('.')}`;
    const type = typeOf(f.schema);
    if (f.required && !f.path.includes(0)) cases.push({ label: `${field}: missing`, payload: toJson(setAt(base, f.path, undefined)), field, statuses: [400] });
    for (const [label, value] of [...wrongTypes(type), ...outOfRange(f.schema)]) {
      const payload = toJson(setAt(base, f.path, value));
      // A body over the limit is refused as a whole, before any field is read.
      if (payload.length > BODY_LIMIT) cases.push({ label: `${field}: ${label}`, payload, statuses: [413] });
      else cases.push({ label: `${field}: ${label}`, payload, field, statuses: [400] });
    }
  }
  return cases;
}

function paramCases(route: ApiRoute): Case[] {
  const cases: Case[] = [];
  for (const p of route.params) {
    const field = `params.${p.name}`;
    const bad: [string, string, number[]][] = [
      ['not a UUID', 'not-a-uuid', [400]],
      ['an identity number', PII.idNumber, [400]],
      ['a phone number', PII.phone, [400]],
      ['an injection', "1' OR '1'='1", [400]],
      ['a NUL', 'a\u0000b', [400]],
      ['an encoded path traversal', '../../etc/passwd', [400]],
      ['an emoji', '💩', [400]],
      ['a UUID with a trailing character', `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}x`, [400]],
      // Longer than the router takes: not a route at all.
      ['an id of 300 characters', 'a'.repeat(300), [400, 404, 414]],
      ['bad percent-encoding', '%E0%A4%A', [400]],
    ];
    for (const [label, value, statuses] of bad) {
      const raw = value.startsWith('%');
      cases.push({ label: `${field}: ${label}`, params: { [p.name]: raw ? RAW : value }, ...(raw ? { raw: value } : {}), field: statuses.length > 1 ? undefined : raw ? 'url' : field, statuses });
    }
  }
  return cases;
}

async function send(s: ServiceUnderTest, route: ApiRoute, c: Case, base: unknown) {
  const url = (await s.path(route, c.params ?? {})).replace(RAW, c.raw ?? RAW);
  const hasBody = route.method !== 'DELETE' && (route.body !== undefined || route.bodyTypes.length > 0);
  const payload = c.payload ?? (hasBody ? toJson(base ?? {}) : undefined);
  const headers = s.headers(route, c.contentType ?? 'application/json');
  if (payload === undefined) delete headers['content-type'];
  return s.svc.app.inject({ method: route.method as 'POST', url, headers, ...(payload !== undefined ? { payload } : {}) });
}

function diff(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} → ${after[k]}`);
}

const totals = { routes: 0, requests: 0, lists: 0 };

// BAD_INPUT_SERVICE=matching runs one service only (while chasing a fault).
const services = ['registration', 'job-postings', 'matching', 'assistance-bases'].filter((n) => !process.env.BAD_INPUT_SERVICE || n === process.env.BAD_INPUT_SERVICE);

for (const name of services) {
  t.test(`${name}: every write route refuses every class of bad input`, async (t) => {
    const s = await serviceUnderTest(t, name, { IMPORT_BODY_LIMIT: String(BODY_LIMIT), VACANCY_IMPORT_BODY_LIMIT: String(BODY_LIMIT) });
    t.ok(s.writes.length >= 3, `${name} has write routes (${s.writes.length})`);
    // Records the paths point at, made before the first snapshot.
    const bases = new Map<ApiRoute, unknown>();
    for (const route of s.writes) {
      await s.path(route);
      const base = await s.example(route);
      if (base && typeof base === 'object' && 'idNumber' in base) (base as Record<string, unknown>).idNumber = PII.idNumber;
      bases.set(route, base);
    }
    for (const route of s.writes) {
      const base = bases.get(route);
      const cases: Case[] = [...paramCases(route)];
      if (route.body && typeOf(route.body) !== 'string') cases.push(...bodyCases(route, base as Record<string, unknown>));
      else if (route.bodyTypes.length) {
        const create = s.writes.find((r) => r.method === 'POST' && r.url === route.url.replace(/\/import$/, ''));
        cases.push(...uploadCases(route, create ? ((await s.example(create)) as Record<string, unknown>) : undefined, create?.body));
      }
      const before = await s.snapshot();
      const faults: string[] = [];
      for (const c of cases) {
        const res = await send(s, route, c, base);
        const reported = c.report && res.statusCode === 200;
        if (reported) {
          const report = JSON.stringify(res.json());
          if (report.includes(PII.idNumber) || report.includes(PII.phone)) faults.push(`${c.label}: the report echoes personal information`);
          if (/"(created|updated)":\s*[1-9]/.test(report)) faults.push(`${c.label}: the report says rows were stored: ${JSON.stringify((JSON.parse(report) as { report?: { status: string }[] }).report?.filter((r) => r.status !== "failed" && r.status !== "rejected"))}`);
          if (process.env.BAD_INPUT_DEBUG) console.error(c.label, report.slice(0, 3000));
        } else for (const fault of refusalFaults(res, c.field, c.statuses)) faults.push(`${c.label}: ${fault}`);
      }
      totals.requests += cases.length;
      totals.routes++;
      t.strictSame(faults, [], `${route.method} ${route.url}: ${cases.length} bad requests refused as problems naming their fields`);
      t.strictSame(diff(before, await s.snapshot()), [], `${route.method} ${route.url}: nothing stored`);
    }

    // Controls: the baseline the bad inputs were made from is accepted, so
    // "nothing stored" above is not an accident of a body that never could be.
    // Every route with a JSON body, ending ones (close, merge, withdraw, delete) last.
    const ending = (r: ApiRoute) => (r.method === 'DELETE' || /\/close$/.test(r.url) ? 2 : /\/(merge|withdraw)$/.test(r.url) ? 1 : 0);
    for (const route of s.writes.filter((r) => r.body && typeOf(r.body) === 'object').sort((a, b) => ending(a) - ending(b))) {
      const before = await s.snapshot();
      const body = (await s.example(route)) as Record<string, unknown>;
      if ('idNumber' in body) body.idNumber = PII.idNumber;
      const res = await send(s, route, { label: 'control' }, body);
      t.ok(res.statusCode >= 200 && res.statusCode < 300, `control: ${route.method} ${route.url} accepts its baseline (${res.statusCode} ${res.statusCode >= 300 ? res.body.slice(0, 200) : ''})`);
      t.ok(diff(before, await s.snapshot()).length > 0, `control: ${route.method} ${route.url} stores its baseline`);
    }
  });

  t.test(`${name}: every list route refuses pagination abuse`, async (t) => {
    const s = await serviceUnderTest(t, name);
    t.ok(s.lists.length >= 1, `${name} has list routes`);
    // Two records in each collection (and in each parent's sub-collections), so lists have a next page whose real cursor can be tampered with.
    for (const route of s.writes.filter((r) => r.method === 'POST' && r.body && typeOf(r.body) === 'object' && !/\/(import|close|merge|replay|outcome|withdraw)$/.test(r.url))) {
      for (let i = 0; i < 2; i++) await send(s, route, { label: 'seed' }, await s.example(route));
    }
    for (const route of s.lists) {
      const path = await s.path(route);
      const url = path.split('?')[0] as string;
      const fixed = path.includes('?') ? `&${path.split('?')[1]}` : '';
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const cases: [string, string, string, number[]][] = [
        ['a negative limit', 'limit=-1', 'query.limit', [400]],
        ['a zero limit', 'limit=0', 'query.limit', [400]],
        ['a huge limit', 'limit=100000000', 'query.limit', [400]],
        ['a limit beyond 2^53', 'limit=9007199254740993', 'query.limit', [400]],
        ['a limit of 1e400', 'limit=1e400', 'query.limit', [400]],
        ['a fractional limit', 'limit=1.5', 'query.limit', [400]],
        ['a limit that is not a number', 'limit=ten', 'query.limit', [400]],
        ['a limit given twice', 'limit=1&limit=2', 'query.limit', [400]],
        ['a limit with a NUL', 'limit=1%00', 'query', [400]],
        ['a garbled cursor', 'cursor=AAAA', 'query.cursor', [400]],
        ['a cursor off the alphabet', 'cursor=%21%21%21', 'query.cursor', [400]],
        ['an oversized cursor', `cursor=${'A'.repeat(600)}`, 'query.cursor', [400]],
        ['a cursor of JSON null', `cursor=${forged(null)}`, 'query.cursor', [400]],
        ['a cursor of an array', `cursor=${forged([1, 2])}`, 'query.cursor', [400]],
        ['a forged cursor of the wrong shape', `cursor=${forged({ id: "' OR 1=1 --", idNumber: PII.idNumber })}`, 'query.cursor', [400]],
        ['a forged cursor with __proto__', `cursor=${Buffer.from('{"__proto__":{"admin":true}}').toString('base64url')}`, 'query.cursor', [400]],
        ['a cursor that is not UTF-8', `cursor=${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}`, 'query.cursor', [400]],
        ['a cursor with a lone surrogate', 'cursor=%ED%A0%80', 'query', [400]],
      ];
      // A real cursor, each of its values swapped for a hostile one.
      const page = await s.svc.app.inject({ url: `${url}?limit=1${fixed}`, headers: s.headers(route) });
      const real = page.statusCode === 200 ? (page.json() as { nextCursor?: string | null }).nextCursor : null;
      if (real) {
        const decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as unknown;
        const leaves: (string | number)[][] = [];
        const walk = (v: unknown, p: (string | number)[]) => {
          if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, Array.isArray(v) ? Number(k) : k]);
          else leaves.push(p);
        };
        walk(decoded, []);
        // Values no cursor can hold are refused; others may be a position a list can start from, but never a 5xx.
        const hostile: [string, unknown, number[]][] = [
          ['a NUL', 'a\u0000b', [400]],
          ['a lone surrogate', '\ud800', [400]],
          ['a number beyond 2^53', new RawJson('9007199254740993'), [400]],
          ['an object', { $gt: '' }, [400]],
          ['an array', ['x'], [400]],
          ['a date that does not exist', '2026-02-30T00:00:00.000Z', [200, 400]],
          ['a negative number', -1, [200, 400]],
          ['a non-UUID', 'not-a-uuid', [200, 400]],
          ['null', null, [200, 400]],
          ['an identity number', PII.idNumber, [200, 400]],
        ];
        for (const leaf of leaves) {
          for (const [label, value, statuses] of hostile) {
            const tampered = Buffer.from(toJson(setAt(decoded, leaf, value))).toString('base64url');
            cases.push([`a real cursor with ${leaf.join('.') || 'its value'} as ${label}`, `cursor=${tampered}`, 'query.cursor', statuses]);
          }
        }
      }
      const faults: string[] = [];
      for (const [label, query, field, statuses] of cases) {
        const res = await s.svc.app.inject({ url: `${url}?${query}${fixed}`, headers: s.headers(route) });
        if (res.statusCode === 200 && statuses.includes(200)) {
          if (res.body.includes(PII.idNumber)) faults.push(`${label}: echoes the identity number`);
          continue;
        }
        for (const fault of refusalFaults(res, field, statuses)) faults.push(`${label}: ${fault}`);
      }
      totals.lists++;
      totals.requests += cases.length;
      t.strictSame(faults, [], `GET ${route.url}: ${cases.length} abusive pages refused${real ? ' (tampered with a real cursor too)' : ''}`);
    }
  });
}

/** Bulk uploads (NDJSON, CSV): refused whole, or row by row with nothing stored. */
function uploadCases(route: ApiRoute, row: Record<string, unknown> | undefined, schema: JsonSchema | undefined): Case[] {
  const type = route.bodyTypes[0] as string;
  const big = `${marked}\n`.repeat(Math.ceil((BODY_LIMIT * 1.5) / (marked.length + 1)));
  const cases: Case[] = [
    { label: 'JSON instead of the upload type', payload: JSON.stringify({ idNumber: PII.idNumber }), contentType: 'application/json', statuses: [400, 415] },
    { label: 'text/plain', payload: `idNumber\n${PII.idNumber}\n`, contentType: 'text/plain', statuses: [415] },
    { label: 'an oversized upload', payload: big, contentType: type, statuses: [413] },
    // An empty file: refused, or a report of no rows.
    { label: 'an empty upload', payload: '', contentType: type, statuses: [200, 400], report: true },
  ];
  if (!row || !schema) return cases;
  // Rows made from the create route's schema, each with one field refused as the JSON route refuses it.
  const rows: unknown[] = [];
  for (const f of fieldsOf(schema as JsonSchema)) {
    for (const [, value] of [...wrongTypes(typeOf(f.schema)), ...outOfRange(f.schema)]) {
      // Values of kilobytes are the JSON route's business; an upload of them would only be too large.
      if (toJson(value).length < 3000) rows.push(setAt(row, f.path, value));
    }
  }
  if (type.includes('ndjson')) {
    const lines = rows.map((r) => toJson(r));
    lines.push(`{"idNumber": "${PII.idNumber}", `, toJson(row).replace(/^{/, '{"__proto__":{"admin":true},'), toJson({ ...row, favouriteColour: marked }), toJson({ ...row, wageMin: new RawJson('9007199254740993') }));
    cases.push({ label: 'an NDJSON upload of bad rows', payload: lines.join('\n'), contentType: type, report: true, statuses: [200] });
  } else {
    const keys = Object.keys(row);
    const cell = (v: unknown) => `"${(Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v)).replaceAll('"', '""')}"`;
    const lines = [keys.join(','), ...rows.map((r) => keys.map((k) => cell((r as Record<string, unknown>)[k])).join(','))];
    cases.push({ label: 'a CSV upload of bad rows', payload: lines.join('\r\n'), contentType: type, report: true, statuses: [200, 400] });
    cases.push({ label: 'a CSV upload that is not UTF-8', payload: Buffer.concat([Buffer.from(`${keys.join(',')}\n`), Buffer.from([0xed, 0xa0, 0x80, 0xff, 0x0a])]).toString('latin1'), contentType: type, statuses: [400], report: true });
  }
  return cases;
}

t.test('totals', async (t) => {
  if (!process.env.BAD_INPUT_SERVICE) t.ok(totals.routes > 20, `${totals.routes} write routes, ${totals.lists} list routes, ${totals.requests} bad requests`);
});
