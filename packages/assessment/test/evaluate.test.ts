import t from 'tap';
import {
  CRITERION_IDS,
  REPORT_COLLECTION,
  REPORT_TARGETS,
  checkTargets,
  defaultStandards,
  emptyFigures,
  evaluate,
  meetsPercent,
  percentFloor,
  type CommunityFigures,
  type CriterionId,
} from '../src/index.ts';

/** A community that meets every default target; each test breaks one thing. */
function passing(): CommunityFigures {
  return {
    ableAndWilling: 1000,
    reemployed: 800,
    ableAndWilling4050: 200,
    reemployed4050: 170,
    dualHouseholds: 10,
    dualHouseholdsCovered: 10,
    zeroEmploymentHouseholds: 3,
    zeroEmploymentHouseholdsLeft: 0,
    registeredUnemployed: 1200,
    visited: 1200,
    infoCollected: 1200,
    networkEntered: 1200,
    guided: 1200,
  };
}

const YEARLY = { yearlyRecollection: true };

function criterion(figures: CommunityFigures, id: CriterionId, collection = YEARLY) {
  const found = evaluate(figures, REPORT_TARGETS, collection).criteria.find((c) => c.id === id);
  if (!found) throw new Error(id);
  return found;
}

t.test('a community meeting every target passes, in SPEC §7 order', async (t) => {
  const result = evaluate(passing(), REPORT_TARGETS);
  t.equal(result.passed, true);
  t.same(result.criteria.map((c) => c.id), CRITERION_IDS);
});

t.test('re-employment rate: 79.9% fails, 80% passes', async (t) => {
  const fail = criterion({ ...passing(), reemployed: 799 }, 'reemployment-rate');
  t.match(fail, { actual: 79.9, numerator: 799, denominator: 1000, target: 80, passed: false });
  t.equal(evaluate({ ...passing(), reemployed: 799 }, REPORT_TARGETS).passed, false);
  t.match(criterion(passing(), 'reemployment-rate'), { actual: 80, passed: true });
});

t.test('4050 rate: 84.5% fails, 85% passes, and 17/20 is exactly 85', async (t) => {
  t.equal(criterion({ ...passing(), reemployed4050: 169 }, 'reemployment-rate-4050').passed, false);
  t.equal(criterion({ ...passing(), reemployed4050: 170 }, 'reemployment-rate-4050').passed, true);
  t.equal(criterion({ ...passing(), ableAndWilling4050: 20, reemployed4050: 17 }, 'reemployment-rate-4050').passed, true);
  t.equal(criterion({ ...passing(), ableAndWilling4050: 20, reemployed4050: 16 }, 'reemployment-rate-4050').passed, false);
});

t.test('dual households: every household must be covered', async (t) => {
  const fail = criterion({ ...passing(), dualHouseholdsCovered: 9 }, 'dual-households-covered');
  t.match(fail, { actual: 90, passed: false });
  t.equal(criterion({ ...passing(), dualHouseholds: 1000, dualHouseholdsCovered: 999 }, 'dual-households-covered').passed, false);
});

t.test('zero-employment households: one left fails, none left passes', async (t) => {
  t.match(criterion({ ...passing(), zeroEmploymentHouseholdsLeft: 1 }, 'zero-employment-households'), {
    kind: 'max-count',
    actual: 1,
    numerator: 1,
    denominator: 3,
    target: 0,
    passed: false,
  });
  t.match(criterion(passing(), 'zero-employment-households'), { actual: 0, passed: true });
  const loose = evaluate({ ...passing(), zeroEmploymentHouseholdsLeft: 2 }, { ...REPORT_TARGETS, 'zero-employment-households': 2 });
  t.equal(loose.passed, true, 'a looser standard allows what it says');
});

for (const [id, field] of [
  ['visit-rate', 'visited'],
  ['info-collection-rate', 'infoCollected'],
  ['network-entry-rate', 'networkEntered'],
  ['guidance-rate', 'guided'],
] as const) {
  t.test(`${id}: one person short of 100% fails`, async (t) => {
    const fail = criterion({ ...passing(), [field]: 1199 }, id);
    t.equal(fail.passed, false);
    t.equal(fail.actual, 99.91, 'floored, never rounded up to 100');
    t.equal(criterion(passing(), id).passed, true);
  });
}

