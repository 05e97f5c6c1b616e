/** The service as one plugin over its context: see definition.ts. */
export { assistanceBases as definition } from './definition.ts';
