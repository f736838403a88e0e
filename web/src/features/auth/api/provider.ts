/** How the console signs recruiters in: the local host's token endpoint, or Cognito through aws-amplify. */
export type SignInOutcome = { readonly kind: 'signed-in'; readonly token: string } | { readonly kind: 'new-password-required' };

export interface AuthProvider {
  signIn(username: string, password: string): Promise<SignInOutcome>;
  /** Cognito's first sign-in of an invited recruiter asks for a new password. */
  completeNewPassword(newPassword: string): Promise<SignInOutcome>;
  /** The current ID token, refreshed when the provider can; null once the session is over. */
  currentToken(): Promise<string | null>;
  signOut(): Promise<void>;
}

export class SignInError extends Error {
  override name = 'SignInError';
}
