/**
 * The load generator of the on-demand measurement, in a process of its own so that it
 * does not share the measured server's event loop. Reads its settings as JSON on stdin
 * and prints autocannon's result as JSON.
 */
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';

const { url, authorization, paths, rate, seconds } = JSON.parse(await text(process.stdin)) as { url: string; authorization: string; paths: string[]; rate: number; seconds: number };
let i = 0;
const result = await autocannon({
  url,
  connections: 20,
  overallRate: rate,
  duration: seconds,
  headers: { authorization },
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
});
process.stdout.write(JSON.stringify({ requests: result.requests.total, non2xx: result.non2xx, latency: result.latency }));
