import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localCognitoClient, startCognitoEndpoint, type CognitoEndpoint } from '../../infra/local/cognito/server.ts';
import { cognitoRecruiterDirectory } from './cognito.ts';
import type { RecruiterDirectory } from './directory.ts';

/** What the pool's policy (infra/aws/constructs/auth.ts) asks of a password. */
const POOL_POLICY = /^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{12,}$/;

describe('the Cognito recruiter directory, through the official SDK against a local Cognito endpoint', () => {
  let cognito: CognitoEndpoint;
  let client: CognitoIdentityProviderClient;
  let directory: RecruiterDirectory;
  let requestsBefore: number;
  const requestsSince = () => cognito.requests.slice(requestsBefore);

  beforeAll(async () => {
    cognito = await startCognitoEndpoint({ userPoolId: 'ap-south-1_TestPool1' });
    client = localCognitoClient(cognito);
    directory = cognitoRecruiterDirectory({ userPoolId: cognito.userPoolId, client });
  });
  afterAll(async () => {
    client?.destroy();
    await cognito?.close();
  });
  beforeEach(() => {
    requestsBefore = cognito.requests.length;
  });

  it('creates the user by email with a policy-conforming temporary password, Cognito e-mailing the invitation, and puts it in its group', async () => {
    const created = await directory.createUser({ email: 'rosa@agency.example', name: 'Rosa Reclutadora', role: 'recruiter' });

    const user = cognito.user('rosa@agency.example')!;
    expect(created).toEqual({ id: user.sub, temporaryPassword: expect.stringMatching(POOL_POLICY), passwordHash: null });
    expect(requestsSince()).toEqual([
      {
        operation: 'AdminCreateUser',
        body: {
          UserPoolId: 'ap-south-1_TestPool1',
          Username: 'rosa@agency.example',
          UserAttributes: [
            { Name: 'email', Value: 'rosa@agency.example' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: 'Rosa Reclutadora' },
          ],
          TemporaryPassword: created.temporaryPassword,
          DesiredDeliveryMediums: ['EMAIL'],
        },
      },
      { operation: 'AdminAddUserToGroup', body: { UserPoolId: 'ap-south-1_TestPool1', Username: user.sub, GroupName: 'recruiter' } },
    ]);
    expect(user).toMatchObject({ status: 'FORCE_CHANGE_PASSWORD', enabled: true, groups: ['recruiter'], invitations: [created.temporaryPassword] });
  });

  it('puts admins in the admin group, and gives every user a different password', async () => {
    const first = await directory.createUser({ email: 'alba@agency.example', name: 'Alba Admin', role: 'admin' });
    const second = await directory.createUser({ email: 'bruno@agency.example', name: 'Bruno Admin', role: 'admin' });

    expect(cognito.user('alba@agency.example')!.groups).toEqual(['admin']);
    expect(first.id).not.toBe(second.id);
    expect(first.temporaryPassword).not.toBe(second.temporaryPassword);
  });

  it('disables the account and signs it out everywhere, and enables it again, naming the user by its sub', async () => {
    const { id } = await directory.createUser({ email: 'dario@agency.example', name: 'Darío', role: 'recruiter' });
    requestsBefore = cognito.requests.length;

    await directory.setEnabled(id, false);
    expect(cognito.user('dario@agency.example')).toMatchObject({ enabled: false, globalSignOuts: 1 });
    await directory.setEnabled(id, true);
    expect(cognito.user('dario@agency.example')).toMatchObject({ enabled: true, globalSignOuts: 1 });

    const target = { UserPoolId: 'ap-south-1_TestPool1', Username: id };
    expect(requestsSince()).toEqual([
      { operation: 'AdminDisableUser', body: target },
      { operation: 'AdminUserGlobalSignOut', body: target },
      { operation: 'AdminEnableUser', body: target },
    ]);
  });

  it('takes over an account that was created but never used, re-inviting it with a new password', async () => {
    const first = await directory.createUser({ email: 'eva@agency.example', name: 'Eva', role: 'recruiter' });
    requestsBefore = cognito.requests.length;

    const again = await directory.createUser({ email: 'eva@agency.example', name: 'Eva', role: 'recruiter' });

    expect(again.id).toBe(first.id);
    expect(again.temporaryPassword).not.toBe(first.temporaryPassword);
    expect(requestsSince().map((request) => [request.operation, request.body.MessageAction])).toEqual([
      ['AdminCreateUser', undefined],
      ['AdminCreateUser', 'RESEND'],
      ['AdminAddUserToGroup', undefined],
    ]);
    expect(cognito.user('eva@agency.example')).toMatchObject({
      temporaryPassword: again.temporaryPassword,
      groups: ['recruiter'],
      invitations: [first.temporaryPassword, again.temporaryPassword],
    });
  });

  it('refuses, as a conflict, an email whose account has already been used, changing nothing', async () => {
    await directory.createUser({ email: 'fabio@agency.example', name: 'Fabio', role: 'recruiter' });
    cognito.completeFirstSignIn('fabio@agency.example');
    const before = cognito.user('fabio@agency.example');
    requestsBefore = cognito.requests.length;

    await expect(directory.createUser({ email: 'fabio@agency.example', name: 'Fabio', role: 'admin' })).rejects.toMatchObject({
      name: 'Conflict',
      message: expect.stringContaining('already has an account'),
    });
    expect(requestsSince().map((request) => request.operation)).toEqual(['AdminCreateUser', 'AdminCreateUser']);
    expect(cognito.user('fabio@agency.example')).toEqual(before);
  });

  it('lets other Cognito errors through as the SDK raises them', async () => {
    const elsewhere = cognitoRecruiterDirectory({ userPoolId: 'ap-south-1_OtherPool', client });
    await expect(elsewhere.setEnabled('6f1d2c3b-4a5e-4f60-8a71-b82c93d4e5f6', false)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
