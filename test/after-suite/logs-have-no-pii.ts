/**
 * Runs after the whole suite (scripts/test.sh passes it to tap as `--after`):
 * reads every log line the suite's services wrote and finds no identity
 * number and no mobile number.
 *
 * A scan of nothing proves nothing, so it fails, saying why, when it has no
 * logs to read: TEST_LOG_DIR unset, the directory missing or without log
 * files, a service that wrote none, or fewer lines than the suite writes.
 * It is not attached to every tap run: a single test file writes too few.
 */
import t from 'tap';
import { scanLogDir } from './log-scan.ts';

t.test('the logs of the whole suite hold no identity number or phone', async (t) => {
  const scan = scanLogDir(process.env.TEST_LOG_DIR);
  for (const reason of scan.nothingToScan) t.fail(reason);
  if (scan.nothingToScan.length === 0) t.pass(`read ${scan.lines} log lines in ${scan.files} files`);
  t.same(scan.leaks, [], 'no personal information in the logs');
});
