import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { App, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoIdentity, resolverEvent } from '../../functions/graphql/testing/events.ts';
import { parseConfig } from '../../functions/shared/config.ts';
import { SQS_MAX_RECEIVE_COUNT } from '../../functions/jobs/sqsDeadLetters.ts';
import { FORM_API_PATH, FORM_WEBHOOK_PATH, formRoutes, type FormRouteDeps } from '../../functions/forms/http.ts';
import { signFormLinkToken } from '../../functions/forms/tokens.ts';
import { FORM_WEBHOOK_SIGNATURE_HEADER, signFormWebhook } from '../../functions/forms/webhook.ts';
import { WEBHOOK_PATHS, webhookRoutes, type WebhookDeps } from '../../functions/webhooks/routes.ts';
import { bindings, dataSources } from '../../resolvers/manifest.ts';
import { appSyncAnswer, startFakeAppSync, verifySigV4, type FakeAppSync } from '../../functions/live/testing/fakeAppSync.ts';
import { startCognitoEndpoint, type CognitoEndpoint } from '../local/cognito/server.ts';
import { startDataApiEndpoint, type DataApiEndpoint } from '../local/dataApi/server.ts';
import { signedTwilioWebhook, twilioInboundParams, twilioSid } from '../local/providers/twilioWebhooks.ts';
import { startSqsEndpoint, type SqsEndpoint } from '../local/sqs/server.ts';
import { RECRUITER_ADMINISTRATION_ACTIONS } from './constructs/auth.ts';
import { WEBHOOK_RATE_LIMIT_PER_5_MINUTES } from './constructs/ingest.ts';
import { ContextError, defineApp } from './defineApp.ts';
import { repoPath } from './paths.ts';
import { startSecretsManagerEndpoint, type SecretsManagerEndpoint } from './testing/secretsManager.ts';
import type { WasaPrecruitStack } from './stack.ts';

const ONE_MEGABYTE = 1024 * 1024;
/** The credentials the bundles run with (Lambda injects the role's). */
const BUNDLE_SECRET_ACCESS_KEY = 'bundle-test-secret';
const TWILIO = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'f00dfeedf00dfeedf00dfeedf00dfeed', sender: '+14155238886' };
const TWILIO_SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:SecretsTwilio-abc123';
const META_SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:SecretsMeta-def456';

const FORM_LINK_SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:FormSecretsLink-ghi789';
const FORM_WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:FormSecretsWebhook-jkl012';
const FORM_LINK_SECRET = 'generated-form-link-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const FORM_WEBHOOK_SECRET = 'generated-form-webhook-secret-0123456789abcdef';

/**
 * A request as API Gateway's REST API hands it to a Lambda proxy integration (payload format 1.0); `route` is
 * the resource's path template and its parameters' values when the path has any.
 */
function restApiEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | null,
  route: { resource: string; pathParameters: Record<string, string> } = { resource: path, pathParameters: {} },
): APIGatewayProxyEvent {
  return {
    resource: route.resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(route.pathParameters).length > 0 ? route.pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: { sourceIp: '54.172.60.1', userAgent: 'TwilioProxy/1.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/live${path}`,
      stage: 'live',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: route.resource,
    },
  };
}
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

    it("lets the GraphQL Lambda, and no other, create and (de)activate accounts in the pool it names as USER_POOL_ID, with exactly the operations it calls", () => {
      const [userPoolId] = Object.keys(template.findResources('AWS::Cognito::UserPool'));
      const cognitoGrants = resourcesOf(template, 'AWS::IAM::Policy').flatMap((policy) =>
        (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement.filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')),
        ).map((statement) => ({ roles: JSON.stringify(policy.Properties.Roles), ...statement })),
      );

      expect(cognitoGrants).toHaveLength(1);
      expect(cognitoGrants[0]!.roles).toContain('GraphqlRole');
      expect([cognitoGrants[0]!.Action].flat().sort()).toEqual([...RECRUITER_ADMINISTRATION_ACTIONS].sort());
      expect(cognitoGrants[0]!.Resource).toEqual({ 'Fn::GetAtt': [userPoolId, 'Arn'] });
      const withPoolId = resourcesOf(template, 'AWS::Lambda::Function').filter(
        (fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.USER_POOL_ID !== undefined,
      );
      expect(withPoolId.map((fn) => fn.Metadata?.['aws:cdk:path'])).toEqual([expect.stringContaining('/Graphql/')]);
      expect((withPoolId[0]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables.USER_POOL_ID).toEqual({ Ref: userPoolId });
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
        ['publishAspirantErasure', 'publishAspirantEvent', 'publishConversationEvent', 'publishMessageEvent'].map((field) => `types/Mutation/fields/${field}`),
      );
    });
  });

  describe('lambdas', () => {
    const projectFunctions = () =>
      resourcesOf(template, 'AWS::Lambda::Function').filter((fn) => fn.Metadata?.['aws:asset:is-bundled'] === (true as unknown as string));

    it('run Node 20 on ARM with X-Ray, JSON logs and source maps', () => {
      expect(projectFunctions()).toHaveLength(6);
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

      expect(sizes).toHaveLength(7);
      for (const size of sizes) expect(size.bytes, size.function).toBeLessThan(ONE_MEGABYTE);
    });
  });

  describe.skipIf(process.env.TEST_DATABASE_URL === undefined)('bundles, run as Lambda runs them', () => {
    const databaseName = `wasaprecruit_bundles_${randomUUID().replaceAll('-', '')}`;
    let admin: pg.Client;
    let dataApi: DataApiEndpoint;
    let sqsEndpoint: SqsEndpoint;
    let sqsClient: SQSClient;
    let jobsQueueUrl: string;
    let appsync: FakeAppSync;
    let secretsManager: SecretsManagerEndpoint;
    let cognito: CognitoEndpoint;

    /** Imports a bundle in a fresh Node process with only the function's environment, and invokes its handler once. */
    async function invokeBundle(pathFragment: string, event: unknown, environment: Record<string, string> = {}): Promise<unknown> {
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
          AWS_SECRET_ACCESS_KEY: BUNDLE_SECRET_ACCESS_KEY,
          DATA_API_DATABASE: databaseName,
          DATA_API_ENDPOINT: dataApi.url,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          NODE_NO_WARNINGS: '1',
          TEST_EVENT: JSON.stringify(event),
          ...environment,
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
      sqsEndpoint = await startSqsEndpoint();
      sqsClient = new SQSClient({ region: 'ap-south-1', endpoint: sqsEndpoint.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      jobsQueueUrl = (await sqsClient.send(new CreateQueueCommand({ QueueName: 'jobs' }))).QueueUrl!;
      appsync = await startFakeAppSync({ secretAccessKey: BUNDLE_SECRET_ACCESS_KEY, answer: appSyncAnswer({}) });
      secretsManager = await startSecretsManagerEndpoint({
        [TWILIO_SECRET_ARN]: JSON.stringify({ accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, senderNumber: `whatsapp:${TWILIO.sender}` }),
        // Not filled in yet: Meta stays unconfigured.
        [META_SECRET_ARN]: JSON.stringify({ appSecret: '', accessToken: '', phoneNumberId: '', verifyToken: 'generated-verify-token-0123456789' }),
        [FORM_LINK_SECRET_ARN]: FORM_LINK_SECRET,
        [FORM_WEBHOOK_SECRET_ARN]: FORM_WEBHOOK_SECRET,
      });
      cognito = await startCognitoEndpoint();
    });

    afterAll(async () => {
      sqsClient?.destroy();
      await Promise.all([sqsEndpoint?.close(), appsync?.close(), secretsManager?.close(), cognito?.close()]);
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

      const environment = { FORM_LINK_SECRET_ARN, AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url };

      const me = await invokeBundle('/Graphql/', resolverEvent('Query.me', { identity: cognitoIdentity({ id: recruiterId }), selection: 'id name' }), environment);
      const stranger = await invokeBundle('/Graphql/', resolverEvent('Query.me', { identity: cognitoIdentity({ id: randomUUID() }), selection: 'id' }), environment);

      expect(me).toMatchObject({ id: recruiterId, name: 'Rita' });
      expect(stranger).toEqual({ thrown: 'UnauthorizedException' });
    });

    it("the GraphQL bundle creates a recruiter's account in the Cognito user pool and stores them under its sub", async () => {
      const adminId = randomUUID();
      await queryDatabase(`INSERT INTO recruiters (id, email, name, role) VALUES ($1, 'alma@agency.example', 'Alma', 'admin')`, [adminId]);
      const environment = {
        FORM_LINK_SECRET_ARN,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
        USER_POOL_ID: cognito.userPoolId,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
      };
      const event = resolverEvent('Mutation.createRecruiter', {
        identity: cognitoIdentity({ id: adminId, groups: ['admin'] }),
        arguments: { input: { email: 'bea@agency.example', name: 'Bea', role: 'RECRUITER' } },
        selection: 'recruiter { id email } temporaryPassword',
      });

      const created = (await invokeBundle('/Graphql/', event, environment)) as { recruiter: { id: string }; temporaryPassword: string };

      const user = cognito.user('bea@agency.example')!;
      expect(created).toMatchObject({ recruiter: { id: user.sub, email: 'bea@agency.example' }, temporaryPassword: user.temporaryPassword });
      expect(user.groups).toEqual(['recruiter']);
      expect(await queryDatabase('SELECT role, password_hash FROM recruiters WHERE id = $1', [user.sub])).toEqual([{ role: 'recruiter', password_hash: null }]);
    });

    it('the webhook bundle stores a signed Twilio webhook, publishes it through AppSync and relays its jobs to SQS', async () => {
      const webhookBaseUrl = 'https://abc123defg.execute-api.ap-south-1.amazonaws.com/live';
      const environment = {
        WEBHOOK_BASE_URL: webhookBaseUrl,
        JOBS_QUEUE_URL: jobsQueueUrl,
        APPSYNC_GRAPHQL_URL: appsync.url,
        TWILIO_SECRET_ARN,
        META_SECRET_ARN,
        FORM_LINK_SECRET_ARN,
        FORM_WEBHOOK_SECRET_ARN,
        AWS_ENDPOINT_URL_SQS: sqsEndpoint.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      };
      const messageSid = twilioSid('MM');
      const params = twilioInboundParams({
        accountSid: TWILIO.accountSid,
        from: '+919812345678',
        to: TWILIO.sender,
        body: 'Hola, quiero aplicar',
        profileName: 'Asha',
        messageSid,
        media: [{ url: `https://api.twilio.com/2010-04-01/Accounts/${TWILIO.accountSid}/Messages/${messageSid}/Media/${twilioSid('ME')}`, contentType: 'image/jpeg' }],
      });
      const signed = signedTwilioWebhook(TWILIO.authToken, `${webhookBaseUrl}${WEBHOOK_PATHS.twilioMessages}`, params);

      const forged = await invokeBundle('/Ingest/Webhook/', restApiEvent('POST', WEBHOOK_PATHS.twilioMessages, { ...signed.headers, 'x-twilio-signature': 'AAAA' }, signed.body), environment);
      const answer = await invokeBundle('/Ingest/Webhook/', restApiEvent('POST', WEBHOOK_PATHS.twilioMessages, signed.headers, signed.body), environment);
      const metaHandshake = await invokeBundle('/Ingest/Webhook/', restApiEvent('GET', WEBHOOK_PATHS.meta, {}, null), environment);

      expect(forged).toMatchObject({ statusCode: 401 });
      expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/xml' } });
      expect(metaHandshake).toMatchObject({ statusCode: 404 });
      expect(secretsManager.requested).toEqual(expect.arrayContaining([TWILIO_SECRET_ARN, META_SECRET_ARN]));
      const [message] = await queryDatabase('SELECT id, body FROM messages WHERE provider_message_id = $1', [messageSid]);
      expect(message).toMatchObject({ body: 'Hola, quiero aplicar' });
      const jobs = await queryDatabase("SELECT id, type, status FROM jobs WHERE type = 'media.fetch'");
      expect(jobs).toEqual([expect.objectContaining({ status: 'sent' })]);
      const received = await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: jobsQueueUrl, MaxNumberOfMessages: 10 }));
      const relayed = (received.Messages ?? []).map((sqsMessage) => JSON.parse(sqsMessage.Body!) as { id: string; type: string });
      expect(relayed).toEqual(expect.arrayContaining([expect.objectContaining({ id: jobs[0]!.id, type: 'media.fetch' })]));
      expect(appsync.received.length).toBeGreaterThan(0);
      for (const request of appsync.received) expect(verifySigV4(request, BUNDLE_SECRET_ACCESS_KEY)).toMatchObject({ service: 'appsync' });
    });

    it('the webhook bundle serves the form API and the form webhook with the form secrets from Secrets Manager', async () => {
      const environment = {
        JOBS_QUEUE_URL: jobsQueueUrl,
        APPSYNC_GRAPHQL_URL: appsync.url,
        TWILIO_SECRET_ARN,
        META_SECRET_ARN,
        FORM_LINK_SECRET_ARN,
        FORM_WEBHOOK_SECRET_ARN,
        AWS_ENDPOINT_URL_SQS: sqsEndpoint.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      };
      const claims = { formLinkId: randomUUID(), aspirantId: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) };
      const openForm = (token: string) =>
        invokeBundle('/Ingest/Webhook/', restApiEvent('GET', `${FORM_API_PATH}/${token}`, {}, null, { resource: `${FORM_API_PATH}/{token}`, pathParameters: { token } }), environment);
      const formWebhook = (headers: Record<string, string>) => invokeBundle('/Ingest/Webhook/', restApiEvent('POST', FORM_WEBHOOK_PATH, headers, '{}'), environment);

      // Signed with the stack's link secret, the token passes verification and only the link is unknown.
      const unknownLink = await openForm(signFormLinkToken(claims, FORM_LINK_SECRET));
      const forgedLink = await openForm(signFormLinkToken(claims, 'another-secret-0123456789abcdefghijklmnop'));
      const signedWebhook = await formWebhook({ [FORM_WEBHOOK_SIGNATURE_HEADER]: signFormWebhook('{}', FORM_WEBHOOK_SECRET) });
      const unsignedWebhook = await formWebhook({});

      expect(unknownLink).toMatchObject({ statusCode: 403, body: expect.stringContaining('"unknown_link"') });
      expect(forgedLink).toMatchObject({ statusCode: 403, body: expect.stringContaining('"bad_signature"') });
      expect(signedWebhook).toMatchObject({ statusCode: 400 });
      expect(unsignedWebhook).toMatchObject({ statusCode: 401 });
    });
  });

  describe('ingest', () => {
    const functionLogicalId = (pathFragment: string) =>
      Object.entries(template.findResources('AWS::Lambda::Function') as Resources).find(([, fn]) => fn.Metadata?.['aws:cdk:path']?.includes(pathFragment))![0];
    type Statement = { Action: string | string[]; Resource: unknown };
    /** Every IAM statement granted to the role whose logical id starts with `rolePrefix`. */
    const statementsOf = (rolePrefix: string): Statement[] =>
      resourcesOf(template, 'AWS::IAM::Policy')
        .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(rolePrefix)))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actionsOf = (statement: Statement) => [statement.Action].flat();

    it('routes every webhook route to the webhook Lambda through a regional REST API', () => {
      const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
      const pathOf = (ref: unknown): string => {
        const id = (ref as { Ref?: string }).Ref;
        if (id === undefined) return '';
        const resource = resources[id]!.Properties;
        return `${pathOf(resource.ParentId)}/${resource.PathPart as string}`;
      };
      const routes = resourcesOf(template, 'AWS::ApiGateway::Method').map((method) => ({
        route: `${method.Properties.HttpMethod as string} ${pathOf(method.Properties.ResourceId)}`,
        integration: method.Properties.Integration as { Type: string; Uri: unknown },
      }));
      const expected = [...webhookRoutes({} as WebhookDeps), ...formRoutes({} as FormRouteDeps)].map((route) => route.routeKey);

      expect(routes.map((route) => route.route).sort()).toEqual(expected.sort());
      expect(expected).toEqual(expect.arrayContaining(Object.values(WEBHOOK_PATHS).map((path) => expect.stringContaining(path))));
      expect(expected).toEqual(expect.arrayContaining([`GET ${FORM_API_PATH}/{token}`, `POST ${FORM_API_PATH}/{token}`, `POST ${FORM_WEBHOOK_PATH}`]));
      for (const { integration } of routes) {
        expect(integration.Type).toBe('AWS_PROXY');
        expect(JSON.stringify(integration.Uri)).toContain(functionLogicalId('/Ingest/Webhook/'));
      }
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'live',
        TracingEnabled: true,
        AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
        MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false })],
      });
    });

    it('puts a WAF web ACL with a per-IP rate-based rule on the API stage', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: [
          Match.objectLike({
            Action: { Block: {} },
            Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: WEBHOOK_RATE_LIMIT_PER_5_MINUTES, EvaluationWindowSec: 300 } },
          }),
        ],
      });
      const [association] = resourcesOf(template, 'AWS::WAFv2::WebACLAssociation');
      const stageId = Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0]!;
      expect(JSON.stringify(association!.Properties.ResourceArn)).toContain(`"Ref":"${stageId}"`);
      expect(association!.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngestWebhookWaf/), 'Arn'] });
    });

    it('queues jobs with a dead-letter queue after five deliveries and a visibility of at least 6x the processor timeout', () => {
      const queues = template.findResources('AWS::SQS::Queue') as Resources;
      const [jobsId, jobs] = Object.entries(queues).find(([id]) => id.startsWith('IngestJobs'))!;
      const [deadLettersId, deadLetters] = Object.entries(queues).find(([id]) => id.startsWith('IngestJobDeadLetters'))!;
      const processorTimeout = resourcesOf(template, 'AWS::Lambda::Function').find((fn) => fn.Metadata?.['aws:cdk:path']?.includes('/Ingest/Processor/'))!.Properties
        .Timeout as number;

      expect(jobs.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] }, maxReceiveCount: SQS_MAX_RECEIVE_COUNT });
      expect(jobs.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * processorTimeout);
      expect(deadLetters.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      for (const queue of [jobs, deadLetters]) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(jobsId).not.toBe(deadLettersId);
    });

    it('runs the processor from the jobs queue and the dead-letter recorder from the dead-letter queue, both reporting partial batch failures', () => {
      const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').map((mapping) => ({
        queue: (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, ''),
        fn: (mapping.Properties.FunctionName as { Ref: string }).Ref,
        responseTypes: mapping.Properties.FunctionResponseTypes,
      }));

      expect(mappings.sort((a, b) => a.queue.localeCompare(b.queue))).toEqual([
        { queue: 'IngestJobDeadLetters', fn: functionLogicalId('/Ingest/DeadLetterRecorder/'), responseTypes: ['ReportBatchItemFailures'] },
        { queue: 'IngestJobs', fn: functionLogicalId('/Ingest/Processor/'), responseTypes: ['ReportBatchItemFailures'] },
      ]);
    });

    it('runs the outbox relay every minute', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionLogicalId('/Ingest/Relay/'), 'Arn'] } })],
      });
    });

    it('grants S3 objects by prefix: the processor writes media, the webhook only reads it, GraphQL presigns and erases it and keeps the knowledge base', () => {
      const s3Grants = (rolePrefix: string) =>
        statementsOf(rolePrefix)
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
          .flatMap((statement) =>
            actionsOf(statement).flatMap((action) => [...JSON.stringify(statement.Resource).matchAll(/\/(\w+)\/\*/g)].map((prefix) => `${action} ${prefix[1]}`)),
          )
          .sort();

      expect(s3Grants('IngestProcessorRole')).toEqual(['s3:DeleteObject media', 's3:GetObject media', 's3:PutObject media']);
      expect(s3Grants('IngestWebhookRole')).toEqual(['s3:GetObject media']);
      expect(s3Grants('GraphqlRole')).toEqual(['s3:DeleteObject knowledge', 's3:DeleteObject media', 's3:GetObject knowledge', 's3:GetObject media', 's3:PutObject knowledge']);
      expect(s3Grants('IngestRelayRole')).toEqual([]);
      expect(s3Grants('IngestDeadLetterRecorderRole')).toEqual([]);
    });

    it('lets the functions that enqueue jobs send to the jobs queue, and gives no function Bedrock unless a model is configured', () => {
      for (const role of ['GraphqlRole', 'IngestWebhookRole', 'IngestProcessorRole', 'IngestRelayRole']) {
        expect(statementsOf(role).some((statement) => actionsOf(statement).includes('sqs:SendMessage')), role).toBe(true);
      }
      expect(statementsOf('IngestDeadLetterRecorderRole').some((statement) => actionsOf(statement).includes('sqs:SendMessage'))).toBe(false);
      expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('bedrock:');
    });
  });

  describe('secrets', () => {
    it('lets only the webhook and processor Lambdas read the Twilio and Meta secrets', () => {
      const secrets = template.findResources('AWS::SecretsManager::Secret') as Resources;
      const providerSecretIds = Object.keys(secrets).filter((id) => /^Secrets(Twilio|Meta)/.test(id));
      expect(providerSecretIds).toHaveLength(2);
      for (const id of providerSecretIds) {
        const readers = resourcesOf(template, 'AWS::IAM::Policy')
          .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes(`"Ref":"${id}"`))
          .flatMap((policy) => (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref));
        expect(readers.sort(), id).toEqual([expect.stringMatching(/^IngestProcessorRole/), expect.stringMatching(/^IngestWebhookRole/)]);
      }
    });

    it('generates the form secrets; the link secret is read by the functions that sign or verify links, the webhook secret by the webhook Lambda alone', () => {
      const secrets = template.findResources('AWS::SecretsManager::Secret') as Resources;
      const secretId = (prefix: string) => {
        const ids = Object.keys(secrets).filter((id) => id.startsWith(prefix));
        expect(ids, prefix).toHaveLength(1);
        return ids[0]!;
      };
      const readersOf = (id: string) =>
        resourcesOf(template, 'AWS::IAM::Policy')
          .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes(`"Ref":"${id}"`))
          .flatMap((policy) => (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref))
          .sort();
      /** The secret each function is told to read, by environment variable. */
      const functionsNaming = (variable: string, id: string) =>
        resourcesOf(template, 'AWS::Lambda::Function')
          .filter((fn) => JSON.stringify((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.[variable]) === JSON.stringify({ Ref: id }))
          .map((fn) => fn.Metadata!['aws:cdk:path']!.split('/').slice(1, -2).join('/'))
          .sort();
      const link = secretId('FormSecretsLink');
      const webhook = secretId('FormSecretsWebhook');

      for (const id of [link, webhook]) expect(secrets[id]!.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
      expect(readersOf(link)).toEqual([expect.stringMatching(/^GraphqlRole/), expect.stringMatching(/^IngestProcessorRole/), expect.stringMatching(/^IngestWebhookRole/)]);
      expect(functionsNaming('FORM_LINK_SECRET_ARN', link)).toEqual(['Graphql', 'Ingest/Processor', 'Ingest/Webhook']);
      expect(readersOf(webhook)).toEqual([expect.stringMatching(/^IngestWebhookRole/)]);
      expect(functionsNaming('FORM_WEBHOOK_SECRET_ARN', webhook)).toEqual(['Ingest/Webhook']);
      // The secrets themselves never appear in an environment.
      for (const fn of resourcesOf(template, 'AWS::Lambda::Function')) {
        expect(Object.keys((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})).not.toEqual(
          expect.arrayContaining([expect.stringMatching(/^FORM_(LINK|WEBHOOK)_SECRET$/)]),
        );
      }
    });
  });

  describe('observability', () => {
    it('keeps every log group 30 days', () => {
      const retentions = resourcesOf(template, 'AWS::Logs::LogGroup').map((group) => group.Properties.RetentionInDays);
      expect(retentions.length).toBeGreaterThanOrEqual(5);
      expect(new Set(retentions)).toEqual(new Set([30]));
    });

    it('alarms to the topic on error rate above 5% over 5 minutes and on p95 latency, for the GraphQL, webhook and processor Lambdas and the API', () => {
      const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map((alarm) => alarm.Properties);
      const errorRates = alarms.filter((alarm) => alarm.Metrics !== undefined);
      const latencies = alarms.filter((alarm) => alarm.ExtendedStatistic === 'p95');

      expect(errorRates).toHaveLength(4);
      for (const alarm of errorRates) {
        expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
        expect(JSON.stringify(alarm.Metrics)).toContain('"Period":300');
      }
      expect(latencies.map((alarm) => alarm.Namespace).sort()).toEqual(['AWS/AppSync', 'AWS/Lambda', 'AWS/Lambda', 'AWS/Lambda']);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ObservabilityAlarms/) }]);
    });

    it('alarms when a job is dead-lettered and while dead letters wait in the queue', () => {
      const queueAlarms = resourcesOf(template, 'AWS::CloudWatch::Alarm')
        .map((alarm) => alarm.Properties)
        .filter((alarm) => alarm.Namespace === 'AWS/SQS');

      expect(queueAlarms.map((alarm) => [alarm.MetricName, alarm.Statistic]).sort()).toEqual([
        ['ApproximateNumberOfMessagesVisible', 'Maximum'],
        ['NumberOfMessagesReceived', 'Sum'],
      ]);
      for (const alarm of queueAlarms) {
        expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Period: 60 });
        expect(alarm.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/^IngestJobDeadLetters/), 'QueueName'] } }]);
      }
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
    for (const output of ['GraphqlUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'TwilioSecretArn', 'MetaSecretArn', 'FormWebhookSecretArn', 'DatabaseClusterArn', 'DatabaseSecretArn']) {
      template.hasOutput(output, Match.anyValue());
    }
    const webhookUrl = (output: string) => JSON.stringify(template.findOutputs(output)[output]!.Value);
    expect(webhookUrl('WebhookApiBaseUrl')).toMatch(/execute-api.*\/live"\]/);
    expect(webhookUrl('TwilioIncomingMessageUrl')).toMatch(/execute-api.*\/live\/webhooks\/twilio\/whatsapp"\]/);
    expect(webhookUrl('TwilioStatusCallbackUrl')).toMatch(/\/live\/webhooks\/twilio\/status"\]/);
    expect(webhookUrl('MetaWebhookUrl')).toMatch(/\/live\/webhooks\/meta\/whatsapp"\]/);
    expect(webhookUrl('FormWebhookUrl')).toMatch(/\/live\/webhooks\/form"\]/);
  });
});

const BEDROCK_PROFILE = 'apac.anthropic.claude-3-haiku-20240307-v1:0';

describe('a development stack', () => {
  it('can be destroyed whole: no deletion protection, nothing retained', () => {
    const { stack, template } = synthesize({ stage: 'development', publicUrl: 'https://dev.example.com', bedrockModelId: BEDROCK_PROFILE });

    expect(stack.stackName).toBe('WasaPrecruit-development');
    template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    for (const type of ['AWS::RDS::DBCluster', 'AWS::S3::Bucket', 'AWS::Cognito::UserPool', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(template.findResources(type))) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_URL: 'https://dev.example.com' }) },
    });

    // With a model configured, the processor (which runs the bot's jobs) may invoke that model and nothing else may.
    const bedrockGrants = resourcesOf(template, 'AWS::IAM::Policy').flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.filter((statement) =>
        JSON.stringify(statement.Action).includes('bedrock:'),
      ).map((statement) => ({ roles: policy.Properties.Roles, action: statement.Action, resources: JSON.stringify(statement.Resource) })),
    );
    expect(bedrockGrants).toEqual([{ roles: [{ Ref: expect.stringMatching(/^IngestProcessorRole/) }], action: 'bedrock:InvokeModel', resources: expect.any(String) }]);
    expect(bedrockGrants[0]!.resources).toContain(`:inference-profile/${BEDROCK_PROFILE}`);
    expect(bedrockGrants[0]!.resources).toContain(':bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LLM_PROVIDER: 'bedrock', BEDROCK_MODEL_ID: BEDROCK_PROFILE }) },
    });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.resourceLogicalId}`))).toEqual([]);
  });
});

describe('the CDK context', () => {
  it.each([
    [{ stage: 'staging' }, /stage/],
    [{ region: 'mumbai' }, /region: an AWS region/],
    [{ dbMinCapacity: '8', dbMaxCapacity: '4' }, /dbMinCapacity: must not exceed dbMaxCapacity/],
    [{ dbMaxCapacity: '1.3' }, /dbMaxCapacity/],
    [{ alarmEmail: 'ops-at-agency' }, /alarmEmail/],
    [{ bedrockModelId: 'Claude 3 Haiku' }, /bedrockModelId: a Bedrock model/],
  ])('rejects %o with an error naming the key, defining nothing', (context, message) => {
    const app = new App({ context });

    expect(() => defineApp(app)).toThrow(ContextError);
    expect(() => defineApp(app)).toThrow(message);
    expect(app.node.children).toHaveLength(0);
  });
});
