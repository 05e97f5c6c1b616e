import { HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { CATEGORY_LABELS } from './hardship.ts';
import type { Reason } from './types.ts';

/** What the explanations need about one scored pair. */
export interface ReasonFacts {
  /** 0 regular, 1 public-welfare, 2 reserved (see vacancy-index). */
  postClass: number;
  /** Categories the post names in `reservedFor`, as a bit mask (0 for an assistance-base post open to every hardship group). */
  reservedMask: number;
  aidBase: boolean;
  seekerMask: number;
  requiredSkills: number;
  exactSkills: number;
  relatedSkills: number;
  occupation: 'exact' | 'group' | 'major' | 'none' | 'open';
  /** 0 same community, 1 street, 2 district, 3 city, 4 farther. */
  proximity: number;
  expectedWage: number | null;
  wageMax: number;
  ageNearLimit: boolean;
}

// Reasons are shared frozen objects: a batch produces millions of matches, not millions of strings.
const r = (code: string, zh: string, en: string): Reason => Object.freeze({ code, zh, en });

const PROXIMITY = [
  r('same-community', '同一社区', 'same community'),
  r('same-street', '同一街道', 'same street'),
  r('same-district', '同一区', 'same district'),
  r('same-city', '同一城市', 'same city'),
  r('other-city', '不在同一城市', 'in another city'),
];
const OCCUPATION = {
  exact: r('occupation', '是期望的职业', 'a desired occupation'),
  group: r('occupation-group', '与期望的职业同属一类', 'in the same group as a desired occupation'),
  major: r('occupation-major', '与期望的职业同属一个大类', 'in the same major group as a desired occupation'),
  none: r('occupation-other', '不是期望的职业', 'not a desired occupation'),
  open: r('occupation-open', '未填写期望的职业', 'no desired occupation given'),
};
const NO_SKILLS_REQUIRED = r('skills-none-required', '岗位不要求特定技能', 'no specific skills required');
const PUBLIC_WELFARE = r('public-welfare', '社区公益性岗位，优先安置就业困难人员', 'community public-welfare post for hardship groups');
const AID_BASE = r('aid-base', '再就业援助基地的岗位', 'post of a re-employment assistance base');
const HARDSHIP = r('hardship', '属就业困难人员，优先推荐', 'in a hardship group, recommended first');
const WAGE_MEETS = r('wage', '薪资达到期望', 'pay meets the expected wage');
const WAGE_UNKNOWN = r('wage-unknown', '未填写期望薪资', 'expected wage not given');
const AGE = r('age', '年龄符合要求', 'age within the limits');
const AGE_NEAR_LIMIT = r('age-near-limit', '年龄接近要求的上下限', 'age close to the limits');

const skillReasons = new Map<number, Reason>();
const reservedReasons = new Map<number, Reason>();

function skillsReason(required: number, exact: number, related: number): Reason {
  if (required === 0) return NO_SKILLS_REQUIRED;
  const key = required * 1_000_000 + exact * 1000 + related;
  let reason = skillReasons.get(key);
  if (reason) return reason;
  if (exact === 0 && related === 0) {
    reason = r('skills-missing', `需要的 ${required} 项技能都不具备`, `has none of the ${required} required skills`);
  } else {
    const zh = `需要的 ${required} 项技能具备 ${exact} 项` + (related > 0 ? `，另有 ${related} 项的相近技能` : '');
    const en = `has ${exact} of the ${required} required skills` + (related > 0 ? `, and related skills for ${related} more` : '');
    reason = r('skills', zh, en);
  }
  skillReasons.set(key, reason);
  return reason;
}

/** "reserved for single parents": names the reserved categories the seeker holds. */
function reservedReason(mask: number): Reason {
  let reason = reservedReasons.get(mask);
  if (reason) return reason;
  const labels = HARDSHIP_CATEGORIES.filter((_, i) => mask & (1 << i)).map((c) => CATEGORY_LABELS[c]);
  const en = labels.map((l) => l.en);
  const enList = en.length > 1 ? `${en.slice(0, -1).join(', ')} and ${en.at(-1)}` : en[0];
  reason = r('reserved', `为${labels.map((l) => l.zh).join('、')}保留`, `reserved for ${enList}`);
  reservedReasons.set(mask, reason);
  return reason;
}

/** The reasons for one match, most decisive first: priority, skills, occupation, place, pay, age. */
export function explain(f: ReasonFacts): Reason[] {
  const out: Reason[] = [];
  if (f.postClass === 2) {
    const held = f.reservedMask & f.seekerMask;
    if (held !== 0) out.push(reservedReason(held));
    if (f.aidBase) out.push(AID_BASE);
  } else if (f.seekerMask !== 0) {
    out.push(f.postClass === 1 ? PUBLIC_WELFARE : HARDSHIP);
  }
  out.push(skillsReason(f.requiredSkills, f.exactSkills, f.relatedSkills));
  out.push(OCCUPATION[f.occupation]);
  out.push(PROXIMITY[f.proximity]!);
  if (f.expectedWage === null) out.push(WAGE_UNKNOWN);
  else if (f.expectedWage <= f.wageMax) out.push(WAGE_MEETS);
  else out.push(r('wage-below', `月薪最高 ${f.wageMax} 元，低于期望的 ${f.expectedWage} 元`, `pays at most ${f.wageMax} CNY a month, below the expected ${f.expectedWage}`));
  out.push(f.ageNearLimit ? AGE_NEAR_LIMIT : AGE);
  return out;
}
