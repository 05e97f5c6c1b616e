import type { ServiceDefinition } from '@reemploy/runtime';

// Loaded on demand: a run for one service loads only that service.
const loaders: Record<string, () => Promise<ServiceDefinition>> = {
  registration: async () => (await import('@reemploy/registration')).registration as unknown as ServiceDefinition,
  'job-postings': async () => (await import('@reemploy/job-postings')).jobPostings as unknown as ServiceDefinition,
  matching: async () => (await import('@reemploy/matching')).matching as unknown as ServiceDefinition,
  'assistance-bases': async () => (await import('@reemploy/assistance-bases')).assistanceBases as unknown as ServiceDefinition,
};

/** The services a `--service` option names (every one without it), refusing a name that is none. */
export function servicesNamed(service: string | undefined): string[] {
  if (service && !loaders[service]) throw new Error(`unknown service "${service}"; one of ${Object.keys(loaders).join(', ')}`);
  return service ? [service] : Object.keys(loaders);
}

export function loadService(name: string): Promise<ServiceDefinition> {
  return loaders[name]!();
}
