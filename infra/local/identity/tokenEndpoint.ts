import { z } from 'zod';
import type { Queryable } from '../../../functions/data/db.ts';
import { hashPassword, verifyPassword } from '../../../functions/directory/passwords.ts';
import type { IdentityIssuer, TokenSubject } from './issuer.ts';

/**
 * Sign-in for the local host: `POST /auth/token` with `{ "username": email, "password": … }`. HTTP-agnostic:
 * the host parses the JSON body and writes back `{ status, body }`.
 */

// Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
const decoyHash = hashPassword('decoy password for unknown users');

/** The active recruiter with this email (case-insensitive) and password, or null. */
export async function authenticate(db: Queryable, username: string, password: string): Promise<TokenSubject | null> {
  const [recruiter] = await db.query<TokenSubject & { passwordHash: string | null }>(
    `SELECT id, email, name, role, password_hash FROM recruiters WHERE lower(email) = lower(:username) AND active`,
    { username: username.trim() },
  );
  const stored = recruiter?.passwordHash ?? (await decoyHash);
  const matches = await verifyPassword(password, stored);
  if (recruiter === undefined || recruiter.passwordHash === null || !matches) return null;
  return { id: recruiter.id, email: recruiter.email, name: recruiter.name, role: recruiter.role };
}

const tokenRequest = z.object({ username: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

export type TokenResponse =
  | { status: 200; body: { idToken: string; accessToken: string; expiresIn: number; tokenType: 'Bearer' } }
  | { status: 400 | 401; body: { error: string; message: string } };

export async function handleTokenRequest(deps: { db: Queryable; issuer: IdentityIssuer }, body: unknown): Promise<TokenResponse> {
  const parsed = tokenRequest.safeParse(body);
  if (!parsed.success) {
    return { status: 400, body: { error: 'bad_request', message: 'expected a JSON body { "username": string, "password": string }' } };
  }
  const subject = await authenticate(deps.db, parsed.data.username, parsed.data.password);
  if (subject === null) return { status: 401, body: { error: 'invalid_credentials', message: 'wrong username or password' } };
  return { status: 200, body: { ...(await deps.issuer.issueTokens(subject)), tokenType: 'Bearer' } };
}
