import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoIdentity, resolverEvent } from '../../functions/graphql/testing/events.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { bindings, dataSources } from '../../resolvers/manifest.ts';
import { startDataApiEndpoint, type DataApiEndpoint } from '../local/dataApi/server.ts';
import { ContextError, defineApp } from './defineApp.ts';
import { repoPath } from './paths.ts';
import type { WasaPrecruitStack } from './stack.ts';

const ONE_MEGABYTE = 1024 * 1024;
const run = promisify(execFile);
const cdkJsonContext = (JSON.parse(readFileSync(new URL('./cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;
const outdirs: string[] = [];

/** Synthesizes the app as `cdk synth` does, from cdk.json's context plus `context`, into a scratch directory. */
function synthesize(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'wasaprecruit-cdk-'));
  outdirs.push(outdir);
  // Asset and path metadata (each Lambda's bundle directory and construct path), as the CLI asks for them.
  const cliContext = { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true };
  const app = new App({ outdir, context: { ...cdkJsonContext, ...context, ...cliContext } });
  const stack = defineApp(app);
  return { outdir, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }>;
const resourcesOf = (template: Template, type: string) => Object.values(template.findResources(type) as Resources);

/** Replaces CloudFormation intrinsics (values known only at deploy) by a placeholder URL, valid for any config variable. */
const withPlaceholders = (variables: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : 'https://placeholder.invalid/graphql']));

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('the production stack', () => {
  let outdir: string;
  let stack: WasaPrecruitStack;
  let template: Template;

  beforeAll(() => {
    ({ outdir, stack, template } = synthesize());
  });

  it('synthesizes without AWS credentials or lookups, in the region from context', () => {
    expect(stack.stackName).toBe('WasaPrecruit-production');
    expect(stack.region).toBe('ap-south-1');
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding, nor any CDK warning or error', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.resourceLogicalId}: ${violation.description}`),
    );

    expect(findings).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  describe('auth', () => {
    it('is an admin-only Cognito user pool with a strong password policy, optional TOTP MFA and threat protection', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      });
    });

    it('has the admin and recruiter groups and a secretless SRP client for the console', () => {
      const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').map((group) => group.Properties.GroupName);
      expect(groups.sort()).toEqual(['admin', 'recruiter']);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ClientName: 'console',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      });
    });
  });

  describe('data', () => {
    it('is an encrypted Aurora PostgreSQL Serverless v2 cluster with the Data API, 7-day backups and deletion protection', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        EngineVersion: Match.stringLikeRegexp('^16\\.'),
        EnableHttpEndpoint: true,
        StorageEncrypted: true,
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        DatabaseName: 'wasaprecruit',
        ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 4 },
        MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])] },
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', Engine: 'aurora-postgresql' });
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot' });
    });

    it('applies the migrations on deploy, again only when a migration file changes', () => {
      const migrations = template.findResources('Custom::Migrations') as Resources;
      const [migration] = Object.values(migrations);
      expect(Object.keys(migrations)).toHaveLength(1);
      expect(migration!.Properties.migrationsHash).toMatch(/^[0-9a-f]{64}$/);
      expect((migration as unknown as { DependsOn: string[] }).DependsOn).toEqual(
        expect.arrayContaining([expect.stringMatching(/^DataClusterWriter/)]),
      );
    });

    it('ships every migration file inside the migrations Lambda bundle', () => {
      const [migrate] = resourcesOf(template, 'AWS::Lambda::Function').filter((fn) => fn.Metadata?.['aws:cdk:path']?.includes('/Data/Migrate/'));
      const bundled = readdirSync(join(outdir, migrate!.Metadata!['aws:asset:path']!, 'migrations'));
      const sources = readdirSync(repoPath('functions/data/migrations')).filter((file) => file.endsWith('.sql'));

      expect(bundled.sort()).toEqual(sources.sort());
    });
  });

  describe('storage', () => {
    it('keeps files private, encrypted, versioned and TLS-only, moving media to Glacier after 90 days', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'media/', Status: 'Enabled', Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] }),
          ]),
        },
      });
      const policies = resourcesOf(template, 'AWS::S3::BucketPolicy');
      expect(policies).toHaveLength(2);
      for (const policy of policies) {
        expect(policy.Properties.PolicyDocument).toMatchObject({
          Statement: expect.arrayContaining([
            expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        });
      }
    });
  });

  describe('api', () => {
    it('serves schema.graphql alone (AppSync has its own scalars) with Cognito by default and IAM, X-Ray and field logging', () => {
      template.hasResourceProperties('AWS::AppSync::GraphQLSchema', { Definition: readFileSync(repoPath('schema/schema.graphql'), 'utf8') });
      template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
        AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
        AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
        XrayEnabled: true,
        LogConfig: { FieldLogLevel: 'ERROR', CloudWatchLogsRoleArn: Match.anyValue(), ExcludeVerboseContent: true },
      });
    });

    it('creates exactly one resolver per manifest binding, direct Lambda or APPSYNC_JS as bound', () => {
      const resolvers = resourcesOf(template, 'AWS::AppSync::Resolver').map((resolver) => resolver.Properties);
      const expected = bindings.map((binding) =>
        binding.code === undefined
          ? { TypeName: binding.typeName, FieldName: binding.fieldName, Kind: 'UNIT', DataSourceName: binding.dataSource }
          : {
              TypeName: binding.typeName,
              FieldName: binding.fieldName,
              Kind: 'UNIT',
              DataSourceName: binding.dataSource,
              Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
              Code: expect.stringContaining('export'),
            },
      );

      expect(resolvers).toHaveLength(bindings.length);
      expect(resolvers.map(({ ApiId: _apiId, ...rest }) => rest)).toEqual(expect.arrayContaining(expected));
      for (const resolver of resolvers) {
        expect(resolver.RequestMappingTemplate).toBeUndefined();
        if (resolver.Code !== undefined) expect(resolver.Code).not.toMatch(/from\s*["']\.\.?\//); // bundled: no relative imports left
      }
    });

    it("creates the manifest's data sources: a Lambda source per Lambda, a NONE source per none", () => {
      const sources = resourcesOf(template, 'AWS::AppSync::DataSource').map((source) => [source.Properties.Name, source.Properties.Type]);
      const expected = Object.entries(dataSources).map(([name, source]) => [name, source.kind === 'lambda' ? 'AWS_LAMBDA' : 'NONE']);

      expect(sources.sort()).toEqual(expected.sort());
    });

    it('lets the GraphQL Lambda call exactly the publish mutations its publisher sends', () => {
      const appsyncStatements = resourcesOf(template, 'AWS::IAM::Policy')
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('GraphqlRole'))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement)
        .filter((statement) => statement.Action === 'appsync:GraphQL');

      expect(appsyncStatements).toHaveLength(1);
      const resources = JSON.stringify(appsyncStatements[0]!.Resource);
      expect(resources.match(/types\/Mutation\/fields\/publish\w+/g)?.sort()).toEqual(
        ['publishAspirantEvent', 'publishConversationEvent', 'publishMessageEvent'].map((field) => `types/Mutation/fields/${field}`),
      );
    });
  });

  describe('lambdas', () => {
    const projectFunctions = () =>
      resourcesOf(template, 'AWS::Lambda::Function').filter((fn) => fn.Metadata?.['aws:asset:is-bundled'] === (true as unknown as string));

    it('run Node 20 on ARM with X-Ray, JSON logs and source maps', () => {
      expect(projectFunctions()).toHaveLength(2);
      for (const fn of projectFunctions()) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs20.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON' },
          Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_METRICS_NAMESPACE: 'WasaPrecruit' }) },
        });
      }
    });

    it("get environments the functions' configuration accepts, with the Data API and (GraphQL) AppSync set", () => {
      for (const fn of projectFunctions()) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        const config = parseConfig({ ...withPlaceholders(variables), AWS_REGION: 'ap-south-1' });
        expect(config.dataApi).toMatchObject({ database: 'wasaprecruit' });
        if (fn.Metadata?.['aws:cdk:path']?.startsWith('WasaPrecruit-production/Graphql/')) expect(config.appsyncGraphqlUrl).toBeDefined();
      }
    });

    it('are bundled under 1 MB each (minified, source maps aside)', () => {
      const sizes = resourcesOf(template, 'AWS::Lambda::Function').map((fn) => {
        const directory = join(outdir, fn.Metadata!['aws:asset:path']!);
        const bytes = readdirSync(directory)
          .filter((file) => /\.(m?js|cjs)$/.test(file))
          .reduce((total, file) => total + statSync(join(directory, file)).size, 0);
        return { function: fn.Metadata!['aws:cdk:path']!.replace(/\/Resource$/, ''), bytes };
      });
      console.table(sizes.map((size) => ({ function: size.function, kilobytes: Math.round(size.bytes / 1024) })));

      expect(sizes).toHaveLength(3);
      for (const size of sizes) expect(size.bytes, size.function).toBeLessThan(ONE_MEGABYTE);
    });
  });

  describe.skipIf(process.env.TEST_DATABASE_URL === undefined)('bundles, run as Lambda runs them', () => {
    const databaseName = `wasaprecruit_bundles_${randomUUID().replaceAll('-', '')}`;
    let admin: pg.Client;
    let dataApi: DataApiEndpoint;

    /** Imports a bundle in a fresh Node process with only the function's environment, and invokes its handler once. */
    async function invokeBundle(pathFragment: string, event: unknown): Promise<unknown> {
      const [fn] = resourcesOf(template, 'AWS::Lambda::Function').filter((resource) => resource.Metadata?.['aws:cdk:path']?.includes(pathFragment));
      const variables = withPlaceholders((fn!.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
      const script = `const { handler } = await import('./index.mjs');
        const result = await handler(JSON.parse(process.env.TEST_EVENT)).catch((error) => ({ thrown: error.name }));
        process.stdout.write('\\nRESULT ' + JSON.stringify(result ?? null));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '--enable-source-maps', '-e', script], {
        cwd: join(outdir, fn!.Metadata!['aws:asset:path']!),
        env: {
          ...variables,
          PATH: process.env.PATH,
          AWS_REGION: 'ap-south-1',
          AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
          AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
          DATA_API_DATABASE: databaseName,
          DATA_API_ENDPOINT: dataApi.url,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          NODE_NO_WARNINGS: '1',
          TEST_EVENT: JSON.stringify(event),
        },
      });
      return JSON.parse(stdout.slice(stdout.lastIndexOf('RESULT ') + 'RESULT '.length)) as unknown;
    }

    const databaseUrl = () => Object.assign(new URL(process.env.TEST_DATABASE_URL!), { pathname: `/${databaseName}` }).toString();
    async function queryDatabase(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
      const client = new pg.Client({ connectionString: databaseUrl() });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${databaseName}`);
      dataApi = await startDataApiEndpoint({ connectionString: databaseUrl() });
      // The Lambda runtime provides the AWS SDK (left out of the bundles); here the repository's copy stands in.
      symlinkSync(repoPath('node_modules'), join(outdir, 'node_modules'));
    });

    afterAll(async () => {
      await dataApi?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    });

    it('the migrations bundle applies the migration files it ships, through the Data API', async () => {
      const response = await invokeBundle('/Data/Migrate/', { RequestType: 'Create', ResourceProperties: {} });

      expect(response).toMatchObject({ Data: { applied: expect.stringContaining('0001_foundation') } });
      const recorded = await queryDatabase('SELECT version FROM schema_migrations ORDER BY version');
      expect(recorded.map((row) => row.version)).toEqual(readdirSync(repoPath('functions/data/migrations')).filter((file) => file.endsWith('.sql')).map((file) => file.slice(0, -4)).sort());
    });

    it('the GraphQL bundle resolves a query through the Data API', async () => {
      const recruiterId = randomUUID();
      await queryDatabase(`INSERT INTO recruiters (id, email, name, role) VALUES ($1, 'rita@agency.example', 'Rita', 'recruiter')`, [recruiterId]);

      const me = await invokeBundle('/Graphql/', resolverEvent('Query.me', { identity: cognitoIdentity({ id: recruiterId }), selection: 'id name' }));
      const stranger = await invokeBundle('/Graphql/', resolverEvent('Query.me', { identity: cognitoIdentity({ id: randomUUID() }), selection: 'id' }));

      expect(me).toMatchObject({ id: recruiterId, name: 'Rita' });
      expect(stranger).toEqual({ thrown: 'Unauthorized' });
    });
  });

  describe('secrets', () => {
    it('creates the Twilio and Meta secrets without granting them to anything yet', () => {
      const secrets = template.findResources('AWS::SecretsManager::Secret') as Resources;
      const providerSecretIds = Object.keys(secrets).filter((id) => /^Secrets(Twilio|Meta)/.test(id));
      expect(providerSecretIds).toHaveLength(2);
      const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      for (const id of providerSecretIds) expect(policies).not.toContain(id);
    });
  });

  describe('observability', () => {
    it('keeps every log group 30 days', () => {
      const retentions = resourcesOf(template, 'AWS::Logs::LogGroup').map((group) => group.Properties.RetentionInDays);
      expect(retentions.length).toBeGreaterThanOrEqual(5);
      expect(new Set(retentions)).toEqual(new Set([30]));
    });

    it('alarms to the topic on error rate above 5% over 5 minutes and on p95 latency, for the GraphQL Lambda and the API', () => {
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map((alarm) => alarm.Properties);
      const errorRates = alarms.filter((alarm) => alarm.Metrics !== undefined);
      const latencies = alarms.filter((alarm) => alarm.ExtendedStatistic === 'p95');

      expect(errorRates).toHaveLength(2);
      for (const alarm of errorRates) {
        expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
        expect(JSON.stringify(alarm.Metrics)).toContain('"Period":300');
      }
      expect(latencies.map((alarm) => alarm.Namespace).sort()).toEqual(['AWS/AppSync', 'AWS/Lambda']);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ObservabilityAlarms/) }]);
    });

    it("leaves the resolvers' deliberate errors (Powertools ClientErrors metric) out of the Lambda error rate", () => {
      const [lambdaErrorRate] = resourcesOf(template, 'AWS::CloudWatch::Alarm').filter((alarm) => JSON.stringify(alarm.Properties.Metrics ?? '').includes('AWS/Lambda'));

      expect(lambdaErrorRate!.Properties.Metrics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Expression: 'IF(invocations > 0, 100 * (errors - FILL(expected, 0)) / invocations, 0)' }),
          expect.objectContaining({
            Id: 'expected',
            MetricStat: expect.objectContaining({
              Metric: { Namespace: 'WasaPrecruit', MetricName: 'ClientErrors', Dimensions: [{ Name: 'service', Value: 'graphql' }] },
            }),
          }),
        ]),
      );
    });
  });

  it('outputs what the console build and the operator need', () => {
    for (const output of ['GraphqlUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'TwilioSecretArn', 'MetaSecretArn', 'DatabaseClusterArn', 'DatabaseSecretArn']) {
      template.hasOutput(output, Match.anyValue());
    }
  });
});

describe('a development stack', () => {
  it('can be destroyed whole: no deletion protection, nothing retained', () => {
    const { stack, template } = synthesize({ stage: 'development', publicUrl: 'https://dev.example.com' });

    expect(stack.stackName).toBe('WasaPrecruit-development');
    template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    for (const type of ['AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(template.findResources(type))) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_URL: 'https://dev.example.com' }) },
    });
  });
});

describe('the CDK context', () => {
  it.each([
    [{ stage: 'staging' }, /stage/],
    [{ region: 'mumbai' }, /region: an AWS region/],
    [{ dbMinCapacity: '8', dbMaxCapacity: '4' }, /dbMinCapacity: must not exceed dbMaxCapacity/],
    [{ dbMaxCapacity: '1.3' }, /dbMaxCapacity/],
    [{ alarmEmail: 'ops-at-agency' }, /alarmEmail/],
  ])('rejects %o with an error naming the key, defining nothing', (context, message) => {
    const app = new App({ context });

    expect(() => defineApp(app)).toThrow(ContextError);
    expect(() => defineApp(app)).toThrow(message);
    expect(app.node.children).toHaveLength(0);
  });
});
