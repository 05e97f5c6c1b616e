import { defaultRetirementScheme, schemeFits, type Gender, type RetirementScheme } from '@reemploy/domain';

/**
 * The scheme recorded for a person: the one given, else male-60 for a man and
 * the configured default (DEFAULT_FEMALE_RETIREMENT_SCHEME) for a woman. It is
 * recorded at registration, so a later change of the setting moves nobody's
 * retirement date; a PATCH corrects one person. Undefined when the given
 * scheme is not one of the person's gender (the caller reports the field).
 */
export function schemeToRecord(given: RetirementScheme | undefined, gender: Gender, femaleDefault: RetirementScheme): RetirementScheme | undefined {
  const scheme = given ?? defaultRetirementScheme(gender, femaleDefault);
  return schemeFits(scheme, gender) ? scheme : undefined;
}

export function schemeMismatch(scheme: RetirementScheme, gender: Gender): string {
  return `${scheme} is not a scheme for ${gender === 'male' ? 'a man' : 'a woman'} (the identity number gives the gender): ${gender === 'male' ? 'male-60' : 'female-55 or female-50'}`;
}
