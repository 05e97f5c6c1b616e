/**
 * A worker thread that prepares import rows (parse, validate, hash, encrypt,
 * derive) while the main thread streams the upload and Postgres stores the
 * previous chunk. It holds the PII keys it was started with and nothing else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { cityDate } from '@reemploy/domain';
import { createPiiCipher } from '@reemploy/pii';
import { prepareBatch, type RowContext } from './rows.ts';
import type { PrepareMessage, PrepareReply, PrepareWorkerData } from './preparers.ts';

const data = workerData as PrepareWorkerData;
const pii = createPiiCipher({ keyId: data.keyId, key: Buffer.from(data.key), oldKeys: {}, ...(data.hashKey ? { hashKey: Buffer.from(data.hashKey) } : {}) });
const imports = new Map<string, RowContext>();

parentPort!.on('message', (m: PrepareMessage) => {
  if (m.kind === 'begin') {
    const now = new Date(m.now);
    imports.set(m.importId, { caller: { regions: m.regions }, pii, communities: new Set(m.communities), now, today: cityDate(now), femaleRetirementScheme: m.femaleRetirementScheme });
  } else if (m.kind === 'end') {
    imports.delete(m.importId);
  } else {
    const c = imports.get(m.importId);
    let reply: PrepareReply;
    try {
      if (!c) throw new Error('unknown import');
      reply = { importId: m.importId, batch: m.batch, results: prepareBatch(m.rows, c) };
    } catch (err) {
      reply = { importId: m.importId, batch: m.batch, error: (err as Error).message };
    }
    parentPort!.postMessage(reply);
  }
});
