import { FACTOR_NAMES, type FactorName, type MatchingConfig } from './types.ts';

/** Defaults only: deployments override them through configuration, never by editing code. */
export const defaultMatchingConfig: MatchingConfig = Object.freeze({
  weights: Object.freeze({ skills: 0.3, occupation: 0.2, age: 0.08, wage: 0.12, proximity: 0.15, priority: 0.15 }),
  topK: 20,
  capacityFactor: 5,
});

/** Merges a partial config over the defaults and rejects values that would make scores meaningless. */
export function resolveConfig(config: Partial<MatchingConfig> = {}): MatchingConfig {
  const weights = { ...defaultMatchingConfig.weights, ...config.weights } as Record<FactorName, number>;
  let sum = 0;
  for (const name of FACTOR_NAMES) {
    const w = weights[name];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new RangeError(`weight ${name} must be a finite number >= 0`);
    sum += w;
  }
  if (sum <= 0) throw new RangeError('at least one weight must be positive');
  const topK = config.topK ?? defaultMatchingConfig.topK;
  if (!Number.isInteger(topK) || topK < 1) throw new RangeError('topK must be a positive integer');
  const capacityFactor = config.capacityFactor ?? defaultMatchingConfig.capacityFactor;
  if (!Number.isFinite(capacityFactor) || capacityFactor <= 0) throw new RangeError('capacityFactor must be a positive number');
  return { weights, topK, capacityFactor };
}

/** Weights scaled to sum to 1 so that every score stays within 0-1 whatever the configured values. */
export function normalisedWeights(config: MatchingConfig): Record<FactorName, number> {
  let sum = 0;
  for (const name of FACTOR_NAMES) sum += config.weights[name];
  const out = {} as Record<FactorName, number>;
  for (const name of FACTOR_NAMES) out[name] = config.weights[name] / sum;
  return out;
}

/**
 * Candidates the batch keeps per seeker before `allocate`: more than topK, so a seeker
 * whose best posts are taken by higher tiers still gets a full list.
 */
export function BATCH_CANDIDATES(topK: number): number {
  return 2 * topK;
}
