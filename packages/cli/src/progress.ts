import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, detail?: string): void;
  stop(summary?: string): void;
}

/**
 * A bar on a terminal; plain lines (at most one every `everyMs`) when the
 * output is a pipe or a file, so logs stay readable.
 */
export function createProgress(out: Writable & { isTTY?: boolean } = process.stdout, options: { tty?: boolean; everyMs?: number } = {}): Progress {
  const tty = options.tty ?? out.isTTY === true;
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { stream: out as NodeJS.WritableStream, format: '{label} [{bar}] {percentage}% | {value}/{total} | {detail}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    return {
      start: (total, label) => bar.start(total, 0, { label, detail: '' }),
      update: (done, detail = '') => bar.update(done, { detail }),
      stop: (summary) => {
        bar.stop();
        if (summary) out.write(`${summary}\n`);
      },
    };
  }
  const everyMs = options.everyMs ?? 1000;
  let label = '';
  let total = 0;
  let last = 0;
  let lastDone = -1;
  return {
    start(t, l) {
      total = t;
      label = l;
      out.write(`${label}: 0/${total}\n`);
    },
    update(done, detail) {
      const now = Date.now();
      if ((now - last < everyMs && done < total) || done === lastDone) return;
      last = now;
      lastDone = done;
      out.write(`${label}: ${done}/${total}${detail ? ` (${detail})` : ''}\n`);
    },
    stop(summary) {
      if (summary) out.write(`${summary}\n`);
    },
  };
}
