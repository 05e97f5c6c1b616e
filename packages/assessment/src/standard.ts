import { COMMUNITY_TYPES, type CommunityType } from '@reemploy/domain/enums';

/** The criteria of the full-employment community standard (SPEC §4), ids as SPEC §7. */
export const CRITERION_IDS = [
  'reemployment-rate',
  'reemployment-rate-4050',
  'dual-households-covered',
  'zero-employment-households',
  'visit-rate',
  'info-collection-rate',
  'network-entry-rate',
  'guidance-rate',
] as const;
export type CriterionId = (typeof CRITERION_IDS)[number];

/**
 * `min-percent`: numerator/denominator must reach the target percentage.
 * `max-count`: the numerator (what is left) must not exceed the target count.
 */
export type CriterionKind = 'min-percent' | 'max-count';

export interface CriterionDefinition {
  id: CriterionId;
  kind: CriterionKind;
  /** Chinese label used in ledgers, reports and the dashboard. */
  label: string;
  numerator: string;
  denominator: string;
}

export const CRITERIA: Record<CriterionId, CriterionDefinition> = {
  'reemployment-rate': {
    id: 'reemployment-rate',
    kind: 'min-percent',
    label: '失业人员再就业率',
    numerator: 'registered unemployed able and willing to work who were re-employed in the year',
    denominator: 'registered unemployed able and willing to work during the year',
  },
  'reemployment-rate-4050': {
    id: 'reemployment-rate-4050',
    kind: 'min-percent',
    label: '4050人员再就业率',
    numerator: '4050 group (women 40+, men 50+) able and willing to work, re-employed in the year',
    denominator: '4050 group registered unemployed, able and willing to work, during the year',
  },
  'dual-households-covered': {
    id: 'dual-households-covered',
    kind: 'min-percent',
    label: '双失业、双下岗、单亲家庭至少一人就业率',
    numerator: 'dual-unemployed, dual-laid-off and single-parent households with at least one member employed',
    denominator: 'households that were dual-unemployed, dual-laid-off or single-parent during the year',
  },
  'zero-employment-households': {
    id: 'zero-employment-households',
    kind: 'max-count',
    label: '零就业家庭',
    numerator: 'zero-employment households remaining at the end of the period',
    denominator: 'zero-employment households identified during the year',
  },
  'visit-rate': {
    id: 'visit-rate',
    kind: 'min-percent',
    label: '走访率',
    numerator: 'registered unemployed visited at least once in the year',
    denominator: 'registered unemployed during the year',
  },
  'info-collection-rate': {
    id: 'info-collection-rate',
    kind: 'min-percent',
    label: '信息采集率',
    numerator: 'registered unemployed whose information was collected: registered through the system (with a yearly re-collection: registered in the year, or an info-collection record in it)',
    denominator: 'registered unemployed during the year',
  },
  'network-entry-rate': {
    id: 'network-entry-rate',
    kind: 'min-percent',
    label: '网络录入率',
    numerator: 'registered unemployed entered into the network: registered through the system (with a yearly re-collection: registered in the year, or a network-entry record in it)',
    denominator: 'registered unemployed during the year',
  },
  'guidance-rate': {
    id: 'guidance-rate',
    kind: 'min-percent',
    label: '就业指导率',
    numerator: 'registered unemployed given employment guidance in the year',
    denominator: 'registered unemployed during the year',
  },
};

/** Targets by criterion: a percentage (up to two decimals) or, for `max-count`, a whole count. */
export type StandardTargets = Record<CriterionId, number>;

/** The seed report's targets (its 80/85/100/0/100×4). */
export const REPORT_TARGETS: StandardTargets = {
  'reemployment-rate': 80,
  'reemployment-rate-4050': 85,
  'dual-households-covered': 100,
  'zero-employment-households': 0,
  'visit-rate': 100,
  'info-collection-rate': 100,
  'network-entry-rate': 100,
  'guidance-rate': 100,
};

/**
 * What a standard asks of information collection and network entry. Registration through the system
 * enters the person into the network and collects their information. With `yearlyRecollection`, a
 * person registered in an earlier year counts in a year only with a record of the criterion's kind
 * (`info-collection`, `network-entry`) made in it.
 */
export interface CollectionRule {
  yearlyRecollection: boolean;
}

/** The report asks for collection and entry once (信息采集率、网络录入率 100%), not again every year. */
export const REPORT_COLLECTION: CollectionRule = { yearlyRecollection: false };

export { COMMUNITY_TYPES, type CommunityType };

/** The report assessed every kind of community against one set of targets; each type starts from it. */
export function defaultStandards(): Record<CommunityType, StandardTargets> {
  return Object.fromEntries(COMMUNITY_TYPES.map((type) => [type, { ...REPORT_TARGETS }])) as Record<CommunityType, StandardTargets>;
}

/** Problems with a set of targets, as [criterion, message]; empty when it is usable. */
export function checkTargets(targets: Partial<Record<string, number>>): [string, string][] {
  const problems: [string, string][] = [];
  for (const id of CRITERION_IDS) {
    const value = targets[id];
    if (value === undefined) {
      problems.push([id, 'target is missing']);
      continue;
    }
    if (!Number.isFinite(value) || value < 0) {
      problems.push([id, 'target must be a non-negative number']);
    } else if (CRITERIA[id].kind === 'min-percent') {
      if (value > 100) problems.push([id, 'a percentage target cannot exceed 100']);
      else if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
        problems.push([id, 'a percentage target has at most two decimals']);
      }
    } else if (!Number.isInteger(value)) {
      problems.push([id, 'a count target is a whole number']);
    }
  }
  for (const key of Object.keys(targets)) {
    if (!(CRITERION_IDS as readonly string[]).includes(key)) problems.push([key, 'unknown criterion']);
  }
  return problems;
}
