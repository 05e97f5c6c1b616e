import { availableParallelism } from 'node:os';
import type { Secrets } from '@reemploy/config';
import type { RetirementScheme } from '@reemploy/domain';
import { CpuPool } from '@reemploy/runtime/cpu-pool';
import type { RawRow } from './parse.ts';
import type preparingThread from './prepare-worker.ts';
import type { PreparedResult } from './rows.ts';

export type { PreparedResult };

export interface PrepareWorkerData {
  keyId: string;
  key: Uint8Array;
  hashKey?: Uint8Array;
}

/** What every batch of an import is prepared under: the caller's regions, the known communities, the reference time, the default scheme for women. */
export interface ImportScope {
  regions: string[];
  communities: string[];
  now: string;
  femaleRetirementScheme: RetirementScheme;
}

export type PrepareTask = { scope: ImportScope; rows: RawRow[] };

/** Young-generation size of a preparing worker (semi-spaces of up to 32 MB), measured better than the default and than 48 MB. */
const YOUNG_GENERATION_MB = 96;

/**
 * Worker threads that prepare import rows, started by the first import and
 * kept until close(); a thread that dies fails the batches it held and is
 * replaced. Idle, they never hold the process open.
 */
export class PreparerPool {
  readonly #pool: CpuPool<typeof preparingThread>;

  constructor(secrets: Pick<Secrets, 'piiKeyId' | 'piiKey' | 'piiHashKey'>, size = Math.max(1, Math.min(4, availableParallelism()))) {
    const data: PrepareWorkerData = { keyId: secrets.piiKeyId, key: new Uint8Array(secrets.piiKey), ...(secrets.piiHashKey ? { hashKey: new Uint8Array(secrets.piiHashKey) } : {}) };
    // A young generation larger than the default: preparing allocates much short-lived garbage
    // (parsed rows, crypto objects), and fewer scavenges cut the workers' CPU by a fifth or so.
    this.#pool = new CpuPool<typeof preparingThread>('./prepare-worker.ts', import.meta.url, { data, minThreads: size, maxThreads: size, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  }

  /** Opens an import: its batches are prepared under its caller's regions, known communities, reference time and default scheme for women. */
  begin(regions: string[], communities: string[], now: Date, femaleRetirementScheme: RetirementScheme) {
    const scope: ImportScope = { regions, communities, now: now.toISOString(), femaleRetirementScheme };
    this.#pool.start();
    return {
      /** Prepares rows on the next free worker; results come back in row order. */
      prepare: (rows: RawRow[]): Promise<PreparedResult[]> =>
        this.#pool.run({ scope, rows }).catch((err: Error) => {
          throw new Error(`import preparation failed: ${err.message}`);
        }),
    };
  }

  close() {
    return this.#pool.close();
  }
}
