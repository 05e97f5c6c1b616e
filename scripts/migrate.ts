/** Applies every service's migrations to DATABASE_URL (each in its own schema). */
import { closeContext, createContext, prepareService } from '@reemploy/runtime';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';

for (const def of [registration, jobPostings, matching, assistanceBases] as const) {
  const ctx = createContext(def as never, def.parseEnv(process.env));
  await prepareService(ctx, def as never);
  await closeContext(ctx);
  console.log(`migrated ${def.name}`);
}
