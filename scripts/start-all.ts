/**
 * Starts the four services and their workers as child processes, prefixes
 * their logs, and stops them all on Ctrl-C (or when one of them dies).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isDevelopmentMode } from '@reemploy/config';
import { envOfServices } from '@reemploy/config/deployment';
import { mintDevToken } from '@reemploy/cli/config';
import { SEED_SCOPES, seedDemoCity } from './demo-seed.ts';

const services = [
  { name: 'registration', portVar: 'REGISTRATION_PORT', port: 3001 },
  { name: 'job-postings', portVar: 'JOB_POSTINGS_PORT', port: 3002 },
  { name: 'matching', portVar: 'MATCHING_PORT', port: 3003 },
  { name: 'assistance-bases', portVar: 'ASSISTANCE_BASES_PORT', port: 3004 },
];

const children: { label: string; child: ChildProcess }[] = [];
let stopping = false;

/** Each service with its own database role and PII key (`<SERVICE>_DATABASE_URL`, …; development roles by default). */
const envs = envOfServices(services.map((s) => s.name));

function start(label: string, file: string, env: NodeJS.ProcessEnv) {
  // A process group of its own: Ctrl-C (or a signal to this group) reaches this process alone, which then
  // asks each child once to close gracefully; a second signal would make a child exit at once.
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => process.stdout.write(`${label.padEnd(24)} ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${label} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push({ label, child });
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 35_000).unref();
        }),
    ),
  );
  console.log('all services stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// Should this process end some other way, its detached children must not outlive it.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

for (const s of services) {
  start(`${s.name}`, `services/${s.name}/src/server.ts`, envs[s.name]!);
  start(`${s.name}-worker`, `services/${s.name}/src/worker.ts`, envs[s.name]!);
}

const host = process.env.HOST ?? '127.0.0.1';
const ready = (url: string) => fetch(`${url}/ready`).then((r) => r.ok, () => false);
void (async () => {
  const urls = services.map((s) => ({ name: s.name, url: `http://${host}:${process.env[s.portVar] ?? s.port}` }));
  const deadline = Date.now() + 120_000;
  while (!stopping && Date.now() < deadline) {
    const states = await Promise.all(urls.map((u) => ready(u.url)));
    if (states.every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (stopping) return;
  await loadDemoCity(Object.fromEntries(urls.map((u) => [u.name, u.url])));
  if (stopping) return;
  console.log('\nreemploy is running. API docs:');
  for (const u of urls) console.log(`  ${u.name.padEnd(18)} ${u.url}/docs`);
  console.log('Ctrl-C stops everything.\n');
})();

/**
 * Empty services get a small demo city (DEMO_SEEKERS people, 1,000 by default; 0 for none),
 * only in development or test (its development token works nowhere else) and only when the
 * regions are Suzhou's, where the demo city lives.
 */
async function loadDemoCity(url: Record<string, string>) {
  const seekers = Number(process.env.DEMO_SEEKERS ?? 1000);
  if (!(seekers > 0) || !isDevelopmentMode(process.env) || !(process.env.REGION_PREFIX ?? '3205').startsWith('3205')) return;
  const say = (line: string) => console.log(`${'demo-city'.padEnd(24)} ${line}`);
  try {
    // A development token, which the services accept in development: they warn about its secret already.
    const token = mintDevToken({ sub: 'demo-city', scopes: SEED_SCOPES, regions: ['3205'], expiresIn: 900 }, process.env, () => undefined);
    const result = await seedDemoCity({
      baseUrls: { registration: url.registration!, jobPostings: url['job-postings']!, matching: url.matching!, assistanceBases: url['assistance-bases']! },
      token,
      seekers,
      log: say,
    });
    if ('skipped' in result) say(`not loaded: ${result.skipped}`);
  } catch (err) {
    say(`not loaded: ${(err as Error).message}`);
  }
}
