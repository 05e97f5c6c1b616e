import { Counter, type Registry } from 'prom-client';
import { getOrCreateMetric } from '@reemploy/runtime/queue-metrics';

export interface RegistrationMetrics {
  /** Answers telling a caller that a person is registered outside its regions, by channel; refused: over its budget. */
  registeredElsewhere: Counter<'channel' | 'outcome'>;
}

/** The registration service's own figures, registered once per registry (the app's: metricsRegistryOf(ctx)). */
export function registrationMetrics(registry: Registry): RegistrationMetrics {
  const registeredElsewhere = getOrCreateMetric(
    registry,
    'registered_elsewhere_answers_total',
    () =>
      new Counter({
        name: 'registered_elsewhere_answers_total',
        help: 'Answers revealing that a person is registered outside the caller\'s regions (answered), and requests refused for the caller\'s budget of them (refused)',
        labelNames: ['channel', 'outcome'] as const,
        registers: [registry],
      }),
  );
  return { registeredElsewhere };
}