t.test('information collection and network entry: registration is both, unless the standard asks again every year', async (t) => {
  const nobodyRecorded = { ...passing(), infoCollected: 0, networkEntered: 0 };
  for (const id of ['info-collection-rate', 'network-entry-rate'] as const) {
    t.match(criterion(nobodyRecorded, id, REPORT_COLLECTION), { numerator: 1200, denominator: 1200, passed: true }, `${id}: everyone registered counts`);
    t.match(criterion(nobodyRecorded, id, YEARLY), { numerator: 0, denominator: 1200, passed: false }, `${id}: with a yearly re-collection, only the year's`);
  }
  t.equal(evaluate(nobodyRecorded, REPORT_TARGETS).passed, true, "the report's standard by default");
});

t.test('floating point cannot tip a boundary', async (t) => {
  // 0.1 + 0.7 style traps: 7/10 against 70, 57/100 against 57, 29/100 against 29.
  for (const [n, d, target] of [[7, 10, 70], [57, 100, 57], [29, 100, 29], [1, 3, 33.33], [2, 3, 66.67]] as const) {
    t.equal(meetsPercent(n, d, target), n * 10000 >= Math.round(target * 100) * d, `${n}/${d} vs ${target}`);
  }
  t.equal(meetsPercent(1, 3, 33.33), true);
  t.equal(meetsPercent(1, 3, 33.34), false);
  t.equal(meetsPercent(799_999_999, 1_000_000_000, 80), false, 'large counts stay exact');
  t.equal(percentFloor(2, 3), 66.66);
});

t.test('empty denominators pass and show no figure', async (t) => {
  const result = evaluate(emptyFigures(), REPORT_TARGETS);
  t.equal(result.passed, true);
  for (const c of result.criteria) {
    t.equal(c.denominator, 0);
    t.equal(c.actual, c.kind === 'max-count' ? 0 : null, c.id);
  }
});

t.test('impossible figures are refused', async (t) => {
  t.throws(() => evaluate({ ...passing(), reemployed: 1001 }, REPORT_TARGETS), RangeError);
  t.throws(() => evaluate({ ...passing(), visited: -1 }, REPORT_TARGETS), RangeError);
  t.throws(() => evaluate({ ...passing(), guided: 1.5 }, REPORT_TARGETS), RangeError);
});

t.test('standards: the report defaults for each type, and target checks', async (t) => {
  const standards = defaultStandards();
  t.same(Object.keys(standards), ['old-city', 'new-city', 'town', 'village']);
  t.same(standards['old-city'], { 'reemployment-rate': 80, 'reemployment-rate-4050': 85, 'dual-households-covered': 100, 'zero-employment-households': 0, 'visit-rate': 100, 'info-collection-rate': 100, 'network-entry-rate': 100, 'guidance-rate': 100 });
  standards.town['reemployment-rate'] = 70;
  t.equal(defaultStandards().town['reemployment-rate'], 80, 'defaults are copied, not shared');
  t.same(checkTargets(REPORT_TARGETS), []);
  t.same(checkTargets({ ...REPORT_TARGETS, 'reemployment-rate': 101 }), [['reemployment-rate', 'a percentage target cannot exceed 100']]);
  t.same(checkTargets({ ...REPORT_TARGETS, 'visit-rate': 99.995 }), [['visit-rate', 'a percentage target has at most two decimals']]);
  t.same(checkTargets({ ...REPORT_TARGETS, 'zero-employment-households': 0.5 }), [['zero-employment-households', 'a count target is a whole number']]);
  t.same(checkTargets({ ...REPORT_TARGETS, bogus: 1 }), [['bogus', 'unknown criterion']]);
  const { 'guidance-rate': _, ...missing } = REPORT_TARGETS;
  t.same(checkTargets(missing), [['guidance-rate', 'target is missing']]);
  t.equal(checkTargets({ ...REPORT_TARGETS, 'reemployment-rate': 82.5 }).length, 0);
});
