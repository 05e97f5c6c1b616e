import { runWorker } from '@reemploy/runtime';
import { matching } from './definition.ts';

await runWorker(matching);
