import { z } from 'zod';
import type { Queryable, SqlParams } from '../data/db.ts';
import type { Aspirant, AspirantNote } from '../generated/graphql.ts';
import { BadRequestError, NotFoundError, UnauthorizedError } from '../shared/errors.ts';
import { assertCanSee, type Caller } from './access.ts';
import { aspirantColumns, loadAspirants, type AspirantRow, noteColumns, type NoteRow, toNoteFields } from './aspirants.ts';
import { publishAspirantEvents } from './live.ts';
import { assertTransition, pipelineStatusSchema, toStoredStatus } from './pipeline.ts';
import type { AspirantIncludes, Services } from './services.ts';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const MAX_NOTE_LENGTH = 2000;

export const assignAspirantInput = z.object({
  aspirantId: z.guid(),
  recruiterId: z.guid().nullish().transform((id) => id ?? null),
});

export const updateAspirantStatusInput = z.object({ aspirantId: z.guid(), status: pipelineStatusSchema });

/** Tags are trimmed and deduplicated ignoring case (the first spelling wins). */
export const setAspirantTagsInput = z.object({
  aspirantId: z.guid(),
  tags: z
    .array(z.string().trim().min(1).max(MAX_TAG_LENGTH))
    .transform((tags) => tags.filter((tag, index) => tags.findIndex((other) => other.toLowerCase() === tag.toLowerCase()) === index))
    .refine((tags) => tags.length <= MAX_TAGS, `at most ${MAX_TAGS} different tags`),
});

export const addAspirantNoteInput = z.object({ aspirantId: z.guid(), body: z.string().trim().min(1).max(MAX_NOTE_LENGTH) });

/**
 * Admins assign anyone to anyone, or unassign. A recruiter may take an unassigned aspirant for themselves
 * or release their own, nothing else. The new assignee must be an active recruiter.
 */
export async function assignAspirant(
  services: Services,
  caller: Caller,
  input: z.output<typeof assignAspirantInput>,
  include: AspirantIncludes,
): Promise<Aspirant> {
  const { recruiterId } = input;
  const change = await services.db.transaction(async (tx) => {
    const row = await lockVisibleAspirant(tx, caller, input.aspirantId);
    const takesUnassigned = row.assigneeId === null && recruiterId === caller.id;
    const keepsOrReleasesOwn = row.assigneeId === caller.id && (recruiterId === null || recruiterId === caller.id);
    if (caller.role !== 'admin' && !takesUnassigned && !keepsOrReleasesOwn) {
      throw new UnauthorizedError('recruiters may only take unassigned aspirants or release their own');
    }
    if (recruiterId !== null) {
      const [recruiter] = await tx.query<{ active: boolean }>('SELECT active FROM recruiters WHERE id = :id::uuid', { id: recruiterId });
      if (recruiter?.active !== true) throw new BadRequestError('recruiterId: no active recruiter has this id');
    }
    if (row.assigneeId === recruiterId) return { row, previousAssigneeId: undefined };
    const updated = await updateAspirant(tx, row.id, 'assignee_id = :recruiterId::uuid', { recruiterId }, services.now());
    return { row: updated, previousAssigneeId: row.assigneeId };
  });
  // An unchanged assignment changed nothing, so it publishes nothing.
  if (change.previousAssigneeId !== undefined) await publishAspirantEvents(services, input.aspirantId, change.previousAssigneeId);
  return reload(services, change.row, include);
}

/** Moves an aspirant along the pipeline; only the allowed transitions are accepted. */
export async function updateAspirantStatus(
  services: Services,
  caller: Caller,
  input: z.output<typeof updateAspirantStatusInput>,
  include: AspirantIncludes,
): Promise<Aspirant> {
  const status = toStoredStatus(input.status);
  const row = await services.db.transaction(async (tx) => {
    const current = await lockVisibleAspirant(tx, caller, input.aspirantId);
    assertTransition(current.status, status);
    return updateAspirant(tx, current.id, 'status = :status', { status }, services.now());
  });
  await publishAspirantEvents(services, row.id);
  return reload(services, row, include);
}

export async function setAspirantTags(
  services: Services,
  caller: Caller,
  input: z.output<typeof setAspirantTagsInput>,
  include: AspirantIncludes,
): Promise<Aspirant> {
  const row = await services.db.transaction(async (tx) => {
    const current = await lockVisibleAspirant(tx, caller, input.aspirantId);
    return updateAspirant(tx, current.id, 'tags = :tags::jsonb', { tags: input.tags }, services.now());
  });
  await publishAspirantEvents(services, row.id);
  return reload(services, row, include);
}

/** A private note by the caller. */
export async function addAspirantNote(
  services: Services,
  caller: Caller,
  input: z.output<typeof addAspirantNoteInput>,
): Promise<AspirantNote> {
  const note = await services.db.transaction(async (tx) => {
    await lockVisibleAspirant(tx, caller, input.aspirantId);
    const [inserted] = await tx.query<NoteRow>(
      `INSERT INTO aspirant_notes (aspirant_id, author_id, body, created_at)
       VALUES (:aspirantId::uuid, :authorId::uuid, :body, :now::timestamptz)
       RETURNING ${noteColumns}`,
      { aspirantId: input.aspirantId, authorId: caller.id, body: input.body, now: services.now() },
    );
    return inserted!;
  });
  await publishAspirantEvents(services, input.aspirantId);
  return { ...toNoteFields(note), author: caller.recruiter };
}

async function lockVisibleAspirant(tx: Queryable, caller: Caller, aspirantId: string): Promise<AspirantRow> {
  const [row] = await tx.query<AspirantRow>(`SELECT ${aspirantColumns('a')} FROM aspirants a WHERE a.id = :id::uuid FOR UPDATE`, {
    id: aspirantId,
  });
  if (row === undefined) throw new NotFoundError('aspirant not found');
  assertCanSee(caller, row.assigneeId, 'aspirant');
  return row;
}

/** `assignments` is a fixed SET fragment written in this module; only its values are parameters. */
async function updateAspirant(
  tx: Queryable,
  aspirantId: string,
  assignments: string,
  params: SqlParams,
  now: Date,
): Promise<AspirantRow> {
  const [row] = await tx.query<AspirantRow>(
    `UPDATE aspirants a SET ${assignments}, updated_at = :now::timestamptz WHERE a.id = :id::uuid RETURNING ${aspirantColumns('a')}`,
    { ...params, id: aspirantId, now },
  );
  return row!;
}

async function reload(services: Services, row: AspirantRow, include: AspirantIncludes): Promise<Aspirant> {
  const [aspirant] = await loadAspirants(services.db, services, [row], include);
  return aspirant!;
}
