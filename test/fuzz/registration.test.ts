// The schema-driven fuzzer (test/support/fuzz.ts) on registration, the service with most write routes.
import t from 'tap';
import { fuzzServices } from '../support/fuzz.ts';

// 14,000 requests and more: about a minute when the machine is quick, minutes in its slow hours.
t.setTimeout(300_000);
fuzzServices(['registration'], { minRoutes: 14, minAccepted: 0.05 });
