import { educationRank } from '@reemploy/domain';
import type { SeekerInput, VacancyInput } from '@reemploy/matching-engine';

/** SPEC §5 hard constraints, as a referral checks them: each failure is named. */
export function hardConstraintFailures(seeker: SeekerInput, vacancy: VacancyInput): string[] {
  const failures: string[] = [];
  if (seeker.age < vacancy.minAge || seeker.age > vacancy.maxAge) failures.push(`age ${seeker.age} is outside ${vacancy.minAge}–${vacancy.maxAge}`);
  if (educationRank(seeker.education) < educationRank(vacancy.educationMin)) failures.push(`education ${seeker.education} is below ${vacancy.educationMin}`);
  if (vacancy.reservedFor.length > 0 && !vacancy.reservedFor.some((c) => seeker.hardshipCategories.includes(c))) {
    failures.push(`the post is reserved for ${vacancy.reservedFor.join(', ')}`);
  } else if (vacancy.aidBase && vacancy.reservedFor.length === 0 && seeker.hardshipCategories.length === 0) {
    failures.push('the post is reserved by an assistance base for people in a hardship category');
  } else if (vacancy.kind === 'public-welfare' && vacancy.reservedFor.length === 0 && seeker.hardshipCategories.length === 0) {
    failures.push('a community public-welfare post is reserved for people in a hardship category');
  }
  return failures;
}
