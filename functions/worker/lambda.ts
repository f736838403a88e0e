import { Metrics } from '@aws-lambda-powertools/metrics';
import { publicWebhookUrl } from '../channels/provider.ts';
import { relayAfterCommit } from '../jobs/relayAfterCommit.ts';
import { createSqsJobHandler } from '../jobs/sqs.ts';
import { openLlmProvider } from '../llm/open.ts';
import { jobsQueue, lambdaBlobStore, lambdaDb, lambdaServices, withSecrets } from '../shared/lambdaRuntime.ts';
import { powertoolsMetrics, withInvocationMetrics } from '../shared/powertoolsMetrics.ts';
import { WEBHOOK_PATHS } from '../webhooks/routes.ts';
import { channelProviders } from './channels.ts';
import { createJobHandlers } from './handlers.ts';

/**
 * The job processor on AWS — sends, media downloads and the bot's turns: the SQS event source runs it with
 * batches of job messages and it reports partial batch failures, so only the failed jobs return to the queue
 * (SQS retries, then dead-letters them). Built once per cold start: the Data API, the providers' credentials
 * from Secrets Manager, media on S3, the bot's model (LLM_PROVIDER, Bedrock on AWS when the stack names a
 * model). Jobs that a job enqueues are relayed to SQS when it commits. Metrics as EMF: MessagesOut, BotLatency,
 * and Errors for each failed job of a batch.
 */
const config = await withSecrets(process.env);
const relay = relayAfterCommit(lambdaDb(config), jobsQueue(config));
const blobStore = lambdaBlobStore(config);
const metrics = new Metrics();

export const handler = relay.relaying(
  withInvocationMetrics(
    createSqsJobHandler(
      createJobHandlers({
        services: lambdaServices(config, relay.db, blobStore, powertoolsMetrics(metrics)),
        providers: channelProviders(config),
        blobStore,
        statusCallbackUrl: publicWebhookUrl(config.webhookBaseUrl, WEBHOOK_PATHS.twilioStatus),
        outboundRatePerSecond: config.outboundRatePerSecond,
        bot: config.botEnabled ? { llm: openLlmProvider(config.llm) } : null,
      }),
    ),
    metrics,
    { failuresIn: (response) => response.batchItemFailures.length },
  ),
);
