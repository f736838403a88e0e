import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { Kind, parse } from 'graphql';
import { publishDocuments } from '../../../functions/live/publisher.ts';
import { bindings, dataSources, type DataSourceName } from '../../../resolvers/manifest.ts';
import { repoPath } from '../paths.ts';
import { acknowledgeInvokeGrant } from './projectFunction.ts';

/** The manifest's data sources that are Lambda functions (the stack builds each from its `entry`). */
export type LambdaDataSourceName = {
  [Name in DataSourceName]: (typeof dataSources)[Name]['kind'] extends 'lambda' ? Name : never;
}[DataSourceName];

export interface ApiProps {
  readonly userPool: cognito.IUserPool;
  readonly lambdaDataSources: Readonly<Record<LambdaDataSourceName, lambda.IFunction>>;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The AppSync API: schema/schema.graphql as the contract (AppSync knows its own scalars and directives),
 * Cognito for recruiters and IAM for the backend's publish mutations, and one resolver per binding of
 * resolvers/manifest.ts, the same manifest the local host serves.
 */
export class Api extends Construct {
  readonly graphqlApi: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.graphqlApi = new appsync.GraphqlApi(this, 'GraphqlApi', {
      name: 'wasaprecruit',
      definition: appsync.Definition.fromFile(repoPath('schema/schema.graphql')),
      authorizationConfig: {
        defaultAuthorization: { authorizationType: appsync.AuthorizationType.USER_POOL, userPoolConfig: { userPool: props.userPool } },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      xrayEnabled: true,
      queryDepthLimit: 10,
    });
    this.enableFieldLogging(props.removalPolicy);

    const sources = this.createDataSources(props.lambdaDataSources);
    const bundles = new Map<string, string>();
    const bundled = (file: string) => {
      if (!bundles.has(file)) bundles.set(file, bundleAppsyncJs(file));
      return bundles.get(file)!;
    };
    for (const binding of bindings) {
      const code = binding.code === undefined ? undefined : bundled(binding.code);
      this.graphqlApi.createResolver(`${binding.typeName}${capitalize(binding.fieldName)}Resolver`, {
        typeName: binding.typeName,
        fieldName: binding.fieldName,
        dataSource: sources[binding.dataSource],
        // Without code on a Lambda data source AppSync invokes the function directly with the whole resolver event.
        ...(code === undefined ? {} : { runtime: appsync.FunctionRuntime.JS_1_0_0, code: appsync.Code.fromInline(code) }),
      });
    }
  }

  /**
   * Field-level logging of errors into a log group made here with its retention. The L2 `logConfig` would add a
   * log-retention Lambda and a role with a managed policy that may write to every log group; this role writes to
   * this group only.
   */
  private enableFieldLogging(removalPolicy: RemovalPolicy): void {
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.graphqlApi.apiId}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const loggingRole = new iam.Role(this, 'LoggingRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    logGroup.grantWrite(loggingRole);
    const cfnApi = this.graphqlApi.node.defaultChild as appsync.CfnGraphQLApi;
    // Errors only and without request/response content: resolvers handle phone numbers, messages and minors' data.
    cfnApi.logConfig = { cloudWatchLogsRoleArn: loggingRole.roleArn, fieldLogLevel: appsync.FieldLogLevel.ERROR, excludeVerboseContent: true };
    Validations.of(cfnApi).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason: 'Field-level error logging is on; verbose content (arguments, identity, results) is excluded because it carries personal data.',
    });
  }

  /** Lets a backend function call the publish mutations the live publisher sends (functions/live/publisher.ts). */
  grantPublish(fn: lambda.Function): void {
    this.graphqlApi.grantMutation(fn, ...publishMutationNames());
    fn.addEnvironment('APPSYNC_GRAPHQL_URL', this.graphqlApi.graphqlUrl);
  }

  private createDataSources(functions: ApiProps['lambdaDataSources']): Record<DataSourceName, appsync.BaseDataSource> {
    const created = {} as Record<DataSourceName, appsync.BaseDataSource>;
    for (const name of Object.keys(dataSources) as DataSourceName[]) {
      if (!isLambdaSource(name)) {
        created[name] = this.graphqlApi.addNoneDataSource(name);
      } else {
        const lambdaSource = this.graphqlApi.addLambdaDataSource(name, functions[name]);
        acknowledgeInvokeGrant(lambdaSource, functions[name]);
        created[name] = lambdaSource;
      }
    }
    return created;
  }
}

const isLambdaSource = (name: DataSourceName): name is LambdaDataSourceName => dataSources[name].kind === 'lambda';

/** An APPSYNC_JS resolver bundled as AppSync expects: one ESM file, its utils left to the runtime. */
function bundleAppsyncJs(file: string): string {
  const result = buildSync({
    entryPoints: [repoPath(`resolvers/code/${file}`)],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'esnext',
    platform: 'node',
    external: ['@aws-appsync/utils'],
    // Inline source maps make AppSync's error logs point at the TypeScript lines.
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

function publishMutationNames(): string[] {
  return Object.values(publishDocuments).flatMap((document) =>
    parse(document).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION
        ? definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []))
        : [],
    ),
  );
}

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

