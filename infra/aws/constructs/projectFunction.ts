import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { repoPath, repoRoot } from '../paths.ts';

const METRICS_NAMESPACE = 'WasaPrecruit';

export interface ProjectFunctionProps {
  /** The handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Powertools' service name: the `service` key of every log line and the metrics dimension. */
  readonly serviceName: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeout?: Duration;
  /** Default 512 MB. */
  readonly memorySize?: number;
  /** Folders (relative to the repository root) the handler reads at run time, copied next to the bundle under their own name. */
  readonly bundledFolders?: readonly string[];
  /**
   * Packages installed next to the bundle (versions from package-lock.json, for Lambda's Linux on ARM whatever
   * machine synthesizes) instead of bundled: native code esbuild cannot bundle (sharp), and big packages that
   * load their parts lazily at run time, which bundling would load whole at every cold start (twilio, 3 MB).
   */
  readonly installedModules?: readonly string[];
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Every project Lambda: Node 20 on ARM, bundled locally by esbuild (minified ESM with source maps), traced by
 * X-Ray, logging JSON to its own log group kept 30 days, and running as a role that starts with nothing but
 * writing to that log group; callers grant the rest.
 */
export class ProjectFunction extends Construct {
  readonly function: NodejsFunction;
  readonly #serviceName: string;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    this.#serviceName = props.serviceName;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: props.removalPolicy });
    // An explicit role instead of the default one, whose AWSLambdaBasicExecutionRole managed policy writes to every log group.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    const bundledFolders = props.bundledFolders ?? [];
    this.function = new NodejsFunction(this, 'Function', {
      entry: repoPath(props.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: repoPath('package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_20_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_ENV: 'production',
        // The demo seed is for the local host only; on AWS recruiters are created in Cognito (README.md, "Deploy to AWS").
        SEED_DEMO: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      // The AWS SDK v3 and its @smithy packages come with the Lambda runtime and stay out of the bundles
      // (cdk.json's @aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages).
      bundling: {
        format: OutputFormat.ESM,
        target: 'node20',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // ESM output has no `require`; CommonJS dependencies bundled into it still call it for Node built-ins.
        banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        forceDockerBundling: false,
        ...(props.installedModules === undefined
          ? {}
          : { nodeModules: [...props.installedModules], environment: { npm_config_os: 'linux', npm_config_cpu: 'arm64', npm_config_libc: 'glibc' } }),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => bundledFolders.map((folder) => `cp -R "${inputDir}/${folder}" "${outputDir}/"`),
        },
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    const nodeVersionReason = 'The project targets Node.js 20 (package.json engines, CI and the local host run it); the Lambda runtime moves with them.';
    Validations.of(this.function).acknowledge({ id: 'AwsSolutions-L1', reason: nodeVersionReason }, { id: 'CloudFormation-Validate::W2531', reason: nodeVersionReason });
  }

  /** A metric the function emits through Powertools (EMF): Powertools adds the `service` dimension. */
  powertoolsMetric(metricName: string): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: this.#serviceName } });
  }
}

/**
 * aws-cdk-lib grants invoking a function as its ARN and `ARN:*` (its versions and aliases), which cdk-nag flags as
 * a wildcard; the grant stays scoped to that one function.
 */
export function acknowledgeInvokeGrant(grantee: IConstruct, fn: lambda.IFunction): void {
  const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason: `Invoking ${fn.node.path} and its versions only (ARN:*).`,
  });
}
