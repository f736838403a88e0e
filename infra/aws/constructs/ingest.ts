import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { SQS_MAX_RECEIVE_COUNT } from '../../../functions/jobs/sqsDeadLetters.ts';
import { formRoutes, type FormRouteDeps } from '../../../functions/forms/http.ts';
import { webhookRoutes, type WebhookDeps } from '../../../functions/webhooks/routes.ts';
import { ProjectFunction } from './projectFunction.ts';

/** The stage the webhook URLs are served under: `https://<api>.execute-api.<region>.amazonaws.com/live/webhooks/…`. */
export const WEBHOOK_STAGE = 'live';
/** Requests per source IP per 5 minutes before WAF blocks it; the providers spread webhooks over many addresses. */
export const WEBHOOK_RATE_LIMIT_PER_5_MINUTES = 6_000;
/** Processors running at once; OUTBOUND_RATE_PER_SECOND is WhatsApp's per-sender throughput divided among them. */
const PROCESSOR_CONCURRENCY = 4;
const WHATSAPP_SENDS_PER_SECOND = 80;
const PROCESSOR_TIMEOUT = Duration.seconds(60);

/** Where a Lambda reads and writes S3 objects: the bucket and the key prefixes. */
export interface ObjectAccess {
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  readonly delete?: readonly string[];
}

export interface IngestProps {
  /** Gives a function the Data API (infra/aws/constructs/data.ts `connect`). */
  readonly connectData: (fn: lambda.Function) => void;
  /** Lets a function publish live events through AppSync (api.ts `grantPublish`). */
  readonly grantPublish: (fn: lambda.Function) => void;
  /** The WhatsApp providers' credentials, read by the webhook and processor Lambdas at cold start. */
  readonly providerSecrets: { readonly twilio: secretsmanager.ISecret; readonly meta: secretsmanager.ISecret };
  /**
   * The web form's secrets: the link secret, read by the webhook Lambda (the form API verifies links) and the
   * processor (the bot sends links); the webhook secret, read by the webhook Lambda alone (POST /webhooks/form).
   */
  readonly formSecrets: { readonly link: secretsmanager.ISecret; readonly webhook: secretsmanager.ISecret };
  readonly files: s3.IBucket;
  /** The console's URL (PUBLIC_URL), for links the bot sends. */
  readonly publicUrl?: string;
  /** The Bedrock model the bot uses; without it the bot runs on the local rules (functions/llm/local.ts). */
  readonly bedrockModelId?: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The WhatsApp ingest on AWS. Providers call the webhook API; the webhook Lambda verifies and stores each
 * webhook in one transaction with the jobs it causes (the outbox), answers, and relays those jobs to SQS; the
 * processor runs them (sends, media downloads, the bot) and reports partial batch failures; SQS retries and,
 * after SQS_MAX_RECEIVE_COUNT deliveries, dead-letters a job, which a consumer records as a dead row for the
 * admins. A scheduled relay sends whatever a crash between commit and relay left in the outbox.
 *
 * The API is a REST API, not an HTTP API: WAF web ACLs associate with REST API stages (and ALB, AppSync,
 * CloudFront…) but not with HTTP APIs, and the rate-based rule belongs in front of the Lambda. The webhook
 * Lambda translates REST events into the HTTP API events the handlers share with the local host.
 */
export class Ingest extends Construct {
  readonly api: apigateway.RestApi;
  readonly jobs: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly webhook: ProjectFunction;
  readonly processor: ProjectFunction;
  readonly relay: ProjectFunction;
  readonly deadLetterRecorder: ProjectFunction;
  /** The base the webhook paths (WEBHOOK_PATHS) are appended to. */
  readonly webhookBaseUrl: string;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { removalPolicy } = props;

