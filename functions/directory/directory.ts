/**
 * Where recruiters' sign-in accounts live: a Cognito user pool on AWS, the recruiters table itself for the
 * local issuer. The domain creates and (de)activates accounts through this port only; the GraphQL identity
 * check still refuses any caller whose recruiters row is missing or inactive, whatever the directory says.
 */

/** The roles a recruiter can have; on Cognito they are also the group names (infra/aws/constructs/auth.ts). */
export const RECRUITER_ROLES = ['admin', 'recruiter'] as const;
export type RecruiterRole = (typeof RECRUITER_ROLES)[number];

export interface NewDirectoryUser {
  /** Lowercased; the sign-in name. */
  readonly email: string;
  readonly name: string;
  readonly role: RecruiterRole;
}

export interface CreatedDirectoryUser {
  /** The subject id the user's tokens carry (`sub`), stored as recruiters.id. */
  readonly id: string;
  /** The one-time password of the first sign-in: shown to the admin once, never stored in clear. */
  readonly temporaryPassword: string;
  /**
   * For a directory that keeps no passwords itself: the hash the local issuer checks sign-ins against,
   * stored as recruiters.password_hash with the new row. null when the directory keeps the password (Cognito).
   */
  readonly passwordHash: string | null;
}

export interface RecruiterDirectory {
  /**
   * Creates the account. Calling it again for an email whose account was created but never used (the
   * recruiters row failed to be written) answers the same id with a new temporary password.
   */
  createUser(user: NewDirectoryUser): Promise<CreatedDirectoryUser>;
  /** Lets the account sign in again, or stops it from signing in and signs it out everywhere. Idempotent. */
  setEnabled(id: string, enabled: boolean): Promise<void>;
}
