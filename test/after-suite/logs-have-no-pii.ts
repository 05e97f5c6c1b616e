/**
 * Runs after every other test file (tap's `after`): reads every log line the
 * suite's services wrote and finds no identity number and no mobile number.
 */
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Bounded by anything but letters, digits and dots: a run inside a UUID or a decimal is no identity number.
const ID_NUMBER = /(?<![0-9A-Za-z.])\d{17}[\dXx](?![0-9A-Za-z])/;
const MOBILE = /(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])/;

const dir = process.env.TEST_LOG_DIR;
if (!dir || !existsSync(dir)) {
  t.pass('no TEST_LOG_DIR: the suite ran without captured logs (run it through scripts/test.sh)');
} else {
  t.test('the logs of the whole suite hold no identity number or phone', async (t) => {
    let lines = 0;
    const leaks: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.log'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        lines++;
        if (ID_NUMBER.test(line) || MOBILE.test(line)) leaks.push(`${file}: ${line.slice(0, 300)}`);
      }
    }
    t.ok(lines > 100, `read ${lines} log lines`);
    t.same(leaks.slice(0, 5), [], 'no personal information in the logs');
  });
}