    this.deadLetters = new sqs.Queue(this, 'JobDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    });
    Validations.of(this.deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the jobs queue.' });
    this.jobs = new sqs.Queue(this, 'Jobs', {
      // Six times the processor's timeout (AWS's guidance for Lambda consumers, which retry inside a batch).
      visibilityTimeout: Duration.seconds(PROCESSOR_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: SQS_MAX_RECEIVE_COUNT },
      removalPolicy,
    });

    this.api = new apigateway.RestApi(this, 'WebhookApi', {
      restApiName: 'wasaprecruit-webhooks',
      description: 'WhatsApp provider webhooks (Twilio, Meta)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: removalPolicy,
      deployOptions: {
        stageName: WEBHOOK_STAGE,
        accessLogDestination: new apigateway.LogGroupLogDestination(
          new logs.LogGroup(this, 'WebhookAccessLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
        ),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
      },
    });
    // Built from the API's id, not `api.url`, which names the stage and would make the functions depend on it (a cycle).
    this.webhookBaseUrl = `https://${this.api.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${WEBHOOK_STAGE}`;

    const common = {
      JOBS_QUEUE_URL: this.jobs.queueUrl,
      S3_BUCKET: props.files.bucketName,
      ...(props.publicUrl === undefined ? {} : { PUBLIC_URL: props.publicUrl }),
    };
    const providerEnvironment = {
      WEBHOOK_BASE_URL: this.webhookBaseUrl,
      TWILIO_SECRET_ARN: props.providerSecrets.twilio.secretArn,
      META_SECRET_ARN: props.providerSecrets.meta.secretArn,
      FORM_LINK_SECRET_ARN: props.formSecrets.link.secretArn,
    };

    this.webhook = new ProjectFunction(this, 'Webhook', {
      entry: 'functions/webhooks/lambda.ts',
      description: 'Verifies and stores WhatsApp provider webhooks, then relays the jobs they caused to SQS',
      serviceName: 'webhooks',
      // Twilio gives up after 15 s; a paused database takes most of that to resume.
      timeout: Duration.seconds(14),
      installedModules: ['twilio'],
      environment: { ...common, ...providerEnvironment, FORM_WEBHOOK_SECRET_ARN: props.formSecrets.webhook.secretArn },
      removalPolicy,
    });
    this.processor = new ProjectFunction(this, 'Processor', {
      entry: 'functions/worker/lambda.ts',
      description: 'Runs queued jobs: WhatsApp sends, media downloads, bot turns',
      serviceName: 'jobs',
      timeout: PROCESSOR_TIMEOUT,
      // Image re-encoding (sharp) is memory-hungry and gets CPU in proportion.
      memorySize: 1024,
      installedModules: ['sharp', 'twilio'],
      environment: {
        ...common,
        ...providerEnvironment,
        OUTBOUND_RATE_PER_SECOND: String(WHATSAPP_SENDS_PER_SECOND / PROCESSOR_CONCURRENCY),
        ...(props.bedrockModelId === undefined ? {} : { LLM_PROVIDER: 'bedrock', BEDROCK_MODEL_ID: props.bedrockModelId }),
      },
      removalPolicy,
    });
    this.relay = new ProjectFunction(this, 'Relay', {
      entry: 'functions/jobs/relayLambda.ts',
      description: 'Every minute: sends due jobs left in the outbox to SQS',
      serviceName: 'relay',
      timeout: Duration.seconds(50),
      environment: { JOBS_QUEUE_URL: this.jobs.queueUrl },
      removalPolicy,
    });
    this.deadLetterRecorder = new ProjectFunction(this, 'DeadLetterRecorder', {
      entry: 'functions/jobs/deadLetterLambda.ts',
      description: 'Records dead-lettered jobs as dead rows for the admins',
      serviceName: 'dead-letters',
      timeout: Duration.seconds(30),
      removalPolicy,
    });

    for (const fn of [this.webhook, this.processor, this.relay, this.deadLetterRecorder]) props.connectData(fn.function);
    for (const fn of [this.webhook, this.processor]) {
      props.grantPublish(fn.function);
      props.providerSecrets.twilio.grantRead(fn.function);
      props.providerSecrets.meta.grantRead(fn.function);
      props.formSecrets.link.grantRead(fn.function);
    }
    props.formSecrets.webhook.grantRead(this.webhook.function);
    for (const fn of [this.webhook, this.processor, this.relay]) this.jobs.grantSendMessages(fn.function);
    // Live events carry media as presigned URLs, which work only for a signer that may read the object.
    grantObjects(props.files, this.webhook.function, { read: ['media/'] });
    // Deleting media: the blobs.delete jobs of erasures and of media no row kept.
    grantObjects(props.files, this.processor.function, { read: ['media/'], write: ['media/'], delete: ['media/'] });
    if (props.bedrockModelId !== undefined) grantBedrockModel(this.processor.function, props.bedrockModelId);

    this.processor.function.addEventSource(
      new SqsEventSource(this.jobs, { batchSize: 10, maxConcurrency: PROCESSOR_CONCURRENCY, reportBatchItemFailures: true }),
    );
    this.deadLetterRecorder.function.addEventSource(new SqsEventSource(this.deadLetters, { batchSize: 10, maxConcurrency: 2, reportBatchItemFailures: true }));
    new events.Rule(this, 'RelayEveryMinute', {
      description: 'Relays jobs left in the outbox to SQS',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.relay.function, { retryAttempts: 0 })],
    });

    this.routeWebhooks();
    this.protectWithWaf();
  }

