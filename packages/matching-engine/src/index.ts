export * from './types.ts';
export { defaultMatchingConfig, resolveConfig } from './config.ts';
export { createMatcher, KEY_LIST_LIMIT } from './matcher.ts';
export { explainPair, pairFit, scoreOf } from './explain.ts';
export { allocate, eligible } from './allocate.ts';
export { priorityTier, CATEGORY_LABELS } from './hardship.ts';
export { occupationGroupOf, occupationMajorOf, skillFamilyOf } from './codes.ts';
export { ageFit, wageFit, NEUTRAL, RELATED_SKILL_CREDIT, OCCUPATION_CREDIT, PROXIMITY_CREDIT, PRIORITY_CREDIT } from './factors.ts';
