import t from 'tap';
import { partitionBounds, planPartitions } from '../src/runs/partitions.ts';

const inside = (code: string, key: string, region: string | null) => {
  const b = partitionBounds(key, region);
  return code.startsWith(b.prefix) && (b.from === null || code >= b.from) && (b.below === null || code < b.below);
};

t.test('partitions: consecutive streets of a district up to the target size, covering every code once', async (t) => {
  const counts = [
    { street: '320505001', n: 40 }, { street: '320505002', n: 70 }, { street: '320505003', n: 10 }, { street: '320505004', n: 250 }, { street: '320505009', n: 5 },
    { street: '320508001', n: 30 },
    { street: '320506', n: 3 }, // a code too short to have a street stays in its district
  ];
  const keys = planPartitions(counts, 100);
  t.same(keys, ['320505..320505002', '320505.320505002.320505004', '320505.320505004.320505009', '320505.320505009.', '320506..', '320508..']);
  const codes = ['320505001001', '320505002017', '320505003001', '320505004001', '320505009123', '320505999001', '320505', '320506', '320506001001', '320508001001'];
  for (const code of codes) t.equal(keys.filter((k) => inside(code, k, null)).length, 1, `${code} in exactly one partition`);
  t.equal(keys.filter((k) => inside('320507001001', k, null)).length, 0, 'a district without seekers has no partition');
  t.ok(keys.every((k) => !k.includes(':')), 'usable in BullMQ job ids');
  t.same(partitionBounds('320505.320505002.320505004', '320505002'), { prefix: '320505002', from: '320505002', below: '320505004' }, 'a run for one street keeps its prefix');
  t.same(planPartitions([], 100), []);
});
