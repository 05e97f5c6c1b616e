import type { EducationLevel, HardshipCategory, VacancyKind, VacancySource, VacancyStatus } from '@reemploy/domain';
import type { EventPayload } from '@reemploy/events';
import { getOccupation } from '@reemploy/taxonomy';
import type { AidBaseReservationRow, VacancyRow, VacancyWithEmployer } from './repository.ts';
import type { VacancyView } from './schemas.ts';

export interface NearDuplicateRow {
  id: string;
  title: string;
  community_code: string;
  similarity: number;
}

/**
 * The view a caller gets. An assistance base's own systems (a token with `aidBase`) see only that
 * base's reservation, as everywhere: another base's post on the vacancy shows as none.
 */
export function toVacancyView(row: VacancyWithEmployer, viewer: { aidBase?: string }, nearDuplicates?: NearDuplicateRow[]): VacancyView {
  const reservation = row.aid_base_reservation;
  const shown = reservation && (viewer.aidBase === undefined || viewer.aidBase === reservation.aid_base_id) ? reservation : null;
  return {
    id: row.id,
    employerId: row.employer_id,
    employerName: row.employer_name,
    title: row.title,
    occupationCode: row.occupation_code,
    occupationName: getOccupation(row.occupation_code)?.nameZh ?? null,
    skills: row.skills,
    minAge: row.min_age,
    maxAge: row.max_age,
    educationMin: row.education_min as EducationLevel,
    wageMin: row.wage_min,
    wageMax: row.wage_max,
    headcount: row.headcount,
    headcountLeft: row.headcount_left,
    communityCode: row.community_code,
    kind: row.kind as VacancyKind,
    source: row.source as VacancySource,
    sources: row.sources as VacancySource[],
    reservedFor: row.reserved_for as HardshipCategory[],
    aidBaseReservation: shown && toAidBaseReservation(shown),
    description: row.description,
    validUntil: row.valid_until.toISOString(),
    status: row.status as VacancyStatus,
    statusReason: row.status_reason,
    closedAt: row.closed_at?.toISOString() ?? null,
    mergedInto: row.merged_into,
    mergedFrom: row.merged_from,
    refreshedAt: row.refreshed_at.toISOString(),
    ...(nearDuplicates ? { nearDuplicates: nearDuplicates.map((d) => ({ id: d.id, title: d.title, communityCode: d.community_code, similarity: d.similarity })) } : {}),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toAidBaseReservation(r: AidBaseReservationRow): NonNullable<VacancyView['aidBaseReservation']> {
  return {
    reservedPostId: r.reserved_post_id,
    aidBaseId: r.aid_base_id,
    reservedFor: r.reserved_for as HardshipCategory[],
    quota: r.quota,
    filled: r.filled,
    status: r.status as 'active' | 'filled',
  };
}

/** The full snapshot other services project: never a diff. */
export function vacancySnapshot(row: VacancyRow): EventPayload<'vacancy.created'> {
  return {
    vacancyId: row.id,
    employerId: row.employer_id,
    title: row.title,
    occupationCode: row.occupation_code,
    skills: row.skills,
    minAge: row.min_age,
    maxAge: row.max_age,
    educationMin: row.education_min as EducationLevel,
    wageMin: row.wage_min,
    wageMax: row.wage_max,
    headcount: row.headcount,
    headcountLeft: row.headcount_left,
    communityCode: row.community_code,
    kind: row.kind as VacancyKind,
    source: row.source as VacancySource,
    reservedFor: row.reserved_for as HardshipCategory[],
    status: row.status as VacancyStatus,
    validUntil: row.valid_until.toISOString(),
  };
}
