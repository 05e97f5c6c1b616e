import { runServer } from '@reemploy/runtime';
import { matching } from './definition.ts';

await runServer(matching);
