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
