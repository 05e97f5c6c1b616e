/** The service as one plugin over its context: see definition.ts. */
export { jobPostings as definition } from './definition.ts';
