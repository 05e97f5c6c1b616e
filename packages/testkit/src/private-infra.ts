/**
 * Private, real PostgreSQL and Redis servers for fault tests: each test kills,
 * hangs or restarts its own server for real, without disturbing the shared
 * ones the rest of the suite uses. Loopback only; removed when the test ends.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@reemploy/runtime/testing';

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port and data directory (its append-only file). */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-redis-'));
  let proc: ChildProcess | null = null;
  const exited = () => new Promise<void>((resolve) => (proc && proc.exitCode === null && proc.signalCode === null ? proc.once('exit', () => resolve()) : resolve()));
  const start = async () => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      const done = exited();
      proc?.kill('SIGKILL');
      await done;
    },
    start,
    pause: () => void proc?.kill('SIGSTOP'),
    resume: () => void proc?.kill('SIGCONT'),
    async stop() {
      proc?.kill('SIGCONT');
      const done = exited();
      proc?.kill('SIGKILL');
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  url: string;
  /** Stops the server (fast shutdown), as a restart's first half. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

function pgBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort().reverse();
  return join('/usr/lib/postgresql', versions[0]!, 'bin', name);
}

/** A throwaway cluster (initdb) owned by the postgres system user, trust auth on loopback. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync(process.getuid?.() === 0 ? 'runuser' : cmd, process.getuid?.() === 0 ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'ignore' });
  asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const pgctl = (...args: string[]) => asPostgres(pgBin('pg_ctl'), ['-D', data, '-w', '-l', join(dir, 'log'), ...args]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const startServer = async () => {
    pgctl('-o', opts, 'start');
    await waitForPort(port);
  };
  await startServer();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stopServer: async () => {
      pgctl('-m', 'fast', 'stop');
    },
    startServer,
    async stop() {
      try {
        pgctl('-m', 'immediate', 'stop');
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
