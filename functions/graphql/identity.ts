import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import type { Caller } from '../domain/access.ts';
import { findRecruiter } from '../domain/recruiters.ts';
import { RejectedIdentityError } from '../shared/errors.ts';

const cognitoIdentity = z.object({
  sub: z.string(),
  groups: z.array(z.string()).nullish(),
  claims: z.object({ 'cognito:groups': z.array(z.string()).optional() }).nullish(),
});

/**
 * The caller behind an AppSync Cognito identity: a member of the "admin" or "recruiter" group whose sub is
 * the id of an active recruiters row (the local issuer signs recruiter ids as subs; on AWS the Cognito sub
 * is stored as the recruiter id). The group decides the role, as it does in the subscription filters.
 */
export async function callerFromIdentity(db: Queryable, identity: unknown): Promise<Caller> {
  const parsed = cognitoIdentity.safeParse(identity);
  if (!parsed.success) throw new RejectedIdentityError('a signed-in recruiter is required');
  const groups = parsed.data.groups ?? parsed.data.claims?.['cognito:groups'] ?? [];
  const role = groups.includes('admin') ? 'admin' : groups.includes('recruiter') ? 'recruiter' : null;
  if (role === null) throw new RejectedIdentityError('only admins and recruiters may use this API');
  const recruiter = z.guid().safeParse(parsed.data.sub).success ? await findRecruiter(db, parsed.data.sub) : null;
  if (recruiter === null || !recruiter.active) throw new RejectedIdentityError('no active recruiter matches this identity');
  return { id: recruiter.id, role, recruiter };
}
