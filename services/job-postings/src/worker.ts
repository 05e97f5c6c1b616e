import { runWorker } from '@reemploy/runtime';
import { jobPostings } from './definition.ts';

await runWorker(jobPostings);
