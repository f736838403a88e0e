import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RECRUITER_ROLES } from '../../../functions/directory/directory.ts';

/** The Cognito groups the schema and the resolvers authorize by: one per recruiter role, named after it. */
export const RECRUITER_GROUPS = RECRUITER_ROLES;

/** What the GraphQL function does to accounts when admins manage recruiters (functions/directory/cognito.ts). */
export const RECRUITER_ADMINISTRATION_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

export interface AuthProps {
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Recruiters sign in to the console with Cognito. Admins create every account (no self sign-up); the group
 * decides what a recruiter may see. MFA is optional so an agency can onboard before everyone has an
 * authenticator app.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly consoleClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus adds threat protection (compromised credentials, risky sign-ins) for a few cents per recruiter a month.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional by product decision (recruiters enrol TOTP themselves); threat protection is enforced meanwhile.',
    });

    for (const group of RECRUITER_GROUPS) {
      this.userPool.addGroup(`${group}Group`, { groupName: group, description: `WasaPrecruit ${group}s` });
    }

    // The console is a browser app: no client secret, SRP sign-in only.
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }

  /** Lets `fn` create recruiters' accounts and (de)activate them in this pool (USER_POOL_ID), nothing more. */
  grantRecruiterAdministration(fn: lambda.Function): void {
    this.userPool.grant(fn, ...RECRUITER_ADMINISTRATION_ACTIONS);
    fn.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
  }
}
