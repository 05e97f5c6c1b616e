import t from 'tap';
import { childCodeLength, passRate, summarize, type CommunityOutcome } from '../src/index.ts';

t.test('pass rate: 100 of 138 is 0.725, as the report says', async (t) => {
  t.equal(passRate(100, 138), 0.725);
  t.equal(passRate(0, 0), null);
  t.equal(passRate(1, 8), 0.125);
  t.equal(passRate(1, 3), 0.333);
  t.equal(passRate(2, 3), 0.667);
  t.equal(passRate(1, 2000), 0.001, 'half up: 0.0005 → 0.001');
  t.equal(passRate(5, 5), 1);
});

t.test('child levels', async (t) => {
  t.equal(childCodeLength('3205'), 6);
  t.equal(childCodeLength('320508'), 9);
  t.equal(childCodeLength('320508024'), 12);
  t.equal(childCodeLength('320508024043'), null);
  t.throws(() => childCodeLength('32050'));
});

t.test('city summary of 138 communities in three districts', async (t) => {
  const outcomes: CommunityOutcome[] = [];
  const districts = ['320502', '320503', '320504'];
  for (let i = 0; i < 138; i += 1) {
    const district = districts[i % 3] as string;
    outcomes.push({
      communityCode: `${district}00${(i % 2) + 1}${String(i).padStart(3, '0')}`,
      passed: i < 100,
      failedCriteria: i < 100 ? [] : i % 2 ? ['visit-rate', 'reemployment-rate'] : ['visit-rate'],
    });
  }
  outcomes.push({ communityCode: '320600001001', passed: true, failedCriteria: [] });
  const summary = summarize('3205', outcomes, new Map([['320502', '沧浪区']]));
  t.equal(summary.assessed, 138, 'other cities are left out');
  t.equal(summary.passed, 100);
  t.equal(summary.passRate, 0.725);
  t.same(summary.rows.map((r) => r.regionCode), districts);
  t.equal(summary.rows[0]?.name, '沧浪区');
  t.equal(summary.rows.reduce((a, r) => a + r.assessed, 0), 138);
  t.equal(summary.rows.reduce((a, r) => a + r.passed, 0), 100);
  t.same(summary.failedCriteria, [{ id: 'visit-rate', communities: 38 }, { id: 'reemployment-rate', communities: 19 }]);

  const street = summarize('320502001', outcomes);
  t.ok(street.rows.every((r) => r.regionCode.length === 12 && r.assessed === 1));
});
