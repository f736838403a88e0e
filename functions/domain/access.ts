import type { Recruiter } from '../generated/graphql.ts';
import { UnauthorizedError } from '../shared/errors.ts';

/** Who is asking: a recruiter row and the role their identity grants. */
export interface Caller {
  readonly id: string;
  readonly role: 'admin' | 'recruiter';
  readonly recruiter: Recruiter;
}

/** Admins see every aspirant; a recruiter sees the aspirants assigned to them and the unassigned ones. */
export function canSee(caller: Caller, assigneeId: string | null): boolean {
  return caller.role === 'admin' || assigneeId === null || assigneeId === caller.id;
}

export function assertCanSee(caller: Caller, assigneeId: string | null, what: string): void {
  if (!canSee(caller, assigneeId)) throw new UnauthorizedError(`not allowed to access this ${what}`);
}

/**
 * The same rule as a SQL condition on an aspirants alias (`:callerId` must be bound), or null when the caller
 * sees everything.
 */
export function visibleAspirantsSql(caller: Caller, alias: string): string | null {
  return visibleAssigneeSql(caller, `${alias}.assignee_id`);
}

/** The same rule on any column holding the aspirant's assignee (conversations keep a copy for the inbox). */
export function visibleAssigneeSql(caller: Caller, assigneeColumn: string): string | null {
  return caller.role === 'admin' ? null : `(${assigneeColumn} IS NULL OR ${assigneeColumn} = :callerId::uuid)`;
}

/** Admin-only operations check the caller here too, not only through the schema's group directive. */
export function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin') throw new UnauthorizedError('only admins may do this');
}
