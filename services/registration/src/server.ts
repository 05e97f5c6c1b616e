import { buildApp, listen, openService } from '@reemploy/runtime';
import { registration } from './definition.ts';

// The service's stores, checked; its app (app.ts) on them, listening on REGISTRATION_PORT.
const ctx = await openService(registration);
await listen(await buildApp(registration, ctx), ctx, ctx.env.REGISTRATION_PORT);
