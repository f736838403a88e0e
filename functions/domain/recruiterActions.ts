import { z } from 'zod';
import type { Queryable } from '../data/db.ts';
import type { CreatedRecruiter, Recruiter } from '../generated/graphql.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import { assertAdmin, type Caller } from './access.ts';
import { publishAspirantEvents } from './live.ts';
import { recruiterColumns, type RecruiterRow, toRecruiter } from './recruiters.ts';
import type { Services } from './services.ts';

export const MAX_RECRUITER_NAME_LENGTH = 100;
/** The longest address SMTP can deliver to. */
const MAX_EMAIL_LENGTH = 254;

export const createRecruiterArgs = z.object({
  input: z.object({
    email: z.string().trim().toLowerCase().pipe(z.email().max(MAX_EMAIL_LENGTH)),
    name: z.string().trim().min(1).max(MAX_RECRUITER_NAME_LENGTH),
    role: z.enum(['ADMIN', 'RECRUITER']).transform((role) => (role === 'ADMIN' ? 'admin' : 'recruiter')),
  }),
});

export const setRecruiterActiveArgs = z.object({ id: z.guid(), active: z.boolean() });

/** Any fixed number: the namespace of the per-email advisory locks. */
const RECRUITER_EMAIL_LOCK_NAMESPACE = 5_101;

/**
 * Admins add recruiters and admins: an account in the directory, then the recruiters row keyed by the
 * account's id, with the temporary password returned once. Creations for one email run one after another
 * (an advisory lock), so an email is never taken twice, in the database or in the directory.
 *
 * When the row cannot be written after the directory created the account, the account is left as it is
 * rather than undone: without a row the API refuses it, nobody saw its password (the mutation failed), and
 * creating the recruiter again takes the same account over with a new password (RecruiterDirectory.createUser).
 * Undoing it would need a delete permission the GraphQL function does not otherwise need.
 */
export async function createRecruiter(
  services: Services,
  caller: Caller,
  input: z.output<typeof createRecruiterArgs>['input'],
): Promise<CreatedRecruiter> {
  assertAdmin(caller);
  return services.db.transaction(async (tx) => {
    await tx.query('SELECT true AS locked FROM pg_advisory_xact_lock(:namespace::int, hashtext(:email))', {
      namespace: RECRUITER_EMAIL_LOCK_NAMESPACE,
      email: input.email,
    });
    const [taken] = await tx.query<{ id: string }>('SELECT id FROM recruiters WHERE lower(email) = :email', { email: input.email });
    if (taken !== undefined) throw new ConflictError('input.email: a recruiter with this email already exists (reactivate them instead)');
    const account = await services.directory.createUser(input);
    const [row] = await tx.query<RecruiterRow>(
      `INSERT INTO recruiters (id, email, name, role, password_hash, created_at)
       VALUES (:id::uuid, :email, :name, :role, :passwordHash, :now::timestamptz)
       RETURNING ${recruiterColumns}`,
      { id: account.id, ...input, passwordHash: account.passwordHash, now: services.now() },
    );
    return { recruiter: toRecruiter(row!), temporaryPassword: account.temporaryPassword };
  });
}

/**
 * Admins deactivate and reactivate recruiters. A deactivated recruiter can no longer sign in (the directory
 * disables the account and signs it out everywhere) nor call the API (the identity check reads the row), and
 * their aspirants go back to the unassigned queue; consoles see them move live. Nobody deactivates themselves,
 * so an agency always keeps an admin who can undo it.
 */
export async function setRecruiterActive(
  services: Services,
  caller: Caller,
  { id, active }: z.output<typeof setRecruiterActiveArgs>,
): Promise<Recruiter> {
  assertAdmin(caller);
  if (!active && id === caller.id) throw new BadRequestError('id: you cannot deactivate yourself; another admin can');
  const { recruiter, releasedAspirantIds } = await services.db.transaction(async (tx) => {
    const [row] = await tx.query<RecruiterRow>(`UPDATE recruiters SET active = :active::boolean WHERE id = :id::uuid RETURNING ${recruiterColumns}`, {
      id,
      active,
    });
    if (row === undefined) throw new NotFoundError('recruiter not found');
    const released = active ? [] : await releaseAspirants(tx, id, services.now());
    // The directory last: when it fails the rows roll back, and a repeat (every step is idempotent) finishes the job.
    await services.directory.setEnabled(id, active);
    return { recruiter: toRecruiter(row), releasedAspirantIds: released };
  });
  for (const aspirantId of releasedAspirantIds) await publishAspirantEvents(services, aspirantId, id);
  return recruiter;
}

/** Returns the recruiter's aspirants to the unassigned queue; answers their ids. */
async function releaseAspirants(tx: Queryable, recruiterId: string, now: Date): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    'UPDATE aspirants SET assignee_id = NULL, updated_at = :now::timestamptz WHERE assignee_id = :recruiterId::uuid RETURNING id',
    { recruiterId, now },
  );
  return rows.map((row) => row.id);
}
