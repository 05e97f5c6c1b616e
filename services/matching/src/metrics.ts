import { Counter, Histogram, type Registry } from 'prom-client';
import { getOrCreateMetric } from '@reemploy/runtime/queue-metrics';

export interface MatchingMetrics {
  /** Wall time of a matching run, from start to finalize, by trigger. */
  runDuration: Histogram<'trigger' | 'outcome'>;
  /** Matches handed to callers (on-demand rankings and recommendations). */
  matchesServed: Counter<'kind'>;
}

/** The matching service's own figures, registered once per registry (the app's: metricsRegistryOf(ctx)). */
export function matchingMetrics(registry: Registry): MatchingMetrics {
  const runDuration = getOrCreateMetric(
    registry,
    'matching_run_duration_seconds',
    () =>
      new Histogram({
        name: 'matching_run_duration_seconds',
        help: 'Duration of matching runs from start to completion',
        labelNames: ['trigger', 'outcome'] as const,
        buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
        registers: [registry],
      }),
  );
  const matchesServed = getOrCreateMetric(
    registry,
    'matches_served_total',
    () => new Counter({ name: 'matches_served_total', help: 'Matches returned to callers', labelNames: ['kind'] as const, registers: [registry] }),
  );
  return { runDuration, matchesServed };
}
