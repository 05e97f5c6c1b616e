/**
 * The PII log scan's reading of a log directory, apart from tap so that its
 * own test can call it: what it found, and why a scan would prove nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Bounded by anything but letters, digits and dots: a run inside a UUID or a decimal is no identity number.
const ID_NUMBER = /(?<![0-9A-Za-z.])\d{17}[\dXx](?![0-9A-Za-z])/;
const MOBILE = /(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])/;

/** Every service the suite builds; each test service writes `<service>-<pid>.log`. */
export const LOGGING_SERVICES = ['registration', 'job-postings', 'matching', 'assistance-bases'];
/** Fewer lines than this and the services did not log what the suite did (even a partial run writes thousands). */
export const MIN_LOG_LINES = 1000;

export interface LogScan {
  /** Why the directory cannot show the suite's logs are clean; empty when it can. */
  nothingToScan: string[];
  files: number;
  lines: number;
  /** The first lines holding an identity number or a mobile number, with their file. */
  leaks: string[];
}

export function scanLogDir(dir: string | undefined): LogScan {
  const scan: LogScan = { nothingToScan: [], files: 0, lines: 0, leaks: [] };
  if (!dir) {
    scan.nothingToScan.push('TEST_LOG_DIR is not set: there are no logs to scan. Run the whole suite with `bash scripts/test.sh`, which captures them.');
    return scan;
  }
  if (!existsSync(dir)) {
    scan.nothingToScan.push(`TEST_LOG_DIR ${dir} does not exist: the services wrote no logs to scan.`);
    return scan;
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  scan.files = files.length;
  if (files.length === 0) {
    scan.nothingToScan.push(`TEST_LOG_DIR ${dir} holds no .log file: the services wrote no logs to scan.`);
    return scan;
  }
  for (const service of LOGGING_SERVICES) {
    if (!files.some((f) => f.startsWith(`${service}-`))) scan.nothingToScan.push(`${service} wrote no log in ${dir}.`);
  }
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      scan.lines++;
      if ((ID_NUMBER.test(line) || MOBILE.test(line)) && scan.leaks.length < 5) scan.leaks.push(`${file}: ${line.slice(0, 300)}`);
    }
  }
  if (scan.lines < MIN_LOG_LINES) scan.nothingToScan.push(`${dir} holds ${scan.lines} log lines in ${files.length} files, fewer than the ${MIN_LOG_LINES} the suite writes.`);
  return scan;
}
