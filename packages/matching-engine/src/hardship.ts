import { HARDSHIP_CATEGORIES, type HardshipCategory } from '@reemploy/domain';

/** One bit per category (8 categories fit a byte), so eligibility is a single AND. */
export function categoryMask(categories: readonly HardshipCategory[]): number {
  let mask = 0;
  for (const c of categories) {
    const i = HARDSHIP_CATEGORIES.indexOf(c);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

export const ALL_CATEGORIES_MASK = (1 << HARDSHIP_CATEGORIES.length) - 1;

/**
 * The order in which the batch serves seekers (SPEC §5): zero-employment households
 * first, then dual-unemployed / dual-laid-off households and single parents, then 4050
 * and the other hardship categories, then everyone else.
 */
export function priorityTier(categories: readonly HardshipCategory[]): number {
  if (categories.includes('ZERO_EMPLOYMENT_HOUSEHOLD')) return 0;
  if (categories.includes('DUAL_UNEMPLOYED') || categories.includes('DUAL_LAID_OFF') || categories.includes('SINGLE_PARENT')) return 1;
  if (categories.length > 0) return 2;
  return 3;
}

/** How the categories read in reasons: plural groups, as a post is "reserved for ...". */
export const CATEGORY_LABELS: Record<HardshipCategory, { zh: string; en: string }> = {
  ZERO_EMPLOYMENT_HOUSEHOLD: { zh: '零就业家庭', en: 'zero-employment households' },
  DUAL_UNEMPLOYED: { zh: '双失业家庭', en: 'dual-unemployed households' },
  DUAL_LAID_OFF: { zh: '双下岗家庭', en: 'dual laid-off households' },
  SINGLE_PARENT: { zh: '单亲家庭', en: 'single parents' },
  OLDER_4050: { zh: '4050 人员', en: 'older workers (4050)' },
  MINIMUM_LIVELIHOOD: { zh: '低保家庭', en: 'minimum-livelihood households' },
  DISABLED: { zh: '残疾人', en: 'people with disabilities' },
  LONG_TERM_UNEMPLOYED: { zh: '长期失业人员', en: 'the long-term unemployed' },
};
