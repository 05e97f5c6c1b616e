import { openService, runWorkers } from '@reemploy/runtime';
import { registration } from './definition.ts';

// The service's stores, checked; its outbox relay, event handlers and workers (definition.ts), and no HTTP but the worker's metrics.
const ctx = await openService(registration);
await runWorkers(registration, ctx);
