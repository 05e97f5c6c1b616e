import t from 'tap';
import { PartitionWriter, readPartition, type StagedSeeker } from '../src/runs/staging.ts';
import { build } from './helper.ts';

t.test('a staged partition reads back exactly as written, large numbers and empty lists included', async (t) => {
  const writer = new PartitionWriter();
  const written: { s: StagedSeeker; nos: number[]; scores: number[] }[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let k = 0; k < 300; k++) {
    const n = k % 17 === 0 ? 0 : next() % 70;
    const s: StagedSeeker = { id: crypto.randomUUID(), communityCode: `3205${String(next()).padStart(8, '0').slice(0, 8)}`, tier: k % 4, age: 16 + (k % 50), education: k % 7, mask: next() % 256 };
    // Vacancy numbers up to 2^32 - 1, scores in millionths from 0 to 1.
    const nos = Array.from({ length: n }, (_, i) => (i === 0 ? 2 ** 32 - 1 : next() * 2 + (i % 2)));
    const scores = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : Math.round((next() % 1_000_001)) / 1e6));
    writer.add(s, n, (i) => nos[i]!, Float64Array.from(scores));
    written.push({ s, nos, scores });
  }
  const buf = writer.finish();
  const total = written.reduce((a, w) => a + w.nos.length, 0);
  const vacancyNo = new Uint32Array(total);
  const score = new Float64Array(total);
  const read: { s: StagedSeeker; at: number; n: number }[] = [];
  let at = 0;
  const count = readPartition(buf, (s, n) => {
    read.push({ s, at, n });
    at += n;
    return at - n;
  }, vacancyNo, score);
  t.equal(count, total);
  t.same(read.map((r) => r.s), written.map((w) => w.s));
  t.same(read.map((r) => Array.from(vacancyNo.subarray(r.at, r.at + r.n))), written.map((w) => w.nos));
  t.same(read.map((r) => Array.from(score.subarray(r.at, r.at + r.n))), written.map((w) => w.scores));
  t.throws(() => readPartition(buf.subarray(0, buf.length - 3), () => 0, vacancyNo, score), RangeError, 'a truncated value is refused, not misread');
});

t.test('staged lists are crash-safe: every table of a run in progress is WAL-logged', async (t) => {
  // Postgres empties unlogged tables when it recovers from a crash, while the partitions' done
  // marks would survive: finalize would then complete the run without the lost seekers.
  const svc = await build(t);
  const { rows } = await svc.ctx.database.pool.query<{ relname: string; relpersistence: string }>(
    `select relname, relpersistence from pg_class where relnamespace = $1::regnamespace and relname in ('run_candidates', 'run_partitions', 'matching_runs', 'recommendations') order by relname`,
    [svc.ctx.database.schema],
  );
  t.same(rows, ['matching_runs', 'recommendations', 'run_candidates', 'run_partitions'].map((relname) => ({ relname, relpersistence: 'p' })));
});
