import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { repoPath } from '../paths.ts';
import { acknowledgeInvokeGrant, ProjectFunction } from './projectFunction.ts';

const MIGRATIONS_FOLDER = 'functions/data/migrations';
/** DATA_API_DATABASE's default in functions/shared/config.ts. */
export const DATABASE_NAME = 'wasaprecruit';

export interface DataProps {
  readonly removalPolicy: RemovalPolicy;
  /** Aurora capacity units; 0 lets the cluster pause when idle (it resumes in about 15 s on the next query). */
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/**
 * Aurora PostgreSQL Serverless v2, reached only through the RDS Data API: the Lambdas stay out of the VPC
 * (no NAT gateway, no connection pool to manage) and the cluster has no network path in at all. Every
 * deploy applies the pending migrations through a custom resource.
 */
export class Data extends Construct {
  readonly cluster: rds.DatabaseCluster;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // Nothing but the cluster lives here; restricting the default group would add a custom-resource Lambda for no gain.
      restrictDefaultSecurityGroup: false,
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: props.removalPolicy }),
          ),
        },
      },
    });

    const retained = props.removalPolicy !== RemovalPolicy.DESTROY;
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      writer: rds.ClusterInstance.serverlessV2('Writer', { autoMinorVersionUpgrade: true }),
      serverlessV2MinCapacity: props.minCapacity,
      serverlessV2MaxCapacity: props.maxCapacity,
      enableDataApi: true,
      credentials: rds.Credentials.fromGeneratedSecret('wasaprecruit_admin'),
      defaultDatabaseName: DATABASE_NAME,
      storageEncrypted: true,
      iamAuthentication: true,
      backup: { retention: Duration.days(7) },
      deletionProtection: retained,
      removalPolicy: retained ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotation needs a Lambda inside the VPC plus a Secrets Manager endpoint or NAT; the cluster has no network path in and is reached only through the Data API with IAM.',
    });

    if (!retained) {
      Validations.of(this.cluster).acknowledge({ id: 'AwsSolutions-RDS10', reason: 'A development stack is meant to be destroyed whole, its database with it.' });
    }

    this.applyMigrationsOnDeploy(props.removalPolicy);
  }

  /** Lets a function query through the Data API and tells it where (functions/shared/config.ts reads these). */
  connect(fn: lambda.Function): void {
    this.cluster.grantDataApiAccess(fn);
    fn.addEnvironment('DATA_API_RESOURCE_ARN', this.cluster.clusterArn);
    fn.addEnvironment('DATA_API_SECRET_ARN', this.cluster.secret!.secretArn);
    fn.addEnvironment('DATA_API_DATABASE', DATABASE_NAME);
  }

  private applyMigrationsOnDeploy(removalPolicy: RemovalPolicy): void {
    const migrator = new ProjectFunction(this, 'Migrate', {
      entry: 'functions/migrate/handler.ts',
      description: 'Applies the pending SQL migrations through the Data API on deploy',
      serviceName: 'migrate',
      bundledFolders: [MIGRATIONS_FOLDER],
      // A paused cluster takes a few seconds to resume before the first statement runs.
      timeout: Duration.minutes(5),
      removalPolicy,
    });
    this.connect(migrator.function);

    const provider = new Provider(this, 'MigrationsProvider', {
      onEventHandler: migrator.function,
      logGroup: new logs.LogGroup(this, 'MigrationsProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
    });
    const migrations = new CustomResource(this, 'Migrations', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::Migrations',
      // Changes only when a migration file does, so a deploy without new migrations skips the call.
      properties: { migrationsHash: hashMigrations() },
    });
    migrations.node.addDependency(this.cluster);

    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "The CDK provider framework's own Lambda: aws-cdk-lib builds its role; it only relays CloudFormation events.",
    });
    acknowledgeInvokeGrant(provider, migrator.function);
  }
}

function hashMigrations(): string {
  const folder = repoPath(MIGRATIONS_FOLDER);
  const hash = createHash('sha256');
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.sql')).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(folder, file))).update('\0');
  }
  return hash.digest('hex');
}
