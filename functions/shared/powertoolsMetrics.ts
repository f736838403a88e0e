import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS, type AppMetrics } from './metrics.ts';

/** The metrics port on AWS: EMF lines (namespace POWERTOOLS_METRICS_NAMESPACE, dimension `service`). */
export function powertoolsMetrics(metrics: Metrics): AppMetrics {
  return {
    count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
    duration: (name, ms) => metrics.addMetric(name, MetricUnit.Milliseconds, ms),
  };
}

export interface InvocationMetricsOptions<Result> {
  /** The metric a thrown error counts under; default Errors (the GraphQL entry counts its deliberate errors apart). */
  readonly errorMetric?: (error: unknown) => string;
  /** Failures the entry handled and reported in its result, e.g. an SQS batch's failed items. */
  readonly failuresIn?: (result: Result) => number;
}

/**
 * Wraps a Lambda entry: counts its failures and flushes everything recorded during the invocation, once, at its
 * end, so each invocation's metrics leave in one EMF line and none carry over to the next.
 */
export function withInvocationMetrics<Args extends unknown[], Result>(
  handle: (...args: Args) => Promise<Result>,
  metrics: Metrics,
  options: InvocationMetricsOptions<Result> = {},
): (...args: Args) => Promise<Result> {
  const errorMetric = options.errorMetric ?? (() => METRICS.errors);
  return async (...args) => {
    try {
      const result = await handle(...args);
      const failures = options.failuresIn?.(result) ?? 0;
      if (failures > 0) metrics.addMetric(METRICS.errors, MetricUnit.Count, failures);
      return result;
    } catch (error) {
      metrics.addMetric(errorMetric(error), MetricUnit.Count, 1);
      throw error;
    } finally {
      // Powertools warns on every empty flush: most invocations record nothing.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
