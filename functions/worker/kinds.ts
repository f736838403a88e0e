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
