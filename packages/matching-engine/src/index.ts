export * from './types.ts';
export { BATCH_CANDIDATES, defaultMatchingConfig, resolveConfig } from './config.ts';
export { createMatcher, KEY_LIST_LIMIT } from './matcher.ts';
export { explainPair, pairFit, scoreOf } from './explain.ts';
export { allocate, allocatePacked, eligible, packVacancies, requiredMask, type PackedAllocation, type PackedSeekers, type PackedVacancies } from './allocate.ts';
export { categoryMask } from './hardship.ts';
export { priorityTier, CATEGORY_LABELS } from './hardship.ts';
export { occupationGroupOf, occupationMajorOf, skillFamilyOf } from './codes.ts';
export { ageFit, wageFit, NEUTRAL, RELATED_SKILL_CREDIT, OCCUPATION_CREDIT, PROXIMITY_CREDIT, PRIORITY_CREDIT } from './factors.ts';