  /** One REST route per webhook and form route key, all to the webhook Lambda. */
  private routeWebhooks(): void {
    const integration = new apigateway.LambdaIntegration(this.webhook.function);
    for (const routeKey of webhookLambdaRouteKeys()) {
      const [method, path] = routeKey.split(' ') as [string, string];
      this.api.root.resourceForPath(path).addMethod(method, integration);
    }
    const stack = Stack.of(this);
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason: 'Twilio, Meta and form tools cannot present AWS or Cognito credentials; each webhook is authenticated by its signature (X-Twilio-Signature, X-Hub-Signature-256, the form webhook HMAC), and each form API request by its signed link token (aspirants do not sign in), verified in the Lambda before anything is read or stored.',
      },
      { id: 'AwsSolutions-COG4', reason: 'Webhooks carry HMAC signatures and form requests signed link tokens, not Cognito tokens (see AwsSolutions-APIG4).' },
      {
        id: 'AwsSolutions-APIG2',
        reason: 'A signature covers the exact body bytes, so the Lambda verifies it (or the link token) first and then validates the payload (400 with the reason per field); a gateway model would reject before the signature is checked.',
      },
    );
    Validations.of(this.api).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]`,
      reason: `API Gateway's account-level logging role (one per account and region, ${stack.region}); the managed policy is the one API Gateway documents for it.`,
    });
  }

  /** A regional WAF web ACL on the API's stage, blocking any source IP above the rate limit. */
  private protectWithWaf(): void {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: false });
    const webAcl = new wafv2.CfnWebACL(this, 'WebhookWaf', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('wasaprecruit-webhooks'),
      rules: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: WEBHOOK_RATE_LIMIT_PER_5_MINUTES, evaluationWindowSec: 300 } },
          visibilityConfig: visibility('wasaprecruit-webhooks-rate-limit'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebhookWafAssociation', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: webAcl.attrArn });
  }
}

/** The route keys the webhook Lambda serves (webhookRoutes, formRoutes); building the routes touches none of their dependencies. */
export function webhookLambdaRouteKeys(): string[] {
  return [...webhookRoutes({} as WebhookDeps), ...formRoutes({} as FormRouteDeps)].map((route) => route.routeKey);
}

/** Object-level S3 rights under key prefixes only (no listing, no bucket settings). */
export function grantObjects(bucket: s3.IBucket, fn: lambda.Function, access: ObjectAccess): void {
  const statement = (action: string, prefixes: readonly string[]) =>
    new iam.PolicyStatement({ actions: [action], resources: prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`)) });
  if (access.read?.length) fn.addToRolePolicy(statement('s3:GetObject', access.read));
  if (access.write?.length) fn.addToRolePolicy(statement('s3:PutObject', access.write));
  if (access.delete?.length) fn.addToRolePolicy(statement('s3:DeleteObject', access.delete));
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  for (const prefix of new Set([...(access.read ?? []), ...(access.write ?? []), ...(access.delete ?? [])])) {
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
      reason: `Objects under ${prefix} only: the keys are generated per object (ids), so a prefix is the narrowest scope.`,
    });
  }
}

/**
 * bedrock:InvokeModel (Converse included) on the one configured model: a foundation model in this region, or a
 * cross-region inference profile (`apac.…`, `us.…`, `eu.…`, `global.…`) plus the foundation model it routes to.
 */
function grantBedrockModel(fn: lambda.Function, modelId: string): void {
  const stack = Stack.of(fn);
  const profile = /^(us|eu|apac|us-gov|global)\.(.+)$/.exec(modelId);
  const resources =
    profile === null
      ? [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${modelId}`]
      : [
          `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`,
          `arn:${stack.partition}:bedrock:*::foundation-model/${profile[2]}`,
        ];
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources }));
  if (profile !== null) {
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${profile[2]}]`,
      reason: 'A cross-region inference profile routes to this one model in any region of its geography; the region is the only wildcard.',
    });
  }
}
