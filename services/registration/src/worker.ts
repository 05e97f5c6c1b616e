import { runWorker } from '@reemploy/runtime';
import { registration } from './definition.ts';

await runWorker(registration);
