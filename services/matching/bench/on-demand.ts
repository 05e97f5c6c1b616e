import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { ACTIVE_SEEKER_SQL } from '../src/matcher/inputs.ts';

/** GET matches at a fixed rate over many seekers, as coordinators' screens would: latency percentiles. */
export async function measureOnDemand(app: FastifyInstance, pool: pg.Pool, authorization: string, rate: number, seconds: number) {
  const { rows } = await pool.query<{ seeker_id: string }>(`select seeker_id from seekers where ${ACTIVE_SEEKER_SQL} order by md5(seeker_id::text) limit 2000`);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  // The first request builds the matcher; measure the steady state.
  await app.inject({ url: `/v1/job-seekers/${rows[0]!.seeker_id}/matches`, headers: { authorization } });
  let i = 0;
  const result = await autocannon({
    url: address,
    connections: 20,
    overallRate: rate,
    duration: seconds,
    headers: { authorization },
    requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/job-seekers/${rows[i++ % rows.length]!.seeker_id}/matches?limit=20` }) }],
  });
  return {
    rate,
    seconds,
    requests: result.requests.total,
    non2xx: result.non2xx,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}
