import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  UnsupportedUserStateException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError } from '../shared/errors.ts';
import type { NewDirectoryUser, RecruiterDirectory } from './directory.ts';
import { generateTemporaryPassword } from './temporaryPassword.ts';

export interface CognitoDirectoryOptions {
  /** USER_POOL_ID: the pool recruiters sign in to (its sign-in name is the email, infra/aws/constructs/auth.ts). */
  readonly userPoolId: string;
  readonly client: CognitoIdentityProviderClient;
}

/**
 * Recruiters' accounts in the Cognito user pool. The pool signs in by email, so a user's Cognito username is
 * its `sub`, which every later call names the user by; that sub is also the recruiter's id. The IAM policy
 * of the GraphQL function allows exactly the five operations used here (infra/aws/constructs/auth.ts).
 */
export function cognitoRecruiterDirectory({ userPoolId, client }: CognitoDirectoryOptions): RecruiterDirectory {
  return {
    async createUser(user) {
      const temporaryPassword = generateTemporaryPassword();
      const created = await createOrReinvite(client, userPoolId, user, temporaryPassword);
      const id = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      if (id === undefined) throw new Error('Cognito answered AdminCreateUser without the new user’s sub');
      // Adding a member twice is no error in Cognito, so a re-invited user simply stays in the group.
      await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: id, GroupName: user.role }));
      return { id, temporaryPassword, passwordHash: null };
    },

    async setEnabled(id, enabled) {
      if (enabled) {
        await client.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: id }));
        return;
      }
      // Disabled first, so no new session can start; then the refresh tokens of every device are revoked.
      await client.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: id }));
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: id }));
    },
  };
}

/**
 * A new user with our temporary password; Cognito e-mails the invitation (MessageAction left at its default).
 * When the email already has a user that never signed in (a previous attempt created it, then failed to
 * write the recruiters row) the invitation is sent again with the new password and that user is taken over;
 * a user who already signed in is someone else's account, refused as a conflict.
 */
async function createOrReinvite(client: CognitoIdentityProviderClient, userPoolId: string, user: NewDirectoryUser, temporaryPassword: string) {
  const invitation: AdminCreateUserCommandInput = {
    UserPoolId: userPoolId,
    Username: user.email,
    TemporaryPassword: temporaryPassword,
    DesiredDeliveryMediums: ['EMAIL'],
  };
  try {
    return await client.send(
      new AdminCreateUserCommand({
        ...invitation,
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: user.name },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  try {
    return await client.send(new AdminCreateUserCommand({ ...invitation, MessageAction: 'RESEND' }));
  } catch (error) {
    if (error instanceof UnsupportedUserStateException) {
      throw new ConflictError('input.email: this email already has an account in the user pool that has been used; remove it there first');
    }
    throw error;
  }
}
