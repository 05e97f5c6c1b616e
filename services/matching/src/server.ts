import { buildApp, listen, openService } from '@reemploy/runtime';
import { matching } from './definition.ts';

// The service's stores, checked; its app (app.ts) on them, listening on MATCHING_PORT.
const ctx = await openService(matching);
await listen(await buildApp(matching, ctx), ctx, ctx.env.MATCHING_PORT);
