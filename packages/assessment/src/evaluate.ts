import { CRITERIA, CRITERION_IDS, REPORT_COLLECTION, type CollectionRule, type CriterionId, type CriterionKind, type StandardTargets } from './standard.ts';

/**
 * What the standard reads about one community for one period (the year up to a month).
 * Every figure counts people or households, never events.
 */
export interface CommunityFigures {
  /** Registered unemployed, able and willing to work, at any time in the period. */
  ableAndWilling: number;
  /** Of those, re-employed (employed or flexible) by the end of the period. */
  reemployed: number;
  ableAndWilling4050: number;
  reemployed4050: number;
  /** Dual-unemployed, dual-laid-off or single-parent households during the period. */
  dualHouseholds: number;
  /** Of those, households with at least one member employed at the end of the period. */
  dualHouseholdsCovered: number;
  /** Zero-employment households identified during the period. */
  zeroEmploymentHouseholds: number;
  /** Of those, still without anyone employed at the end of the period. */
  zeroEmploymentHouseholdsLeft: number;
  /** Registered unemployed at any time in the period: the base of the service rates. */
  registeredUnemployed: number;
  visited: number;
  /** Of those, registered during the year or with an info-collection record in it (a yearly re-collection). */
  infoCollected: number;
  /** Of those, registered during the year or with a network-entry record in it (a yearly re-collection). */
  networkEntered: number;
  guided: number;
}

export interface CriterionResult {
  id: CriterionId;
  kind: CriterionKind;
  label: string;
  /** A percentage floored to two decimals (so a shown 80 never fails), or the count left; null without a denominator. */
  actual: number | null;
  numerator: number;
  denominator: number;
  target: number;
  passed: boolean;
}

export interface Evaluation {
  passed: boolean;
  criteria: CriterionResult[];
}

const MEASURES: Record<CriterionId, (f: CommunityFigures, collection: CollectionRule) => [number, number]> = {
  'reemployment-rate': (f) => [f.reemployed, f.ableAndWilling],
  'reemployment-rate-4050': (f) => [f.reemployed4050, f.ableAndWilling4050],
  'dual-households-covered': (f) => [f.dualHouseholdsCovered, f.dualHouseholds],
  'zero-employment-households': (f) => [f.zeroEmploymentHouseholdsLeft, f.zeroEmploymentHouseholds],
  'visit-rate': (f) => [f.visited, f.registeredUnemployed],
  // Everyone registered was entered and collected by the registration itself, unless the standard asks again every year.
  'info-collection-rate': (f, c) => [c.yearlyRecollection ? f.infoCollected : f.registeredUnemployed, f.registeredUnemployed],
  'network-entry-rate': (f, c) => [c.yearlyRecollection ? f.networkEntered : f.registeredUnemployed, f.registeredUnemployed],
  'guidance-rate': (f) => [f.guided, f.registeredUnemployed],
};

/** The target as an exact integer number of hundredths of a percent. */
function basisPoints(target: number): bigint {
  return BigInt(Math.round(target * 100));
}

/**
 * numerator/denominator ≥ target% decided in integers: numerator·10000 ≥ targetBasisPoints·denominator.
 * An empty denominator passes: there was nobody to re-employ, visit or cover.
 */
export function meetsPercent(numerator: number, denominator: number, target: number): boolean {
  if (denominator === 0) return true;
  return BigInt(numerator) * 10000n >= basisPoints(target) * BigInt(denominator);
}

/** The percentage floored to two decimals, computed in integers. */
export function percentFloor(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Number((BigInt(numerator) * 10000n) / BigInt(denominator)) / 100;
}

function checkFigure(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/** Evaluates a community's figures against a standard; it passes when every criterion passes. */
export function evaluate(figures: CommunityFigures, targets: StandardTargets, collection: CollectionRule = REPORT_COLLECTION): Evaluation {
  for (const [name, value] of Object.entries(figures)) checkFigure(name, value);
  const criteria = CRITERION_IDS.map((id): CriterionResult => {
    const [numerator, denominator] = MEASURES[id](figures, collection);
    if (numerator > denominator) throw new RangeError(`${id}: numerator ${numerator} exceeds denominator ${denominator}`);
    const definition = CRITERIA[id];
    const target = targets[id];
    if (definition.kind === 'max-count') {
      return { id, kind: definition.kind, label: definition.label, actual: numerator, numerator, denominator, target, passed: numerator <= target };
    }
    return {
      id,
      kind: definition.kind,
      label: definition.label,
      actual: percentFloor(numerator, denominator),
      numerator,
      denominator,
      target,
      passed: meetsPercent(numerator, denominator, target),
    };
  });
  return { passed: criteria.every((c) => c.passed), criteria };
}

/** Figures of nobody: every criterion passes on its empty rule. */
export function emptyFigures(): CommunityFigures {
  return {
    ableAndWilling: 0,
    reemployed: 0,
    ableAndWilling4050: 0,
    reemployed4050: 0,
    dualHouseholds: 0,
    dualHouseholdsCovered: 0,
    zeroEmploymentHouseholds: 0,
    zeroEmploymentHouseholdsLeft: 0,
    registeredUnemployed: 0,
    visited: 0,
    infoCollected: 0,
    networkEntered: 0,
    guided: 0,
  };
}
