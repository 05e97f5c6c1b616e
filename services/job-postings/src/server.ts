import { runServer } from '@reemploy/runtime';
import { jobPostings } from './definition.ts';

await runServer(jobPostings);
