/**
 * The load generator of the on-demand measurement, in a process of its own so that it
 * does not share the measured server's event loop. Reads its settings as JSON on stdin
 * and prints autocannon's result as JSON, with the percentiles of the requests' own
 * latencies beside autocannon's.
 *
 * Why both: with a request rate, autocannon corrects for coordinated omission by
 * recording, for each response slower than `1 / rate` (per connection, taken as
 * milliseconds: here 1 ms), extra samples at every millisecond below it, so a 60 ms answer
 * counts as 60 samples. Its connections also send each second's quota back to back as
 * soon as the second starts, so every second begins with all of them waiting at once.
 * `latency` is autocannon's corrected figure; `measured` holds the latencies of the
 * requests that were actually sent.
 */
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';

const { url, authorization, paths, rate, seconds } = JSON.parse(await text(process.stdin)) as { url: string; authorization: string; paths: string[]; rate: number; seconds: number };
let i = 0;
const samples: number[] = [];
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    {
      url,
      connections: 20,
      overallRate: rate,
      duration: seconds,
      headers: { authorization },
      requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    },
    (err, res) => (err ? reject(err) : resolve(res)),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => samples.push(responseTime));
});
samples.sort((a, b) => a - b);
const at = (q: number) => (samples.length ? Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!) : 0);
const measured = { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
process.stdout.write(JSON.stringify({ requests: result.requests.total, non2xx: result.non2xx, latency: result.latency, measured }));
