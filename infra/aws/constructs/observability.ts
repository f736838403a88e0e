import { Duration, Validations } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  /** Who is e-mailed when an alarm fires or clears; without it the alarms only show in the console. */
  readonly alarmEmail?: string;
}

export interface LatencyBudget {
  /** The p95 above which an alarm fires (held for three 5-minute periods, so one slow cold start does not page). */
  readonly p95: Duration;
}

export interface FunctionWatch extends LatencyBudget {
  /** Errors the function throws on purpose (answers to bad requests); the error rate leaves them out. */
  readonly expectedErrors?: cloudwatch.Metric;
}

const FIVE_MINUTES = Duration.minutes(5);
const ERROR_RATE_PERCENT = 5;

/**
 * Alarms on what users feel: error rate above 5% over 5 minutes and p95 latency over budget, for each
 * function and for the API. Logs and EMF metrics come from Powertools inside the functions.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = new sns.Topic(this, 'Alarms', { displayName: 'WasaPrecruit alarms', enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry alarm names and metric values only; CloudWatch cannot publish to a topic under the AWS-managed SNS key.',
    });
    if (props.alarmEmail !== undefined) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
  }

  watchFunction(fn: lambda.IFunction, name: string, watch: FunctionWatch): void {
    const sum = { statistic: 'Sum', period: FIVE_MINUTES };
    const errorRate = new cloudwatch.MathExpression({
      label: `${name} error rate (%)`,
      expression:
        watch.expectedErrors === undefined
          ? 'IF(invocations > 0, 100 * errors / invocations, 0)'
          : 'IF(invocations > 0, 100 * (errors - FILL(expected, 0)) / invocations, 0)',
      usingMetrics: {
        errors: fn.metricErrors(sum),
        invocations: fn.metricInvocations(sum),
        ...(watch.expectedErrors === undefined ? {} : { expected: watch.expectedErrors.with(sum) }),
      },
      period: FIVE_MINUTES,
    });
    this.alarm(`${name}ErrorRate`, errorRate, ERROR_RATE_PERCENT, 1, `${name}: more than ${ERROR_RATE_PERCENT}% of invocations failed over 5 minutes`);
    this.alarm(
      `${name}LatencyP95`,
      fn.metricDuration({ statistic: 'p95', period: FIVE_MINUTES }),
      watch.p95.toMilliseconds(),
      3,
      `${name}: p95 duration above ${watch.p95.toHumanString()} for 15 minutes`,
    );
  }

  watchApi(api: appsync.IGraphqlApi, budget: LatencyBudget): void {
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: api.apiId }, statistic, period: FIVE_MINUTES });
    // 5XXError is 0 or 1 per request, so its average is the server-error rate.
    const serverErrorRate = new cloudwatch.MathExpression({
      label: 'API server error rate (%)',
      expression: '100 * serverErrors',
      usingMetrics: { serverErrors: metric('5XXError', 'Average') },
      period: FIVE_MINUTES,
    });
    this.alarm('ApiErrorRate', serverErrorRate, ERROR_RATE_PERCENT, 1, `API: more than ${ERROR_RATE_PERCENT}% of requests failed over 5 minutes`);
    this.alarm('ApiLatencyP95', metric('Latency', 'p95'), budget.p95.toMilliseconds(), 3, `API: p95 latency above ${budget.p95.toHumanString()} for 15 minutes`);
  }

  /**
   * A dead-letter queue drained by a consumer that records each message (functions/jobs/sqsDeadLetters.ts):
   * its depth stays near 0 even as jobs die, so one alarm fires on anything arriving there and one on anything
   * left waiting (the consumer could not record it).
   */
  watchDeadLetterQueue(queue: sqs.IQueue, name: string): void {
    const oneMinute = Duration.minutes(1);
    this.alarm(
      `${name}Arrivals`,
      queue.metricNumberOfMessagesReceived({ statistic: 'Sum', period: oneMinute }),
      0,
      1,
      `${name}: a job failed every delivery and was dead-lettered (GraphQL deadLetters lists it)`,
    );
    this.alarm(
      `${name}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: oneMinute }),
      0,
      1,
      `${name}: dead letters are waiting in the queue (not recorded as dead jobs)`,
    );
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods: number, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
  }
}
