import type { CognitoConfig } from '../../../config/env.ts';
import { type AuthProvider, SignInError } from './provider.ts';

/**
 * Cognito through aws-amplify, loaded only when a user pool is configured so the local console does not
 * carry it. Amplify keeps and refreshes the tokens; the console uses the ID token, whose cognito:groups
 * claim AppSync's auth directives and the resolvers read.
 */
export async function cognitoProvider(config: CognitoConfig): Promise<AuthProvider> {
  const [{ Amplify }, auth] = await Promise.all([import('aws-amplify'), import('aws-amplify/auth')]);
  Amplify.configure({ Auth: { Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.userPoolClientId } } });

  const currentToken = async (): Promise<string | null> => {
    try {
      const session = await auth.fetchAuthSession();
      return session.tokens?.idToken?.toString() ?? null;
    } catch {
      return null;
    }
  };
  const outcomeOf = async (result: { isSignedIn: boolean; nextStep: { signInStep: string } }) => {
    if (result.isSignedIn) {
      const token = await currentToken();
      if (token === null) throw new SignInError('Signed in, but Cognito issued no ID token.');
      return { kind: 'signed-in', token } as const;
    }
    if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') return { kind: 'new-password-required' } as const;
    throw new SignInError(`Cognito asks for a sign-in step this console does not support (${result.nextStep.signInStep}).`);
  };
  const explain = (error: unknown): never => {
    if (error instanceof SignInError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'NotAuthorizedException' || name === 'UserNotFoundException') throw new SignInError('Wrong email or password.');
    throw new SignInError(error instanceof Error ? error.message : 'Sign-in failed.');
  };

  return {
    async signIn(username, password) {
      // A previous user's session would make Amplify refuse a new sign-in.
      await auth.signOut().catch(() => undefined);
      return auth.signIn({ username, password }).then(outcomeOf, explain);
    },
    async completeNewPassword(newPassword) {
      return auth.confirmSignIn({ challengeResponse: newPassword }).then(outcomeOf, explain);
    },
    currentToken,
    async signOut() {
      await auth.signOut();
    },
  };
}
