import t from 'tap';
import { randomUUID } from 'node:crypto';
import { applyEvent } from '@reemploy/messaging';
import type { FastifyInstance } from 'fastify';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';
import { basePayload, vacancySnapshot } from '../../services/assistance-bases/test/support.ts';
import { eventHandlers as aidBaseEventHandlers } from '../../services/assistance-bases/src/events/handlers.ts';
import { employer, vacancy } from '../../services/job-postings/test/fixtures.ts';
import { seekerPayload } from '../helper.ts';

/**
 * Optimistic concurrency on every conditional write of every service. The
 * routes come from the services' own catalogs (and their OpenAPI documents),
 * so a new PATCH or PUT without a case here fails this test.
 */

interface Target {
  /** The concrete address to write to. */
  url: string;
  /** Where the resource is read, with its ETag. */
  read: string;
  body: unknown;
}

interface Case {
  prepare(): Promise<Target>;
  /** State changes (close) check If-Match when sent; without it they go ahead. */
  optional?: boolean;
}

// Routes that write without a precondition, and why.
const UNCONDITIONAL: Record<string, string> = {
  'DELETE /v1/webhooks/subscriptions/:id': 'a subscription has no versions; deleting twice is the same as once',
};

const PROBLEM = /^application\/problem\+json/;

