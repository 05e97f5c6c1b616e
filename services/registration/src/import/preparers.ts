import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Secrets } from '@reemploy/config';
import type { RetirementScheme } from '@reemploy/domain';
import { startThread } from '@reemploy/runtime/threads';
import type { RawRow } from './parse.ts';
import type { PreparedResult } from './rows.ts';

export type { PreparedResult };

export interface PrepareWorkerData {
  keyId: string;
  key: Uint8Array;
  hashKey?: Uint8Array;
}

export type PrepareMessage =
  | { kind: 'begin'; importId: string; regions: string[]; communities: string[]; now: string; femaleRetirementScheme: RetirementScheme }
  | { kind: 'rows'; importId: string; batch: number; rows: RawRow[] }
  | { kind: 'end'; importId: string };


export interface PrepareReply {
  importId: string;
  batch: number;
  results?: PreparedResult[];
  error?: string;
}

/** Young-generation size of a preparing worker (semi-spaces of up to 32 MB), measured better than the default and than 48 MB. */
const YOUNG_GENERATION_MB = 96;

interface Waiting {
  resolve(results: PreparedResult[]): void;
  reject(err: Error): void;
}

/**
 * Worker threads that prepare import rows. Started on the first import and
 * kept (unreferenced: they never hold the process open) until close().
 */
export class PreparerPool {
  readonly #data: PrepareWorkerData;
  readonly #size: number;
  #workers: Worker[] = [];
  readonly #waiting = new Map<string, { worker: Worker } & Waiting>();
  #next = 0;
  #batch = 0;

  constructor(secrets: Pick<Secrets, 'piiKeyId' | 'piiKey' | 'piiHashKey'>, size = Math.max(1, Math.min(4, availableParallelism()))) {
    this.#data = { keyId: secrets.piiKeyId, key: new Uint8Array(secrets.piiKey), ...(secrets.piiHashKey ? { hashKey: new Uint8Array(secrets.piiHashKey) } : {}) };
    this.#size = size;
  }

  #start(): Worker {
    // A young generation larger than the default: preparing allocates much short-lived garbage
    // (parsed rows, crypto objects), and fewer scavenges cut the workers' CPU by a fifth or so.
    const worker = startThread('./prepare-worker.ts', import.meta.url, { workerData: this.#data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    worker.unref();
    worker.on('message', (reply: PrepareReply) => {
      const key = `${reply.importId}:${reply.batch}`;
      const waiting = this.#waiting.get(key);
      if (!waiting) return;
      this.#waiting.delete(key);
      if (reply.results) waiting.resolve(reply.results);
      else waiting.reject(new Error(`import preparation failed: ${reply.error}`));
    });
    const fail = (err: Error) => {
      this.#workers = this.#workers.filter((w) => w !== worker);
      for (const [key, waiting] of this.#waiting) {
        if (waiting.worker !== worker) continue;
        this.#waiting.delete(key);
        waiting.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`import preparation worker exited with code ${code}`)));
    return worker;
  }

  #workersNow(): Worker[] {
    while (this.#workers.length < this.#size) this.#workers.push(this.#start());
    return this.#workers;
  }

  /** Opens an import: every worker learns its caller regions, known communities, reference time and the default scheme for women. */
  begin(importId: string, regions: string[], communities: string[], now: Date, femaleRetirementScheme: RetirementScheme) {
    const workers = this.#workersNow();
    const begin: PrepareMessage = { kind: 'begin', importId, regions, communities, now: now.toISOString(), femaleRetirementScheme };
    for (const w of workers) w.postMessage(begin);
    return {
      /** Prepares rows on the next worker (round robin); results come back in row order. */
      prepare: (rows: RawRow[]): Promise<PreparedResult[]> => {
        const list = this.#workersNow();
        const worker = list[this.#next++ % list.length]!;
        // A worker started after begin() (the previous one failed) is told about the import first.
        if (!workers.includes(worker)) {
          worker.postMessage(begin);
          workers.push(worker);
        }
        const batch = this.#batch++;
        return new Promise((resolve, reject) => {
          this.#waiting.set(`${importId}:${batch}`, { worker, resolve, reject });
          worker.postMessage({ kind: 'rows', importId, batch, rows } satisfies PrepareMessage);
        });
      },
      end: () => {
        for (const w of this.#workers) w.postMessage({ kind: 'end', importId } satisfies PrepareMessage);
      },
    };
  }

  async close() {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
