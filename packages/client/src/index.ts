import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths as RegistrationPaths } from './generated/registration.ts';
import type { paths as JobPostingsPaths } from './generated/job-postings.ts';
import type { paths as MatchingPaths } from './generated/matching.ts';
import type { paths as AssistanceBasesPaths } from './generated/assistance-bases.ts';

export type { RegistrationPaths, JobPostingsPaths, MatchingPaths, AssistanceBasesPaths };

export interface ReemployClientOptions {
  /** Base URL of each service, e.g. http://127.0.0.1:3001 for registration. */
  baseUrls: { registration: string; jobPostings: string; matching: string; assistanceBases: string };
  /** A bearer token, or a function returning a fresh one. */
  token: string | (() => string | Promise<string>);
  fetch?: typeof globalThis.fetch;
}

export interface ReemployClient {
  registration: Client<RegistrationPaths>;
  jobPostings: Client<JobPostingsPaths>;
  matching: Client<MatchingPaths>;
  assistanceBases: Client<AssistanceBasesPaths>;
}

/** One typed client per service, all sending the caller's bearer token. */
export function createReemployClient(options: ReemployClientOptions): ReemployClient {
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = typeof options.token === 'function' ? await options.token() : options.token;
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
  const make = <P extends object>(baseUrl: string) => {
    const client = createClient<P>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    client.use(auth);
    return client;
  };
  return {
    registration: make<RegistrationPaths>(options.baseUrls.registration),
    jobPostings: make<JobPostingsPaths>(options.baseUrls.jobPostings),
    matching: make<MatchingPaths>(options.baseUrls.matching),
    assistanceBases: make<AssistanceBasesPaths>(options.baseUrls.assistanceBases),
  };
}
