/**
 * A worker thread that prepares import rows (parse, validate, hash, encrypt,
 * derive) while the main thread streams the upload and Postgres stores the
 * previous chunk. It holds the PII keys it was started with and nothing else.
 */
import { cityDate } from '@reemploy/domain';
import { createPiiCipher } from '@reemploy/pii';
import { prepareBatch } from './rows.ts';
import type { PrepareTask, PrepareWorkerData } from './preparers.ts';

export default function preparingThread(data: PrepareWorkerData) {
  const pii = createPiiCipher({ keyId: data.keyId, key: Buffer.from(data.key), oldKeys: {}, ...(data.hashKey ? { hashKey: Buffer.from(data.hashKey) } : {}) });
  return ({ scope, rows }: PrepareTask) => {
    const now = new Date(scope.now);
    return prepareBatch(rows, { caller: { regions: scope.regions }, pii, communities: new Set(scope.communities), now, today: cityDate(now), femaleRetirementScheme: scope.femaleRetirementScheme });
  };
}
