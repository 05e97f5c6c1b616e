import { openService, runWorkers } from '@reemploy/runtime';
import { matching } from './definition.ts';

// The service's stores, checked; its outbox relay, event handlers and workers (definition.ts), and no HTTP but the worker's metrics.
const ctx = await openService(matching);
await runWorkers(matching, ctx);
