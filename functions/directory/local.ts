import { randomUUID } from 'node:crypto';
import type { RecruiterDirectory } from './directory.ts';
import { hashPassword } from './passwords.ts';
import { generateTemporaryPassword } from './temporaryPassword.ts';

/**
 * The directory of the local host, whose token issuer (infra/local/identity) signs recruiters in against
 * their own row: the account is the row's password_hash and active flag, both written by the domain in the
 * transaction that creates or (de)activates the recruiter. So creating an account only mints an id and a
 * password, and there is nothing more to switch off: the issuer refuses inactive recruiters at sign-in, and
 * tokens it already issued are refused on every call by the GraphQL identity check.
 */
export const localRecruiterDirectory: RecruiterDirectory = {
  async createUser() {
    const temporaryPassword = generateTemporaryPassword();
    return { id: randomUUID(), temporaryPassword, passwordHash: await hashPassword(temporaryPassword) };
  },
  async setEnabled() {},
};
