import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ResolverError } from '../shared/errors.ts';
import { METRICS } from '../shared/metrics.ts';
import { withInvocationMetrics } from '../shared/powertoolsMetrics.ts';

/** EMF metric (namespace POWERTOOLS_METRICS_NAMESPACE, dimension `service`): calls answered with a ResolverError. */
export const CLIENT_ERRORS_METRIC = 'ClientErrors';

/**
 * Lambda counts every thrown error as a failed invocation, including the Unauthorized and BadRequest answers
 * resolvers give on purpose. Counting those apart (ClientErrors, the rest Errors) lets the error-rate alarm
 * subtract them and fire on real failures only (infra/aws/constructs/observability.ts).
 */
export function withClientErrorMetric<Event, Result>(
  resolve: (event: Event) => Promise<Result>,
  metrics: Metrics,
): (event: Event) => Promise<Result> {
  return withInvocationMetrics(resolve, metrics, {
    errorMetric: (error) => (error instanceof ResolverError ? CLIENT_ERRORS_METRIC : METRICS.errors),
  });
}
