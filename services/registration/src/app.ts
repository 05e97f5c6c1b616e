/** The service as one plugin over its context: see definition.ts. */
export { registration as definition } from './definition.ts';
