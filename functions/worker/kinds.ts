import { z } from 'zod';
import { defineJob } from '../jobs/queue.ts';

/**
 * The jobs that follow the WhatsApp channel's changes. Payloads are ids only; each handler reads the current
 * state and does nothing when the work is already done, so any job may run again harmlessly.
 */

/** Send one outbound message through its conversation's provider (functions/outbound/sender.ts). */
export const sendMessageJob = defineJob('message.send', z.object({ messageId: z.guid() }));

/** Download, check and store one inbound attachment (functions/ingest/media.ts). */
export const fetchMediaJob = defineJob('media.fetch', z.object({ mediaId: z.guid() }));

/** What happened, by reference: the bot job reads the message, submission or photo itself. */
export const botEventRef = z.union([
  z.object({ type: z.literal('inbound_message'), messageId: z.guid() }),
  z.object({ type: z.literal('form_opened'), formLinkId: z.guid() }),
  z.object({ type: z.literal('form_submitted'), submissionId: z.guid() }),
  z.object({ type: z.literal('photo_stored'), photoId: z.guid() }),
  z.object({
    type: z.enum(['recruiter_took_over', 'recruiter_handed_back', 'opted_out', 'opted_in', 'reminder_due', 'guardian_consent_recorded']),
  }),
]);
export type BotEventRef = z.output<typeof botEventRef>;

/**
 * One conversation event for the recruiting bot (functions/bot/job.ts), enqueued in the transaction that made
 * the change: an inbound message (a newcomer's first one gets the welcome), the form opened or submitted, a
 * photo stored, a recruiter's take-over or hand-back, an opt-out or opt-in, a guardian's consent, or the
 * wake-up the bot asked for.
 */
export const botEventJob = defineJob('bot.event', z.object({ aspirantId: z.guid(), conversationId: z.guid(), event: botEventRef }));

/** Most keys one blobs.delete job carries, so its payload stays far below the queue's size limit. */
export const MAX_BLOB_KEYS_PER_JOB = 100;

/**
 * Delete stored blobs (an erased aspirant's media, photos and thumbnails, or a media job's files no row kept).
 * Deleting a missing key is not an error, so a run that follows a direct delete, or runs again, does nothing.
 */
export const deleteBlobsJob = defineJob('blobs.delete', z.object({ keys: z.array(z.string().min(1).max(512)).min(1).max(MAX_BLOB_KEYS_PER_JOB) }));
