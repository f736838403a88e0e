import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Config } from '../shared/config.ts';
import { cognitoRecruiterDirectory } from './cognito.ts';
import type { RecruiterDirectory } from './directory.ts';
import { localRecruiterDirectory } from './local.ts';

/** The Cognito user pool USER_POOL_ID names (set by the AWS stack), else the local issuer's accounts. */
export function openRecruiterDirectory(config: Pick<Config, 'userPoolId' | 'awsRegion'>): RecruiterDirectory {
  if (config.userPoolId === undefined) return localRecruiterDirectory;
  return cognitoRecruiterDirectory({ userPoolId: config.userPoolId, client: new CognitoIdentityProviderClient({ region: config.awsRegion }) });
}
