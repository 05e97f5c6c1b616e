import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { activeSeekerSql } from '../src/matcher/inputs.ts';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/**
 * GET matches at a fixed rate over many seekers, as coordinators' screens would: latency
 * percentiles. The load comes from another process (load-client.ts), so the server's
 * event loop serves requests only.
 */
export async function measureOnDemand(app: FastifyInstance, pool: pg.Pool, authorization: string, rate: number, seconds: number) {
  const { rows } = await pool.query<{ seeker_id: string }>(`select seeker_id from seekers where ${activeSeekerSql()} order by md5(seeker_id::text) limit 2000`);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  // The first request builds the matcher; measure the steady state.
  const warm = await app.inject({ url: `/v1/job-seekers/${rows[0]!.seeker_id}/matches`, headers: { authorization } });
  if (warm.statusCode !== 200) throw new Error(`GET matches answered ${warm.statusCode}: ${warm.body}`);
  const settings = { url: address, authorization, rate, seconds, paths: rows.map((r) => `/v1/job-seekers/${r.seeker_id}/matches?limit=20`) };
  // CPU of this process while it serves the load: all threads (cpuUsage) and the event loop's busy time (the main thread).
  const mainBefore = mainThreadCpuMs();
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ['--import', 'tsx', CLIENT], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin!.end(JSON.stringify(settings));
  });
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  const elu = performance.eventLoopUtilization(eluBefore);
  type Percentiles = { p50: number; p90: number; p99: number; max: number };
  const result = JSON.parse(out) as { requests: number; non2xx: number; latency: Percentiles; measured: Percentiles };
  return {
    rate,
    seconds,
    requests: result.requests,
    non2xx: result.non2xx,
    cpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, result.requests)) * 100) / 100,
    mainThreadCpuMsPerRequest: mainBefore === null || mainAfter === null ? null : Math.round(((mainAfter - mainBefore) / Math.max(1, result.requests)) * 100) / 100,
    eventLoopBusyMsPerRequest: Math.round((elu.active / Math.max(1, result.requests)) * 100) / 100,
    // autocannon's percentiles, corrected for coordinated omission (see load-client.ts).
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    // The same requests' own latencies, uncorrected.
    measuredLatencyMs: result.measured,
  };
}

/** CPU time of the main thread alone (user + system), where /proc shows it (Linux); null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
