// Assistance-bases' tests in one tap process (see test/support/suite.ts).
import { runSuite } from '../../../test/support/suite.ts';

await runSuite(import.meta.url);
