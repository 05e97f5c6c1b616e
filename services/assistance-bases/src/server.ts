import { buildApp, listen, openService } from '@reemploy/runtime';
import { assistanceBases } from './definition.ts';

// The service's stores, checked; its app (app.ts) on them, listening on ASSISTANCE_BASES_PORT.
const ctx = await openService(assistanceBases);
await listen(await buildApp(assistanceBases, ctx), ctx, ctx.env.ASSISTANCE_BASES_PORT);
