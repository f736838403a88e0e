import { z } from 'zod';

/**
 * Every environment variable the project reads, parsed once. Each one is listed in README.md's
 * configuration table with its default; keep the two in step.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

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
    S3_BUCKET: z.string().min(3).optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: booleanFlag.default(false),
    MEDIA_URL_SECRET: z.string().min(32).optional(),
    MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(604_800).default(900),
    OUTBOUND_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(80),
    INBOUND_AUTOMATION_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(20),
    STALE_INBOUND_SECONDS: z.coerce.number().int().min(60).default(900),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.SEED_DEMO && env.SEED_PASSWORD === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_PASSWORD'],
        message: 'the development seed password is refused when NODE_ENV=production: set SEED_PASSWORD or SEED_DEMO=false',
      });
    }
    if (env.NODE_ENV === 'production' && env.SEED_PASSWORD === DEVELOPMENT_SEED_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['SEED_PASSWORD'], message: 'the development seed password is refused when NODE_ENV=production' });
    }
    return {
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
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
