import { runWorker } from '@reemploy/runtime';
import { assistanceBases } from './definition.ts';

await runWorker(assistanceBases);
