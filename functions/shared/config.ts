import { z } from 'zod';
import { assertTimeZone, parseQuietHours } from '../bot/clock.ts';
import { botLanguages } from '../bot/language.ts';
import type { BotSettings } from '../bot/settings.ts';
import { checklistKinds } from '../bot/texts.ts';

/**
 * Every environment variable the project reads, parsed once. Each one is listed in README.md's
 * configuration table with its default; keep the two in step.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A value whose own parser throws RangeError with the reason (time zone, quiet hours) becomes a zod issue. */
const checkedBy = <T>(parse: (text: string) => T) =>
  z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });

export const DEVELOPMENT_SEED_PASSWORD = 'wasaprecruit-demo';

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: z.string().min(1).optional(),
    DATA_API_RESOURCE_ARN: z.string().min(1).optional(),
    DATA_API_SECRET_ARN: z.string().min(1).optional(),
    DATA_API_DATABASE: z.string().min(1).default('wasaprecruit'),
    DATA_API_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().min(1).default('ap-south-1'),
    APPSYNC_GRAPHQL_URL: z.url().optional(),
    USER_POOL_ID: z.string().min(1).optional(),
    SEED_DEMO: booleanFlag.default(true),
    SEED_PASSWORD: z.string().min(8).optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits').optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
    TWILIO_WHATSAPP_FROM: z.string().min(8).optional(),
    TWILIO_API_BASE_URL: z.url().optional(),
    META_APP_SECRET: z.string().min(16).optional(),
    META_VERIFY_TOKEN: z.string().min(8).optional(),
    META_ACCESS_TOKEN: z.string().min(16).optional(),
    META_PHONE_NUMBER_ID: z.string().regex(/^[0-9]+$/).optional(),
    META_GRAPH_BASE_URL: z.url().default('https://graph.facebook.com'),
    META_API_VERSION: z.string().regex(/^v[0-9]+\.[0-9]+$/).default('v23.0'),
    WEBHOOK_BASE_URL: z.url().optional(),
    JOBS_QUEUE_URL: z.url().optional(),
    TWILIO_SECRET_ARN: z.string().min(1).optional(),
    META_SECRET_ARN: z.string().min(1).optional(),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: booleanFlag.default(false),
    MEDIA_URL_SECRET: z.string().min(32).optional(),
    MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(900),
    OUTBOUND_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
    INBOUND_AUTOMATION_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
    STALE_INBOUND_SECONDS: z.coerce.number().int().min(60).default(900),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    BOT_ENABLED: booleanFlag.default(true),
    LLM_PROVIDER: z.enum(['local', 'bedrock']).default('local'),
    BEDROCK_MODEL_ID: z.string().min(1).optional(),
    BEDROCK_ENDPOINT: z.url().optional(),
    AGENCY_TIME_ZONE: checkedBy((zone) => {
      assertTimeZone(zone);
      return zone;
    }).prefault('UTC'),
    QUIET_HOURS: checkedBy(parseQuietHours).prefault('21:00-08:00'),
    BOT_DAILY_MESSAGE_CAP: z.coerce.number().int().min(1).max(100).default(10),
    FORM_REMINDER_DELAY_HOURS: z.coerce.number().positive().max(23).default(4),
    FORM_REMINDER_MAX: z.coerce.number().int().min(0).max(5).default(2),
    PHOTO_CHECKLIST: z
      .string()
      .default(checklistKinds.join(','))
      .transform((list) => list.split(',').map((kind) => kind.trim()).filter(Boolean))
      .pipe(z.array(z.enum(checklistKinds)).min(1).refine((kinds) => new Set(kinds).size === kinds.length, 'each photo kind once')),
    BOT_DEFAULT_LANGUAGE: z.enum(botLanguages).default('es'),
    FORM_LINK_SECRET: z.string().min(32).optional(),
    FORM_LINK_TTL_DAYS: z.coerce.number().positive().max(90).default(14),
    FORM_WEBHOOK_SECRET: z.string().min(16).optional(),
    FORM_LINK_SECRET_ARN: z.string().min(1).optional(),
    FORM_WEBHOOK_SECRET_ARN: z.string().min(1).optional(),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SEED_DEMO && env.SEED_PASSWORD === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_PASSWORD'],
        message: 'the development seed password is refused when NODE_ENV=production: set SEED_PASSWORD or SEED_DEMO=false',
      });
    }
    if (env.LLM_PROVIDER === 'bedrock' && env.BEDROCK_MODEL_ID === undefined) {
      ctx.addIssue({ code: 'custom', path: ['BEDROCK_MODEL_ID'], message: 'required when LLM_PROVIDER=bedrock' });
    }
    if (env.NODE_ENV === 'production' && env.SEED_PASSWORD === DEVELOPMENT_SEED_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['SEED_PASSWORD'], message: 'the development seed password is refused when NODE_ENV=production' });
    }
    return {
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      /** Where the providers call the webhooks: PUBLIC_URL locally, the webhook API's URL on AWS. */
      webhookBaseUrl: (env.WEBHOOK_BASE_URL ?? env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      dataDir: env.DATA_DIR,
      databaseUrl: env.DATABASE_URL,
      dataApi:
        env.DATA_API_RESOURCE_ARN && env.DATA_API_SECRET_ARN
          ? {
              resourceArn: env.DATA_API_RESOURCE_ARN,
              secretArn: env.DATA_API_SECRET_ARN,
              database: env.DATA_API_DATABASE,
              endpoint: env.DATA_API_ENDPOINT,
              region: env.AWS_REGION,
            }
          : undefined,
      awsRegion: env.AWS_REGION,
      appsyncGraphqlUrl: env.APPSYNC_GRAPHQL_URL,
      /** The Cognito user pool recruiters' accounts are created in; unset, the local issuer's accounts (functions/directory). */
      userPoolId: env.USER_POOL_ID,
      seedDemo: env.SEED_DEMO,
      seedPassword: env.SEED_PASSWORD ?? DEVELOPMENT_SEED_PASSWORD,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      twilio:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_WHATSAPP_FROM
          ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_WHATSAPP_FROM, apiBaseUrl: env.TWILIO_API_BASE_URL }
          : undefined,
      meta:
        env.META_APP_SECRET && env.META_VERIFY_TOKEN && env.META_ACCESS_TOKEN && env.META_PHONE_NUMBER_ID
          ? {
              appSecret: env.META_APP_SECRET,
              verifyToken: env.META_VERIFY_TOKEN,
              accessToken: env.META_ACCESS_TOKEN,
              phoneNumberId: env.META_PHONE_NUMBER_ID,
              graphBaseUrl: env.META_GRAPH_BASE_URL,
              apiVersion: env.META_API_VERSION,
            }
          : undefined,
      jobsQueueUrl: env.JOBS_QUEUE_URL,
      providerSecretArns: { twilio: env.TWILIO_SECRET_ARN, meta: env.META_SECRET_ARN },
      blobs: {
        s3Bucket: env.S3_BUCKET,
        s3Endpoint: env.S3_ENDPOINT,
        s3ForcePathStyle: env.S3_FORCE_PATH_STYLE,
        mediaUrlSecret: env.MEDIA_URL_SECRET,
        mediaUrlTtlSeconds: env.MEDIA_URL_TTL_SECONDS,
      },
      outboundRatePerSecond: env.OUTBOUND_RATE_PER_SECOND,
      inboundAutomationLimitPerMinute: env.INBOUND_AUTOMATION_LIMIT_PER_MINUTE,
      staleInboundSeconds: env.STALE_INBOUND_SECONDS,
      workerConcurrency: env.WORKER_CONCURRENCY,
      /** BOT_ENABLED=false: the bot's events are acknowledged and ignored; recruiters handle every conversation. */
      botEnabled: env.BOT_ENABLED,
      llm: {
        provider: env.LLM_PROVIDER,
        bedrock: env.BEDROCK_MODEL_ID
          ? { modelId: env.BEDROCK_MODEL_ID, region: env.AWS_REGION, ...(env.BEDROCK_ENDPOINT ? { endpoint: env.BEDROCK_ENDPOINT } : {}) }
          : undefined,
      },
      bot: {
        timeZone: env.AGENCY_TIME_ZONE,
        quietHours: env.QUIET_HOURS,
        dailyMessageCap: env.BOT_DAILY_MESSAGE_CAP,
        formReminderDelayHours: env.FORM_REMINDER_DELAY_HOURS,
        maxFormReminders: env.FORM_REMINDER_MAX,
        photoChecklist: env.PHOTO_CHECKLIST,
        defaultLanguage: env.BOT_DEFAULT_LANGUAGE,
      } satisfies BotSettings,
      forms: {
        /** FORM_LINK_SECRET; the local host generates one under DATA_DIR when unset (AWS sets it). */
        linkSecret: env.FORM_LINK_SECRET,
        linkTtlDays: env.FORM_LINK_TTL_DAYS,
        /** FORM_WEBHOOK_SECRET; unset: every POST /webhooks/form is refused as unsigned. */
        webhookSecret: env.FORM_WEBHOOK_SECRET,
        /** On AWS the secrets above are read from Secrets Manager at cold start (lambdaRuntime.ts `withSecrets`). */
        secretArns: { link: env.FORM_LINK_SECRET_ARN, webhook: env.FORM_WEBHOOK_SECRET_ARN },
      },
    };
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment; the error names every offending variable. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration — ${problems.join('; ')}`);
  }
  return result.data;
}

let processConfig: Config | undefined;

/** The process's configuration, parsed from process.env on first use. */
export function config(): Config {
  processConfig ??= parseConfig(process.env);
  return processConfig;
}
