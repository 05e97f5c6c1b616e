import t from 'tap';
import { mergeById, PartitionWriter, readPartition, stagedId, stagedSeeker, type StagedSeeker } from '../src/runs/staging.ts';
import { build } from './helper.ts';

t.test('a staged partition reads back exactly as written, in id order, large numbers and empty lists included', async (t) => {
  const writer = new PartitionWriter();
  const written: { s: StagedSeeker; nos: number[]; scores: number[] }[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  for (let k = 0; k < 300; k++) {
    const n = k % 17 === 0 ? 0 : next() % 70;
    // Community codes of every length a region code has, so the padding before the numbers varies.
    const code = `3205${String(next()).padStart(8, '0').slice(0, 8)}`.slice(0, 4 + (k % 9));
    const s: StagedSeeker = { id: crypto.randomUUID(), communityCode: code, tier: k % 4, age: 16 + (k % 50), education: k % 7, mask: next() % 256 };
    // Vacancy numbers up to 2^32 - 1, scores in millionths from 0 to 1.
    const nos = Array.from({ length: n }, (_, i) => (i === 0 ? 2 ** 32 - 1 : next() * 2 + (i % 2)));
    const scores = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : Math.round((next() % 1_000_001)) / 1e6));
    writer.add(s, n, nos, Float64Array.from(scores));
    written.push({ s, nos, scores });
  }
  t.equal(writer.seekers, 300);
  const buf = writer.finish();
  // As the database hands it back: a value need not start at an aligned address.
  const unaligned = Buffer.alloc(buf.length + 1).subarray(1);
  buf.copy(unaligned);
  const part = readPartition(unaligned);
  t.equal(part.vacancyNo.length, written.reduce((n, w) => n + w.nos.length, 0));
  // Staged in id order, whatever the order they were ranked in.
  written.sort((a, b) => (a.s.id < b.s.id ? -1 : 1));
  t.same(Array.from({ length: part.count }, (_, i) => stagedSeeker(part, i)), written.map((w) => w.s));
  const slice = (a: Uint32Array, i: number) => Array.from(a.subarray(part.start[i]!, part.start[i + 1]!));
  t.same(written.map((_, i) => slice(part.vacancyNo, i)), written.map((w) => w.nos));
  t.same(written.map((_, i) => slice(part.score, i).map((m) => m / 1e6)), written.map((w) => w.scores));
  t.throws(() => readPartition(buf.subarray(0, buf.length - 3)), RangeError, 'a truncated value is refused, not misread');
  t.throws(() => readPartition(buf.subarray(0, 40)), RangeError, 'a value cut inside the seekers is refused');
  t.throws(() => readPartition(Buffer.from('not a partition at all')), RangeError, 'a value of another kind is refused');
  t.throws(() => writer.add({ ...written[0]!.s, id: 'short' }, 0, [], []), RangeError, 'an id that is not a uuid is refused');
});

t.test('partitions merge into one id order; a seeker staged by two partitions counts once, from the first', async (t) => {
  const ids: string[] = Array.from({ length: 40 }, () => crypto.randomUUID());
  const stage = (picked: string[], vacancyNo: number) => {
    const w = new PartitionWriter();
    for (const id of picked) w.add({ id, communityCode: '320508001001', tier: 3, age: 40, education: 2, mask: 0 }, 1, [vacancyNo], [0.5]);
    return readPartition(w.finish());
  };
  // The first and the second partition both hold the seekers 10-19 (a move mid-run); one partition is empty.
  const parts = [stage(ids.slice(0, 20), 1), stage([], 9), stage(ids.slice(10, 40).reverse(), 2)];
  const { part, index } = mergeById(parts);
  const merged = Array.from(part, (p, x) => stagedId(parts[p]!, index[x]!));
  t.same(merged, [...ids].sort(), 'every seeker once, in id order');
  for (let x = 0; x < part.length; x++) {
    const p = parts[part[x]!]!;
    const expected = ids.indexOf(merged[x]!) < 20 ? 1 : 2;
    t.equal(p.vacancyNo[p.start[index[x]!]!], expected, `${merged[x]} comes from partition ${expected === 1 ? 'one' : 'three'}`);
  }
  t.same(mergeById([]), { part: new Int32Array(0), index: new Int32Array(0) }, 'no partitions, no seekers');
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
