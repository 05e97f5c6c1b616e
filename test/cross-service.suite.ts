// The cross-service tests in one tap process (see test/support/suite.ts).
import { runSuite } from './support/suite.ts';

await runSuite(import.meta.url);
