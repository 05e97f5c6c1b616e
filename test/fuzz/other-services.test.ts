// The schema-driven fuzzer (test/support/fuzz.ts) on job-postings, matching and assistance-bases.
import t from 'tap';
import { fuzzServices } from '../support/fuzz.ts';

// 21,000 requests and more: about a minute when the machine is quick, minutes in its slow hours.
t.setTimeout(300_000);
// Fewer of their requests get through than registration's (4% at the default seed, against 9%):
// besides the 400s, many are 404, 409 or 429.
fuzzServices(['job-postings', 'matching', 'assistance-bases'], { minRoutes: 21, minAccepted: 0.03 });
