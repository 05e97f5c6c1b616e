import { runServer } from '@reemploy/runtime';
import { registration } from './definition.ts';

await runServer(registration);
