import { runServer } from '@reemploy/runtime';
import { assistanceBases } from './definition.ts';

await runServer(assistanceBases);
