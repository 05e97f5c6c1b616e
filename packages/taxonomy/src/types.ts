/** Occupation code: major group (1–8, GB/T 6565-2015) – medium group – occupation, e.g. `4-03-01`. */
export type OccupationCode = string;
/** Skill code: family and skill within it, e.g. `S012-03`. */
export type SkillCode = string;

export interface Named {
  /** Simplified Chinese (answers in traditional Chinese are converted on their way out). */
  nameZh: string;
  nameEn: string;
}

export interface Occupation extends Named {
  code: OccupationCode;
  /** Skills the occupation usually asks for. */
  skills: readonly SkillCode[];
  /** Other names people use for the job, searched like the names. */
  aliases: readonly string[];
}

export interface Skill extends Named {
  code: SkillCode;
}

export interface OccupationGroup extends Named {
  /** `4` for a major group, `4-03` for a medium group. */
  code: string;
}

export interface SkillFamily extends Named {
  code: string;
}
