import t from 'tap';
import { codeRange, partitionBounds, planPartitions } from '../src/runs/partitions.ts';

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

t.test('a partition as one range of codes: exactly the codes of its prefix and bounds', async (t) => {
  const cases = [
    { prefix: '320505', from: null, below: '320505407' },
    { prefix: '320505', from: '320505407', below: null },
    { prefix: '320509', from: '320509110', below: null }, // the end of the prefix carries: 320509 → 32051
    { prefix: '320599', from: null, below: null },
    { prefix: '999', from: null, below: null }, // nothing comes after it
    { prefix: '320505407', from: '320505400', below: null }, // a run for one street: the prefix is narrower than the bound
    { prefix: '320505407', from: null, below: '320505500' },
    { prefix: '320505', from: '320505002', below: '320505004' },
  ];
  const codes = ['3205', '320504999999', '320505', '320505001001', '320505002017', '320505004001', '320505399999', '320505407', '320505407001', '320505407999',
    '320505408001', '320505999999', '320506', '320509', '320509109999', '320509110001', '320509999999', '32051', '320510001001', '320599001001', '32060', '999', '999123', '9991'];
  for (const b of cases) {
    const { lo, hi } = codeRange(b);
    for (const code of codes) {
      const expected = code.startsWith(b.prefix) && (b.from === null || code >= b.from) && (b.below === null || code < b.below);
      t.equal(code >= lo && (hi === null || code < hi), expected, `${code} in ${JSON.stringify(b)}: [${lo}, ${hi})`);
    }
  }
  t.same(codeRange({ prefix: '320509', from: null, below: null }), { lo: '320509', hi: '32051' });
  t.same(codeRange({ prefix: '999', from: null, below: null }), { lo: '999', hi: null });
});
