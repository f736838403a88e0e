import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { WasaPrecruitStack } from './stack.ts';

/** Deploy-time choices, from cdk.json's context or `-c key=value` (which arrive as strings). */
const contextSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-south-1').default('ap-south-1'),
    stage: z.enum(['development', 'production']).default('production'),
    alarmEmail: z.email().optional(),
    publicUrl: z.url().optional(),
    // Aurora Serverless v2 capacity moves in steps of 0.5 ACU.
    dbMinCapacity: z.coerce.number().multipleOf(0.5).min(0).max(256).default(0),
    dbMaxCapacity: z.coerce.number().multipleOf(0.5).min(1).max(256).default(4),
    bedrockModelId: z.string().regex(/^[a-z0-9][a-z0-9.:-]{2,199}$/, 'a Bedrock model or inference profile id such as apac.anthropic.claude-3-haiku-20240307-v1:0').optional(),
  })
  .refine((context) => context.dbMinCapacity <= context.dbMaxCapacity, { path: ['dbMinCapacity'], message: 'must not exceed dbMaxCapacity' });

export class ContextError extends Error {
  override name = 'ContextError';
}

/** Adds the WasaPrecruit stack for the app's context to `app`, with cdk-nag's AwsSolutions checks run at synth. */
export function defineApp(app: App): WasaPrecruitStack {
  const keys = Object.keys(contextSchema.shape);
  const parsed = contextSchema.safeParse(Object.fromEntries(keys.map((key) => [key, app.node.tryGetContext(key)])));
  if (!parsed.success) {
    throw new ContextError(`invalid CDK context — ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const context = parsed.data;

  const stack = new WasaPrecruitStack(app, `WasaPrecruit-${context.stage}`, {
    description: `WasaPrecruit backend (${context.stage})`,
    // The account comes from the CLI's credentials when there are any; synth needs none, since nothing is looked up.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: context.region },
    stage: context.stage,
    alarmEmail: context.alarmEmail,
    publicUrl: context.publicUrl,
    database: { minCapacity: context.dbMinCapacity, maxCapacity: context.dbMaxCapacity },
    bedrockModelId: context.bedrockModelId,
  });
  Tags.of(stack).add('project', 'wasaprecruit');
  Tags.of(stack).add('stage', context.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
