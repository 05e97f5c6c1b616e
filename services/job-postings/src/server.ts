import { buildApp, listen, openService } from '@reemploy/runtime';
import { jobPostings } from './definition.ts';

// The service's stores, checked; its app (app.ts) on them, listening on JOB_POSTINGS_PORT.
const ctx = await openService(jobPostings);
await listen(await buildApp(jobPostings, ctx), ctx, ctx.env.JOB_POSTINGS_PORT);
