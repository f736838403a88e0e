import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3BlobStore } from '../blobs/s3BlobStore.ts';
import type { Db } from '../data/db.ts';
import { openDataApiDb } from '../data/drivers/dataApi.ts';
import { createServices, type Services } from '../domain/services.ts';
import type { FormLinkSettings } from '../forms/links.ts';
import type { SqsQueue } from '../jobs/sqs.ts';
import { AppSyncPublisher } from '../live/appsyncPublisher.ts';
import { ConfigError, parseConfig, type Config } from './config.ts';

/**
 * What the AWS Lambda entries build once per cold start from the environment the stack (infra/aws) gives
 * them. A missing setting stops the cold start with the variable's name. The database is always the Data API
 * here, opened directly rather than through openDb, whose PGlite and node-postgres drivers would add 0.6 MB
 * to every bundle. AWS endpoints are the SDK's defaults; tests point them at local stand-ins with the SDK's
 * own AWS_ENDPOINT_URL_<SERVICE> variables.
 */

function required<T>(value: T | undefined, variables: string): T {
  if (value === undefined) throw new ConfigError(`${variables}: required on AWS`);
  return value;
}

export function lambdaDb(config: Config): Db {
  return openDataApiDb(required(config.dataApi, 'DATA_API_RESOURCE_ARN, DATA_API_SECRET_ARN'));
}

export function lambdaPublisher(config: Config): AppSyncPublisher {
  return new AppSyncPublisher({ url: required(config.appsyncGraphqlUrl, 'APPSYNC_GRAPHQL_URL'), region: config.awsRegion });
}

export function lambdaBlobStore(config: Config): S3BlobStore {
  return new S3BlobStore({ bucket: required(config.blobs.s3Bucket, 'S3_BUCKET'), region: config.awsRegion });
}

/** Presigned S3 GETs for stored media, short-lived (MEDIA_URL_TTL_SECONDS). */
export function presignedMediaUrl(config: Config, blobStore: S3BlobStore): (blobKey: string) => Promise<string> {
  return (blobKey) => blobStore.signedUrl(blobKey, config.blobs.mediaUrlTtlSeconds);
}

export function jobsQueue(config: Config): SqsQueue {
  return { client: new SQSClient({ region: config.awsRegion }), queueUrl: required(config.jobsQueueUrl, 'JOBS_QUEUE_URL') };
}

/** The domain's Services on AWS: the Data API, the AppSync publisher, media on S3 with presigned URLs. */
export function lambdaServices(config: Config, db: Db, blobStore: S3BlobStore): Services {
  return createServices({
    db,
    publisher: lambdaPublisher(config),
    mediaUrl: presignedMediaUrl(config, blobStore),
    formLinks: lazyFormLinks(config),
    bot: config.bot,
    blobs: async () => blobStore,
  });
}

/** Form link settings whose secret is required only when a link is signed (as the GraphQL handler's default). */
function lazyFormLinks(config: Config): FormLinkSettings {
  return {
    get secret() {
      return required(config.forms.linkSecret, 'FORM_LINK_SECRET');
    },
    ttlDays: config.forms.linkTtlDays,
    baseUrl: `${config.publicUrl}/apply`,
  };
}

/**
 * Each provider secret's JSON fields (README.md, "The secrets to set") and the variable each one stands in
 * for, so the secrets are validated exactly like the local host's environment.
 */
const SECRET_FIELDS = {
  twilio: { accountSid: 'TWILIO_ACCOUNT_SID', authToken: 'TWILIO_AUTH_TOKEN', senderNumber: 'TWILIO_WHATSAPP_FROM' },
  meta: { appSecret: 'META_APP_SECRET', accessToken: 'META_ACCESS_TOKEN', phoneNumberId: 'META_PHONE_NUMBER_ID', verifyToken: 'META_VERIFY_TOKEN' },
} as const;

/**
 * `env`'s configuration with the WhatsApp providers' credentials read from Secrets Manager (TWILIO_SECRET_ARN,
 * META_SECRET_ARN). Empty fields count as unset, so a secret not filled in yet leaves its channel unconfigured
 * (its webhooks answer 404). A bad field fails with the secret's and the field's name, never the value; the
 * values are never logged.
 */
export async function withProviderSecrets(
  env: Readonly<Record<string, string | undefined>>,
  client: SecretsManagerClient = new SecretsManagerClient({ region: env.AWS_REGION }),
): Promise<Config> {
  const base = parseConfig(env);
  const variables: Record<string, string> = {};
  const fieldOfVariable = new Map<string, string>();
  for (const provider of ['twilio', 'meta'] as const) {
    const secretArn = base.providerSecretArns[provider];
    if (secretArn === undefined) continue;
    const fields = await readSecretJson(client, secretArn, provider);
    for (const [field, variable] of Object.entries(SECRET_FIELDS[provider])) {
      fieldOfVariable.set(variable, `the ${provider} secret's "${field}"`);
      const value = fields[field];
      if (typeof value === 'string' && value !== '') variables[variable] = value;
    }
  }
  try {
    return parseConfig({ ...env, ...variables });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    let message = error.message;
    for (const [variable, field] of fieldOfVariable) message = message.replaceAll(variable, field);
    throw new ConfigError(message);
  }
}

async function readSecretJson(client: SecretsManagerClient, secretArn: string, provider: string): Promise<Record<string, unknown>> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let fields: unknown;
  try {
    fields = JSON.parse(SecretString ?? '');
  } catch {
    fields = undefined;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new ConfigError(`the ${provider} secret is not a JSON object (README.md, "The secrets to set")`);
  }
  return fields as Record<string, unknown>;
}
