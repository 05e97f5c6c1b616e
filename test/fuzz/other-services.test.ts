// The schema-driven fuzzer (test/support/fuzz.ts) on job-postings, matching and assistance-bases.
import t from 'tap';
import { fuzzServices } from '../support/fuzz.ts';

// 21,000 requests and more: about a minute when the machine is quick, minutes in its slow hours.
t.setTimeout(300_000);
fuzzServices(['job-postings', 'matching', 'assistance-bases'], 21);
