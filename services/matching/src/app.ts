/** The service as one plugin over its context: see definition.ts. */
export { matching as definition } from './definition.ts';
