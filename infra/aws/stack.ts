import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CLIENT_ERRORS_METRIC } from '../../functions/graphql/errorMetrics.ts';
import { FORM_WEBHOOK_PATH } from '../../functions/forms/http.ts';
import { WEBHOOK_PATHS } from '../../functions/webhooks/routes.ts';
import { dataSources } from '../../resolvers/manifest.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { Data } from './constructs/data.ts';
import { grantObjects, Ingest } from './constructs/ingest.ts';
import { Observability } from './constructs/observability.ts';
import { ProjectFunction } from './constructs/projectFunction.ts';
import { FormSecrets, ProviderSecrets } from './constructs/secrets.ts';
import { Storage } from './constructs/storage.ts';

export type Stage = 'development' | 'production';

export interface WasaPrecruitStackProps extends StackProps {
  /** Development stacks can be destroyed whole; anything else keeps its data (deletion protection, retained stores). */
  readonly stage: Stage;
  readonly alarmEmail?: string;
  /** Where the console is served (PUBLIC_URL): form links sent to aspirants start with it. */
  readonly publicUrl?: string;
  readonly database: { readonly minCapacity: number; readonly maxCapacity: number };
  /** The Bedrock model the bot uses (BEDROCK_MODEL_ID); without it the bot answers by its local rules. */
  readonly bedrockModelId?: string;
}

/**
 * The whole backend in one stack: recruiters sign in with Cognito and use the AppSync API; WhatsApp arrives
 * through the webhook ingest (a WAF-guarded API -> webhook Lambda -> SQS -> processor, which also runs the
 * bot); everything reads and writes Aurora through the Data API and keeps media in S3.
 */
export class WasaPrecruitStack extends Stack {
  constructor(scope: Construct, id: string, props: WasaPrecruitStackProps) {
    super(scope, id, props);
    const removalPolicy = props.stage === 'development' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const auth = new Auth(this, 'Auth', { removalPolicy });
    const data = new Data(this, 'Data', { removalPolicy, ...props.database });
    const storage = new Storage(this, 'Storage', { removalPolicy });
    const secrets = new ProviderSecrets(this, 'Secrets', { removalPolicy });
    const formSecrets = new FormSecrets(this, 'FormSecrets', { removalPolicy });

    const graphql = new ProjectFunction(this, 'Graphql', {
      entry: dataSources.graphql.entry,
      description: 'The GraphQL resolvers AppSync invokes directly',
      serviceName: 'graphql',
      // AppSync abandons a resolver after 30 s.
      timeout: Duration.seconds(30),
      environment: {
        // Recruiters send aspirants form links, which this function signs.
        FORM_LINK_SECRET_ARN: formSecrets.link.secretArn,
        ...(props.publicUrl === undefined ? {} : { PUBLIC_URL: props.publicUrl }),
      },
      removalPolicy,
    });
    data.connect(graphql.function);
    formSecrets.link.grantRead(graphql.function);
    // Admins create and (de)activate recruiters' accounts through it.
    auth.grantRecruiterAdministration(graphql.function);

    const api = new Api(this, 'Api', { userPool: auth.userPool, lambdaDataSources: { graphql: graphql.function }, removalPolicy });
    api.grantPublish(graphql.function);

    const ingest = new Ingest(this, 'Ingest', {
      connectData: (fn) => data.connect(fn),
      grantPublish: (fn) => api.grantPublish(fn),
      providerSecrets: secrets,
      formSecrets,
      files: storage.files,
      publicUrl: props.publicUrl,
      bedrockModelId: props.bedrockModelId,
      removalPolicy,
    });
    // Presigned media URLs, the knowledge base's documents; mutations' jobs (a recruiter's message) go to SQS at once.
    graphql.function.addEnvironment('S3_BUCKET', storage.files.bucketName);
    graphql.function.addEnvironment('JOBS_QUEUE_URL', ingest.jobs.queueUrl);
    // Deleting media: an aspirant's erasure (functions/domain/aspirantData.ts).
    grantObjects(storage.files, graphql.function, { read: ['media/', 'knowledge/'], write: ['knowledge/'], delete: ['media/', 'knowledge/'] });
    ingest.jobs.grantSendMessages(graphql.function);

    const observability = new Observability(this, 'Observability', { alarmEmail: props.alarmEmail });
    observability.watchFunction(graphql.function, 'Graphql', {
      p95: Duration.seconds(3),
      expectedErrors: graphql.powertoolsMetric(CLIENT_ERRORS_METRIC),
    });
    observability.watchApi(api.graphqlApi, { p95: Duration.seconds(3) });
    observability.watchFunction(ingest.webhook.function, 'Webhook', { p95: Duration.seconds(2) });
    observability.watchFunction(ingest.processor.function, 'Processor', { p95: Duration.seconds(20) });
    observability.watchDeadLetterQueue(ingest.deadLetters, 'JobDeadLetters');

    // What the console build (amplify.yml) and the operator (README.md, "Deploy to AWS") need.
    const outputs: Record<string, string> = {
      GraphqlUrl: api.graphqlApi.graphqlUrl,
      Region: this.region,
      UserPoolId: auth.userPool.userPoolId,
      UserPoolClientId: auth.consoleClient.userPoolClientId,
      DatabaseClusterArn: data.cluster.clusterArn,
      DatabaseSecretArn: data.cluster.secret!.secretArn,
      FilesBucketName: storage.files.bucketName,
      TwilioSecretArn: secrets.twilio.secretArn,
      MetaSecretArn: secrets.meta.secretArn,
      // Where the console's Amplify rewrite sends /api/<*> (README.md, "The console on Amplify Hosting").
      WebhookApiBaseUrl: ingest.webhookBaseUrl,
      // The URLs to paste into Twilio and Meta (README.md, "The webhook URLs").
      TwilioIncomingMessageUrl: `${ingest.webhookBaseUrl}${WEBHOOK_PATHS.twilioMessages}`,
      TwilioStatusCallbackUrl: `${ingest.webhookBaseUrl}${WEBHOOK_PATHS.twilioStatus}`,
      MetaWebhookUrl: `${ingest.webhookBaseUrl}${WEBHOOK_PATHS.meta}`,
      // For an external form tool: the URL it posts to and the secret it signs with (README.md, "The form webhook").
      FormWebhookUrl: `${ingest.webhookBaseUrl}${FORM_WEBHOOK_PATH}`,
      FormWebhookSecretArn: formSecrets.webhook.secretArn,
      JobsQueueUrl: ingest.jobs.queueUrl,
      JobDeadLettersQueueUrl: ingest.deadLetters.queueUrl,
      AlarmTopicArn: observability.alarmTopic.topicArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
