import { z } from 'zod';
import type { BlobStore } from '../blobs/blobStore.ts';
import type { Queryable } from '../data/db.ts';
import type { Aspirant, AspirantNote, FormLink, Message, Photo, Recruiter } from '../generated/graphql.ts';
import { enqueue } from '../jobs/queue.ts';
import { scopeOf } from '../live/publisher.ts';
import { BadRequestError, NotFoundError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { deleteBlobsJob, MAX_BLOB_KEYS_PER_JOB } from '../worker/kinds.ts';
import { assertAdmin, assertCanSee, type Caller } from './access.ts';
import { aspirantRowsById, loadAspirants } from './aspirants.ts';
import { loadMessages, messageColumns, type MessageRow } from './messages.ts';
import { normalizePhone } from './phone.ts';
import type { Services } from './services.ts';

/**
 * An aspirant's data rights: everything stored about them as one JSON document (export), and erasure of all of
 * it (rows in one transaction, then the blobs). Admins may do both; a recruiter may export the aspirants they
 * may see.
 */

export const exportAspirantDataInput = z.object({ aspirantId: z.guid() });
export const eraseAspirantInput = z.object({ aspirantId: z.guid(), confirmPhone: z.string().trim().min(1).max(40) });

/** Identifies the document's shape, so a reader of an old export knows what it holds. */
export const ASPIRANT_EXPORT_FORMAT = 'wasaprecruit.aspirant-data.v1';

interface RecruiterRef {
  readonly id: string;
  readonly name: string;
}

/** A recruiter as the export names them: who handled the aspirant, not the recruiter's own details. */
const recruiterRef = (recruiter: Recruiter | null | undefined): RecruiterRef | null => (recruiter ? { id: recruiter.id, name: recruiter.name } : null);

type ExportedMessage = Omit<Message, 'conversationId' | 'botTrace' | 'author'> & { readonly author: RecruiterRef | null };

export interface AspirantExport {
  readonly format: typeof ASPIRANT_EXPORT_FORMAT;
  readonly exportedAt: string;
  readonly aspirant: Omit<Aspirant, 'assignee' | 'notes' | 'photos' | 'formLink' | 'formSubmission' | 'conversationId' | 'allowedTransitions'> & {
    readonly assignee: RecruiterRef | null;
  };
  readonly statusHistory: readonly { readonly status: string; readonly changedAt: string }[];
  readonly notes: readonly (Omit<AspirantNote, 'aspirantId' | 'author'> & { readonly author: RecruiterRef | null })[];
  /** Dates only: a link's URL carries its token. */
  readonly formLinks: readonly Omit<FormLink, 'url' | 'status'>[];
  readonly formSubmissions: readonly { readonly id: string; readonly formLinkId: string | null; readonly source: string; readonly data: unknown; readonly submittedAt: string }[];
  readonly conversations: readonly (Record<string, unknown> & { readonly id: string; readonly messages: readonly ExportedMessage[] })[];
  readonly photos: readonly Photo[];
  readonly bot: {
    readonly flowState: unknown;
    readonly flowStateUpdatedAt: string | null;
    readonly steps: readonly Record<string, unknown>[];
    /** Every decision the bot recorded, with what a message's botTrace leaves out (detail). */
    readonly traces: readonly Record<string, unknown>[];
  };
}

/**
 * The export: profile, status and its history, tags, notes, form links, form submissions, each conversation with
 * every message (body, direction, author, timestamps, delivery status history, attachments), photos, the bot's
 * flow state, steps and traces. Photo and attachment URLs are signed and expire shortly after `exportedAt`.
 */
export async function exportAspirantData(services: Services, caller: Caller, aspirantId: string): Promise<AspirantExport> {
  const row = (await aspirantRowsById(services.db, [aspirantId])).get(aspirantId);
  if (row === undefined) throw new NotFoundError('no such aspirant');
  assertCanSee(caller, row.assigneeId, 'aspirant');
  const q = services.db;
  const [[aspirant], statusHistory, formLinks, formSubmissions, conversations, bot] = await Promise.all([
    loadAspirants(q, services, [row], { assignee: true, notes: true, photos: true, formLink: false, formSubmission: false, conversationId: false }),
    q.query<AspirantExport['statusHistory'][number]>(
      'SELECT status, changed_at FROM aspirant_status_changes WHERE aspirant_id = :aspirantId::uuid ORDER BY changed_at, id',
      { aspirantId },
    ),
    q.query<AspirantExport['formLinks'][number]>(
      `SELECT id, created_at, expires_at, opened_at, submitted_at, revoked_at
         FROM form_links WHERE aspirant_id = :aspirantId::uuid ORDER BY created_at, id`,
      { aspirantId },
    ),
    q.query<AspirantExport['formSubmissions'][number]>(
      `SELECT id, form_link_id, source, data, submitted_at
         FROM form_submissions WHERE aspirant_id = :aspirantId::uuid ORDER BY submitted_at, id`,
      { aspirantId },
    ),
    conversationsWithMessages(q, services, aspirantId),
    botRecordsOf(q, aspirantId),
  ]);
  const { assignee, notes, photos, formLink: _link, formSubmission: _submission, conversationId: _conversation, allowedTransitions: _next, ...fields } = aspirant!;
  return {
    format: ASPIRANT_EXPORT_FORMAT,
    exportedAt: services.now().toISOString(),
    aspirant: { ...fields, assignee: recruiterRef(assignee) },
    statusHistory,
    notes: notes.map(({ aspirantId: _aspirant, author, ...note }) => ({ ...note, author: recruiterRef(author) })),
    formLinks,
    formSubmissions,
    conversations,
    photos,
    bot,
  };
}

async function conversationsWithMessages(q: Queryable, services: Pick<Services, 'mediaUrl'>, aspirantId: string): Promise<AspirantExport['conversations']> {
  const conversations = await q.query<Record<string, unknown> & { id: string }>(
    `SELECT id, channel, created_at, last_activity_at, inbound_count, window_expires_at, bot_state, bot_paused, needs_recruiter
       FROM conversations WHERE aspirant_id = :aspirantId::uuid ORDER BY created_at, id`,
    { aspirantId },
  );
  const rows = await q.query<MessageRow>(
    `SELECT ${messageColumns('m')} FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
      WHERE c.aspirant_id = :aspirantId::uuid
      ORDER BY m.occurred_at, m.id`,
    { aspirantId },
  );
  // Traces are exported with the bot's records.
  const messages = await loadMessages(q, services, rows, { author: true, media: true, statusHistory: true, botTrace: false });
  return conversations.map((conversation) => ({
    ...conversation,
    messages: messages
      .filter((message) => message.conversationId === conversation.id)
      .map(({ conversationId: _conversation, botTrace: _trace, author, ...message }) => ({ ...message, author: recruiterRef(author) })),
  }));
}

async function botRecordsOf(q: Queryable, aspirantId: string): Promise<AspirantExport['bot']> {
  const [[flow], steps, traces] = await Promise.all([
    q.query<{ state: unknown; updatedAt: string }>('SELECT state, updated_at FROM bot_flow_states WHERE aspirant_id = :aspirantId::uuid', { aspirantId }),
    q.query(
      'SELECT step_key, text_key, conversation_id, created_at FROM bot_steps WHERE aspirant_id = :aspirantId::uuid ORDER BY created_at, step_key',
      { aspirantId },
    ),
    q.query(
      `SELECT t.id, t.conversation_id, t.message_id, t.agent, t.intent, t.confidence, t.latency_ms, t.summary, t.detail, t.created_at
         FROM bot_traces t JOIN conversations c ON c.id = t.conversation_id
        WHERE c.aspirant_id = :aspirantId::uuid
        ORDER BY t.created_at, t.id`,
      { aspirantId },
    ),
  ]);
  return { flowState: flow?.state ?? null, flowStateUpdatedAt: flow?.updatedAt ?? null, steps, traces };
}

export interface EraseAspirantInput {
  readonly aspirantId: string;
  readonly confirmPhone: string;
}

/**
 * Erases the aspirant: in ONE transaction every row about them (the aspirant row's foreign keys cascade to notes,
 * conversations, reads, messages, status events, media, photos, form links and submissions, bot state, steps and
 * traces, status history; jobs, which no key ties to them, are deleted here: queued, finished and dead ones
 * that name them or their conversations, messages or media), then writes the audit record and durable jobs that
 * delete their blobs. After commit the blobs are deleted at once (the jobs
 * retry whatever fails) and consoles are told to drop the aspirant. `confirmPhone` must be the aspirant's phone,
 * however written; otherwise nothing changes.
 *
 * Jobs already running for the aspirant find their rows gone and finish without effect (functions/ingest/media.ts,
 * functions/bot/job.ts, functions/outbound/sender.ts). Returns the aspirant's id.
 */
export async function eraseAspirant(services: Services, caller: Caller, input: EraseAspirantInput): Promise<string> {
  assertAdmin(caller);
  const { aspirantId } = input;
  const confirmedPhone = confirmPhoneOf(input.confirmPhone);
  const erasedAt = services.now().toISOString();
  const erased = await services.db.transaction(async (tx) => {
    // The lock waits for bot turns holding the aspirant (functions/bot/job.ts) and keeps new ones out until commit.
    const [aspirant] = await tx.query<{ phone: string; assigneeId: string | null }>(
      'SELECT phone, assignee_id FROM aspirants WHERE id = :aspirantId::uuid FOR UPDATE',
      { aspirantId },
    );
    if (aspirant === undefined) throw new NotFoundError('no such aspirant');
    if (aspirant.phone !== confirmedPhone) throw new BadRequestError("confirmPhone: does not match the aspirant's phone number");
    const conversationIds = (await tx.query<{ id: string }>('SELECT id FROM conversations WHERE aspirant_id = :aspirantId::uuid ORDER BY created_at, id', { aspirantId })).map(
      (row) => row.id,
    );
    const blobKeys = await blobKeysOf(tx, aspirantId);
    await deleteJobsNaming(tx, aspirantId);
    await tx.query('DELETE FROM aspirants WHERE id = :aspirantId::uuid', { aspirantId });
    await tx.query('INSERT INTO aspirant_erasures (aspirant_id, erased_by, erased_at) VALUES (:aspirantId::uuid, :callerId::uuid, :erasedAt::timestamptz)', {
      aspirantId,
      callerId: caller.id,
      erasedAt,
    });
    for (let start = 0; start < blobKeys.length; start += MAX_BLOB_KEYS_PER_JOB) {
      await enqueue(tx, deleteBlobsJob.of({ keys: blobKeys.slice(start, start + MAX_BLOB_KEYS_PER_JOB) }));
    }
    return { scope: scopeOf(aspirant.assigneeId), conversationIds, blobKeys };
  });
  logger.info('aspirant erased', { aspirantId, erasedBy: caller.id, conversations: erased.conversationIds.length, blobs: erased.blobKeys.length });

  await deleteBlobsNow(services, erased.blobKeys);
  const conversationIds = erased.conversationIds.length > 0 ? erased.conversationIds : [null];
  for (const conversationId of conversationIds) {
    await services.publisher.publish({ kind: 'aspirantErasure', aspirantId, conversationId, scope: erased.scope, erasedAt });
  }
  return aspirantId;
}

function confirmPhoneOf(raw: string): string {
  try {
    return normalizePhone(raw);
  } catch (error) {
    if (error instanceof BadRequestError) throw new BadRequestError('confirmPhone: not a valid phone number');
    throw error;
  }
}

/** Every blob of the aspirant: attachments as downloaded or re-encoded, their thumbnails, and the photos' files. */
async function blobKeysOf(tx: Queryable, aspirantId: string): Promise<string[]> {
  const rows = await tx.query<{ key: string }>(
    `WITH owned AS (
       SELECT md.blob_key, md.thumbnail_key FROM media md
         JOIN messages m ON m.id = md.message_id
         JOIN conversations c ON c.id = m.conversation_id
        WHERE c.aspirant_id = :aspirantId::uuid
       UNION ALL
       SELECT blob_key, thumbnail_key FROM photos WHERE aspirant_id = :aspirantId::uuid)
     SELECT DISTINCT key FROM owned, LATERAL (VALUES (blob_key), (thumbnail_key)) AS keys (key)
      WHERE key IS NOT NULL
      ORDER BY key`,
    { aspirantId },
  );
  return rows.map((row) => row.key);
}

/**
 * Jobs in any state (pending, running, done, dead letters) whose payload names the aspirant or one of their
 * conversations, messages or media (functions/worker/kinds.ts). A running one finds its rows gone; the worker's
 * report on a deleted job changes nothing.
 */
async function deleteJobsNaming(tx: Queryable, aspirantId: string): Promise<void> {
  await tx.query(
    `WITH conversation_ids AS (SELECT id FROM conversations WHERE aspirant_id = :aspirantId::uuid),
          message_ids AS (SELECT id FROM messages WHERE conversation_id IN (SELECT id FROM conversation_ids)),
          named AS (
            SELECT :aspirantId::text AS id
            UNION ALL SELECT id::text FROM conversation_ids
            UNION ALL SELECT id::text FROM message_ids
            UNION ALL SELECT id::text FROM media WHERE message_id IN (SELECT id FROM message_ids))
     DELETE FROM jobs
      WHERE payload->>'aspirantId' IN (SELECT id FROM named)
         OR payload->>'conversationId' IN (SELECT id FROM named)
         OR payload->>'messageId' IN (SELECT id FROM named)
         OR payload->>'mediaId' IN (SELECT id FROM named)`,
    { aspirantId },
  );
}

/** Deletes each key; throws when any could not be deleted, after trying them all (a job's retry does the rest). */
export async function deleteBlobs(store: BlobStore, keys: readonly string[]): Promise<void> {
  const results = await Promise.allSettled(keys.map((key) => store.delete(key)));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${keys.length} blobs not deleted`);
}

/** The erasure's blobs right after commit, so they are gone when the admin sees it done; the enqueued jobs retry failures. */
async function deleteBlobsNow(services: Services, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await deleteBlobs(await services.blobs(), keys);
  } catch (error) {
    logger.warn('erased blobs not deleted yet; the blobs.delete jobs retry', { error: error instanceof Error ? error.message : String(error) });
  }
}
