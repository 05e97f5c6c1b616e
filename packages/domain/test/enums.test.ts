import t from 'tap';
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  HARDSHIP_CATEGORIES,
  RELATIONSHIPS,
  SEEKER_STATUSES,
  SERVICE_RECORD_KINDS,
  VACANCY_KINDS,
  VACANCY_SOURCES,
  VACANCY_STATUSES,
} from '../src/enums.ts';

// The closed vocabularies of SPEC §3 and §7, value for value: a contract, not an implementation detail.
t.test('the vocabularies of the core fields', async (t) => {
  t.same([...RELATIONSHIPS], ['head', 'spouse', 'child', 'child-in-law', 'grandchild', 'parent', 'sibling', 'other']);
  t.same([...EDUCATION_LEVELS], ['none', 'primary', 'junior-secondary', 'senior-secondary', 'vocational', 'college', 'bachelor', 'postgraduate'], 'least to most schooling');
  t.same([...SEEKER_STATUSES], ['unemployed', 'employed', 'flexible', 'withdrawn']);
  t.same([...AGE_BANDS], ['16-24', '25-34', '35-39', '40-49', '50-59', '60+']);
  t.same([...VACANCY_KINDS], ['regular', 'public-welfare', 'flexible']);
  t.same([...VACANCY_SOURCES], ['coordinator', 'employer', 'aid-base', 'job-fair']);
  t.same([...VACANCY_STATUSES], ['open', 'filled', 'closed', 'expired']);
  t.same(
    [...HARDSHIP_CATEGORIES].sort(),
    ['DISABLED', 'DUAL_LAID_OFF', 'DUAL_UNEMPLOYED', 'LONG_TERM_UNEMPLOYED', 'MINIMUM_LIVELIHOOD', 'OLDER_4050', 'SINGLE_PARENT', 'ZERO_EMPLOYMENT_HOUSEHOLD'],
  );
});

t.test('service records: the four coordinator activities and the nine services', async (t) => {
  t.same(SERVICE_RECORD_KINDS.slice(0, 4), ['visit', 'info-collection', 'network-entry', 'guidance']);
  t.same(SERVICE_RECORD_KINDS.slice(4), [
    'unemployment-registration',
    'unemployment-insurance-claim',
    'employment-registration-certificate',
    'reemployment-preferential-certificate',
    'vacancy-information',
    'guidance-and-training-information',
    'policy-consultation',
    'unemployment-period-certification',
    'special-subsidy',
  ]);
});
