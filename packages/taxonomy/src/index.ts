/**
 * The occupation and skill taxonomy shipped with reemploy: pure data and lookups, no I/O.
 * Occupations are grouped after the eight major groups of GB/T 6565-2015; codes are hierarchical
 * (`4-03-01`: major 4, group `4-03`) so that near misses can score partially.
 */
import { z } from 'zod';
import { majorGroupData, mediumGroupData } from './data/groups.ts';
import { occupations_13 } from './data/occupations-1-3.ts';
import { occupations_4a } from './data/occupations-4a.ts';
import { occupations_4b } from './data/occupations-4b.ts';
import { occupations_58 } from './data/occupations-5-8.ts';
import { skillFamilyData } from './data/skill-families.ts';
import { skills1 } from './data/skills-1.ts';
import { skills2 } from './data/skills-2.ts';
import { skills3 } from './data/skills-3.ts';
import { searchEntries } from './search.ts';
import type { Occupation, OccupationGroup, Skill, SkillFamily } from './types.ts';

export type * from './types.ts';
export { normaliseQuery } from './search.ts';

export const OCCUPATION_CODE_PATTERN = /^[1-8]-\d{2}-\d{2}$/;
export const SKILL_CODE_PATTERN = /^S\d{3}-\d{2}$/;

export const occupations: readonly Occupation[] = [...occupations_13, ...occupations_4a, ...occupations_4b, ...occupations_58];
export const skills: readonly Skill[] = [...skills1, ...skills2, ...skills3];
export const majorGroups: readonly OccupationGroup[] = majorGroupData;
export const occupationGroups: readonly OccupationGroup[] = mediumGroupData;
export const skillFamilies: readonly SkillFamily[] = skillFamilyData;

const occupationByCode = new Map(occupations.map((o) => [o.code, o]));
const skillByCode = new Map(skills.map((s) => [s.code, s]));
const groupByCode = new Map([...majorGroups, ...occupationGroups].map((g) => [g.code, g]));
const familyByCode = new Map(skillFamilies.map((f) => [f.code, f]));

export function getOccupation(code: string): Occupation | undefined {
  return occupationByCode.get(code);
}

export function getSkill(code: string): Skill | undefined {
  return skillByCode.get(code);
}

/** A major (`4`) or medium (`4-03`) group. */
export function getOccupationGroup(code: string): OccupationGroup | undefined {
  return groupByCode.get(code);
}

export function getSkillFamily(code: string): SkillFamily | undefined {
  return familyByCode.get(code);
}

/** A known occupation code (well-formed and in the taxonomy). */
export function isOccupationCode(code: unknown): code is string {
  return typeof code === 'string' && occupationByCode.has(code);
}

/** A known skill code (well-formed and in the taxonomy). */
export function isSkillCode(code: unknown): code is string {
  return typeof code === 'string' && skillByCode.has(code);
}

/** `4-03-01` → `4-03`: occupations of one group earn partial credit. */
export function occupationGroup(code: string): string {
  return code.slice(0, 4);
}

/** `4-03-01` → `4`. */
export function occupationMajor(code: string): string {
  return code.slice(0, 1);
}

/** `S012-03` → `S012`: skills of one family earn partial credit. */
export function skillFamily(code: string): string {
  return code.slice(0, 4);
}

/** Occupations whose code starts with a major (`4`) or medium (`4-03`) group code. */
export function occupationsInGroup(groupCode: string): Occupation[] {
  return occupations.filter((o) => o.code.startsWith(groupCode));
}

/** By Chinese (simplified, or traditional converted), English (case-insensitive), alias or code; best matches first. */
export function searchOccupations(q: string): Occupation[] {
  return searchEntries(occupations, q);
}

export function searchSkills(q: string): Skill[] {
  return searchEntries(skills, q);
}

/** A known occupation code; unknown or malformed codes fail with a message naming the catalogue. */
export const occupationCodeSchema = z
  .string()
  .regex(OCCUPATION_CODE_PATTERN, 'occupation code must look like 4-03-01 (major-group-occupation, GB/T 6565)')
  .refine((code) => occupationByCode.has(code), 'unknown occupation code: not in the taxonomy (GET /v1/taxonomy/occupations)')
  .describe('Occupation code of the reemploy taxonomy (GB/T 6565 major group – medium group – occupation)');

/** A known skill code; unknown or malformed codes fail with a message naming the catalogue. */
export const skillCodeSchema = z
  .string()
  .regex(SKILL_CODE_PATTERN, 'skill code must look like S012-03 (family-skill)')
  .refine((code) => skillByCode.has(code), 'unknown skill code: not in the taxonomy (GET /v1/taxonomy/skills)')
  .describe('Skill code of the reemploy taxonomy (family – skill)');

/** A list of distinct known skill codes. */
export const skillCodesSchema = z
  .array(skillCodeSchema)
  .max(50)
  .refine((codes) => new Set(codes).size === codes.length, 'skill codes must not repeat');