t.test('every PATCH, PUT and other conditional write: 428 without If-Match, 412 when stale (nothing changed), success with a new ETag', async (t) => {
  const registration = await buildRegistration(t);
  const jobPostings = await buildJobPostings(t);
  const matching = await buildMatching(t);
  const aidBases = await buildAssistanceBases(t);
  const services = [registration, jobPostings, matching, aidBases];

  // One token per service with every scope it declares.
  const headersOf = new Map<FastifyInstance, Record<string, string>>();
  for (const svc of services) {
    const scopes = [...new Set(svc.app.routeCatalog.map((r) => r.scope).filter((s): s is string => !!s)), 'pii:read'];
    headersOf.set(svc.app, { authorization: `Bearer ${svc.token(scopes, ['3205'])}` });
  }
  const call = async (app: FastifyInstance, method: string, url: string, payload?: unknown, extra: Record<string, string> = {}) =>
    app.inject({ method: method as 'GET', url, headers: { ...headersOf.get(app), ...extra }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const created = async (app: FastifyInstance, url: string, payload: unknown): Promise<string> => {
    const res = await call(app, 'POST', url, payload);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json().id;
  };

  const cases: Record<string, { app: FastifyInstance } & Case> = {
    'PATCH /v1/regions/:code': {
      app: registration.app,
      prepare: async () => ({ url: '/v1/regions/320508024043', read: '/v1/regions/320508024043', body: { communityType: 'town' } }),
    },
    'PATCH /v1/households/:id': {
      app: registration.app,
      prepare: async () => {
        const id = await created(registration.app, '/v1/households', { communityCode: '320508024043' });
        return { url: `/v1/households/${id}`, read: `/v1/households/${id}`, body: { minorChildren: 2 } };
      },
    },
    'PATCH /v1/job-seekers/:id': {
      app: registration.app,
      prepare: async () => {
        const id = await created(registration.app, '/v1/job-seekers', seekerPayload(41));
        return { url: `/v1/job-seekers/${id}`, read: `/v1/job-seekers/${id}`, body: { phone: '13912345678', skills: ['S001-01'] } };
      },
    },
    'PUT /v1/assessment-standards/:type': {
      app: registration.app,
      prepare: async () => {
        const current = (await call(registration.app, 'GET', '/v1/assessment-standards/town')).json();
        return { url: '/v1/assessment-standards/town', read: '/v1/assessment-standards/town', body: { targets: { ...current.targets, 'reemployment-rate': 61 }, note: 'if-match test' } };
      },
    },
    'PATCH /v1/employers/:id': {
      app: jobPostings.app,
      prepare: async () => {
        const id = await created(jobPostings.app, '/v1/employers', employer());
        return { url: `/v1/employers/${id}`, read: `/v1/employers/${id}`, body: { address: '苏州市姑苏区人民路 1 号', contactPhone: '13812345678' } };
      },
    },
    'PATCH /v1/vacancies/:id': {
      app: jobPostings.app,
      prepare: async () => {
        const id = await created(jobPostings.app, '/v1/vacancies', vacancy(await created(jobPostings.app, '/v1/employers', employer())));
        return { url: `/v1/vacancies/${id}`, read: `/v1/vacancies/${id}`, body: { headcount: 5, wageMax: 4800 } };
      },
    },
    'POST /v1/vacancies/:id/close': {
      app: jobPostings.app,
      optional: true,
      prepare: async () => {
        const id = await created(jobPostings.app, '/v1/vacancies', vacancy(await created(jobPostings.app, '/v1/employers', employer())));
        return { url: `/v1/vacancies/${id}/close`, read: `/v1/vacancies/${id}`, body: { reason: 'filled-elsewhere' } };
      },
    },
    'POST /v1/vacancies/:id/merge': {
      app: jobPostings.app,
      optional: true,
      prepare: async () => {
        const employerId = await created(jobPostings.app, '/v1/employers', employer());
        const keep = await created(jobPostings.app, '/v1/vacancies', vacancy(employerId, { title: '商场保安员' }));
        const duplicateId = await created(jobPostings.app, '/v1/vacancies', vacancy(employerId, { title: '商场保安员(招聘会)', source: 'job-fair' }));
        return { url: `/v1/vacancies/${keep}/merge`, read: `/v1/vacancies/${keep}`, body: { duplicateId } };
      },
    },
    'PATCH /v1/aid-bases/:id': {
      app: aidBases.app,
      prepare: async () => {
        const id = await created(aidBases.app, '/v1/aid-bases', basePayload({ name: '观前商场' }));
        return { url: `/v1/aid-bases/${id}`, read: `/v1/aid-bases/${id}`, body: { sectors: ['零售'] } };
      },
    },
    'PATCH /v1/aid-bases/:id/reserved-posts/:postId': {
      app: aidBases.app,
      prepare: async () => {
        const { base, post } = await reservedPost();
        return { url: `/v1/aid-bases/${base}/reserved-posts/${post}`, read: `/v1/aid-bases/${base}/reserved-posts/${post}`, body: { quota: 1 } };
      },
    },
    'POST /v1/aid-bases/:id/reserved-posts/:postId/withdraw': {
      app: aidBases.app,
      prepare: async () => {
        const { base, post } = await reservedPost();
        return { url: `/v1/aid-bases/${base}/reserved-posts/${post}/withdraw`, read: `/v1/aid-bases/${base}/reserved-posts/${post}`, body: { reason: 'if-match test' } };
      },
    },
  };
  let seq = 0;
  async function reservedPost() {
    // The vacancy reaches assistance-bases exactly as its consumer applies job-postings' event.
    const v = vacancySnapshot({ headcount: 3, headcountLeft: 3 });
    const envelope = { id: randomUUID(), type: 'vacancy.created', version: 1, producer: 'job-postings', seq: ++seq, subject: v.vacancyId, occurredAt: new Date().toISOString(), payload: v } as const;
    await applyEvent(aidBases.ctx.db, aidBaseEventHandlers(), envelope);
    const base = await created(aidBases.app, '/v1/aid-bases', basePayload({ name: `基地 ${v.vacancyId.slice(0, 4)}` }));
    const post = await created(aidBases.app, `/v1/aid-bases/${base}/reserved-posts`, { vacancyId: v.vacancyId, reservedFor: ['OLDER_4050'], quota: 2 });
    return { base, post };
  }

  // The conditional writes the services declare: every PATCH and PUT, and
  // every other write whose documentation says it takes If-Match.
  const declared = new Map<string, FastifyInstance>();
  for (const svc of services) {
    const doc = (await svc.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { summary?: string }>> };
    // The API under /v1; /admin is bull-board's operator dashboard (admin scope, queue commands, no resources).
    for (const route of svc.app.routeCatalog.filter((r) => r.url.startsWith('/v1/'))) {
      const key = `${route.method} ${route.url}`;
      if (route.method === 'PATCH' || route.method === 'PUT' || route.method === 'DELETE') declared.set(key, svc.app);
      const openapiPath = route.url.replace(/:(\w+)/g, '{$1}');
      if (route.method === 'POST' && /if-match/i.test(doc.paths[openapiPath]?.post?.summary ?? '')) declared.set(key, svc.app);
    }
  }
  for (const key of declared.keys()) {
    if (UNCONDITIONAL[key]) t.pass(`${key} writes without a precondition: ${UNCONDITIONAL[key]}`);
    else t.ok(cases[key], `${key} has a case here`);
  }
  t.same(Object.keys(cases).filter((k) => !declared.has(k)), [], 'every case is a route the services declare');

  for (const [key, c] of Object.entries(cases)) {
    await t.test(key, async (t) => {
      const method = key.split(' ')[0]!;
      const target = await c.prepare();
      const read = async () => {
        const res = await call(c.app, 'GET', target.read);
        t.equal(res.statusCode, 200, `read ${target.read}`);
        return { etag: res.headers.etag as string, body: res.body };
      };
      const before = await read();
      t.ok(before.etag, 'the read carries an ETag');

      if (c.optional) {
        const other = await c.prepare();
        const without = await call(c.app, method, other.url, other.body);
        t.equal(without.statusCode, 200, 'a state change goes ahead without If-Match (checked when sent)');
      } else {
        const missing = await call(c.app, method, target.url, target.body);
        t.equal(missing.statusCode, 428, 'missing If-Match');
        t.match(missing.headers['content-type'], PROBLEM);
        t.equal(missing.json().code, 'precondition-required');
        t.same(await read(), before, 'nothing changed');
      }

      const done = await call(c.app, method, target.url, target.body, { 'if-match': before.etag });
      t.equal(done.statusCode, 200, `the current ETag: ${done.body.slice(0, 200)}`);
      t.ok(done.headers.etag, 'the answer carries an ETag');
      t.not(done.headers.etag, before.etag, 'a new ETag');
      const after = await read();
      t.equal(after.etag, done.headers.etag, 'the new ETag is the one a read gives');

      const stale = await call(c.app, method, target.url, target.body, { 'if-match': before.etag });
      t.equal(stale.statusCode, 412, 'a stale ETag');
      t.match(stale.headers['content-type'], PROBLEM);
      t.equal(stale.json().code, 'precondition-failed');
      t.same(await read(), after, 'nothing changed');
    });
  }
});
