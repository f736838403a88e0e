import { classifyKeyword } from '../channels/keywords.ts';
import type { InboundMediaRef, InboundMessage } from '../channels/model.ts';
import type { Queryable } from '../data/db.ts';
import { enqueue } from '../jobs/queue.ts';
import { botEventJob, type BotEventRef, fetchMediaJob } from '../worker/kinds.ts';

/**
 * Recording one inbound WhatsApp message, inside the caller's transaction. Redelivered webhooks collide on the
 * provider's message id and change nothing; only the delivery that inserted the message goes on to write its
 * attachments, queue their downloads and update the conversation and the aspirant.
 */

/**
 * Whether the bot may answer a message automatically: `eligible`; `stale` when it was old on arrival or is
 * older than a message already stored (a redelivered flood after an outage must not be answered); `throttled`
 * when its phone sent more than the per-minute limit (stored, never answered: a looping sender cannot flood the
 * bot); `keyword` for opt-out and opt-in words.
 */
export type AutoReply = 'eligible' | 'stale' | 'throttled' | 'keyword';

export interface InboundPolicy {
  /** STALE_INBOUND_SECONDS */
  readonly staleInboundSeconds: number;
  /** INBOUND_AUTOMATION_LIMIT_PER_MINUTE */
  readonly automationLimitPerMinute: number;
}

/** What recording one message did: the bot starts from `messageId` and `autoReply`. */
export interface RecordedInbound {
  readonly messageId: string;
  readonly conversationId: string;
  readonly aspirantId: string;
  readonly autoReply: AutoReply;
  /** The aspirant is new, or their name or opt-out changed: their event goes out. */
  readonly aspirantChanged: boolean;
  readonly conversationCreated: boolean;
}

/**
 * Records `message` unless a delivery of it was recorded before (then null). For the new message: the
 * aspirant by phone (E.164) and their conversation on this channel, created when missing; one pending media
 * row and one media.fetch job per attachment; the conversation's inbound count, 24-hour window (from the
 * provider's timestamp) and, when this message is the newest, its last message and the aspirant's WhatsApp
 * name; opt-out and opt-in words applied unless a later keyword from the same person is stored already.
 */
export async function recordInbound(tx: Queryable, message: InboundMessage, policy: InboundPolicy, now: Date): Promise<RecordedInbound | null> {
  // One round trip: nothing when a delivery of this message was stored before; else the aspirant (by phone)
  // and their conversation on this channel, each upserted so that it is returned either way and locked, so
  // concurrent deliveries for one person take turns.
  const [person] = await tx.query<{
    aspirantId: string;
    aspirantCreated: boolean;
    whatsappName: string | null;
    optedOutAt: string | null;
    conversationId: string;
    conversationCreated: boolean;
  }>(
    `WITH aspirant AS (
       INSERT INTO aspirants (phone, whatsapp_name, created_at, updated_at)
       SELECT :phone, :name, :now::timestamptz, :now::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM messages WHERE provider_message_id = :providerMessageId)
       ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone
       RETURNING id, (xmax = 0) AS created, whatsapp_name, opted_out_at),
     conversation AS (
       INSERT INTO conversations (aspirant_id, channel, last_activity_at, created_at)
       SELECT id, :channel, :occurredAt::timestamptz, :now::timestamptz FROM aspirant
       ON CONFLICT (aspirant_id, channel) DO UPDATE SET channel = excluded.channel
       RETURNING id, (xmax = 0) AS created)
     SELECT a.id AS aspirant_id, a.created AS aspirant_created, a.whatsapp_name, a.opted_out_at,
            c.id AS conversation_id, c.created AS conversation_created
       FROM aspirant a CROSS JOIN conversation c`,
    { phone: message.from, name: message.profileName ?? null, providerMessageId: message.providerMessageId, channel: message.channel, occurredAt: message.occurredAt, now },
  );
  if (person === undefined) return null;
  const aspirant = { id: person.aspirantId, created: person.aspirantCreated, whatsappName: person.whatsappName, optedOutAt: person.optedOutAt };
  const conversation = { id: person.conversationId, created: person.conversationCreated };
  const aspirantId = aspirant.id;
  const conversationId = conversation.id;

  const keyword = classifyKeyword(message.body);
  // An opt-in word from someone who never opted out is an ordinary answer ("yes"), for the bot to read.
  const appliesKeyword = keyword === 'opt_out' || (keyword === 'opt_in' && aspirant.optedOutAt !== null);
  const autoReply = appliesKeyword ? 'keyword' : await automationVerdict(tx, message, { aspirantId, conversationId }, policy, now);

  const [inserted] = await tx.query<{ id: string }>(
    `INSERT INTO messages (conversation_id, direction, author_kind, body, provider_message_id, status, auto_reply, occurred_at, created_at)
     VALUES (:conversationId::uuid, 'inbound', 'aspirant', :body, :providerMessageId, 'received', :autoReply, :occurredAt::timestamptz, :now::timestamptz)
     ON CONFLICT (provider_message_id) DO NOTHING
     RETURNING id`,
    { conversationId, body: message.body, providerMessageId: message.providerMessageId, autoReply, occurredAt: message.occurredAt, now },
  );
  // A concurrent delivery of the same message won between the check above and here.
  if (inserted === undefined) return null;
  const messageId = inserted.id;

  await recordAttachments(tx, messageId, message.media);
  const [updated] = await tx.query<{ newest: boolean }>(
    `UPDATE conversations c
        SET inbound_count = c.inbound_count + 1,
            window_expires_at = greatest(c.window_expires_at, :occurredAt::timestamptz + interval '24 hours'),
            last_activity_at = greatest(c.last_activity_at, :occurredAt::timestamptz),
            last_message_id = CASE
              WHEN c.last_message_id IS NULL
                OR (SELECT (m.occurred_at, m.id) < (:occurredAt::timestamptz, :messageId::uuid) FROM messages m WHERE m.id = c.last_message_id)
              THEN :messageId::uuid ELSE c.last_message_id END
      WHERE c.id = :conversationId::uuid
      RETURNING c.last_message_id = :messageId::uuid AS newest`,
    { conversationId, messageId, occurredAt: message.occurredAt },
  );

  const current = { whatsappName: aspirant.whatsappName, optedOutAt: aspirant.optedOutAt };
  const keywordCounts = appliesKeyword && (await isLatestKeyword(tx, aspirantId, messageId, message.occurredAt));
  const aspirantUpdated = await updateAspirant(
    tx,
    aspirantId,
    current,
    {
      whatsappName: updated!.newest && message.profileName !== undefined ? message.profileName : current.whatsappName,
      optedOutAt: !keywordCounts ? current.optedOutAt : keyword === 'opt_out' ? (current.optedOutAt ?? message.occurredAt.toISOString()) : null,
    },
    now,
  );
  await enqueueBotEvents(tx, { aspirantId, conversationId, messageId }, autoReply, keywordCounts ? keyword : null);
  return {
    messageId,
    conversationId,
    aspirantId,
    autoReply,
    aspirantChanged: aspirant.created || aspirantUpdated,
    conversationCreated: conversation.created,
  };
}

/**
 * The bot hears of an eligible message, and of an opt-out or opt-in that counted; a stale, throttled or
 * superseded message gives it nothing to do. A newcomer's first message is all the bot needs to welcome them.
 */
async function enqueueBotEvents(
  tx: Queryable,
  ids: { readonly aspirantId: string; readonly conversationId: string; readonly messageId: string },
  autoReply: AutoReply,
  appliedKeyword: 'opt_out' | 'opt_in' | null,
): Promise<void> {
  const { aspirantId, conversationId, messageId } = ids;
  const event: BotEventRef | null =
    appliedKeyword !== null ? { type: appliedKeyword === 'opt_out' ? 'opted_out' : 'opted_in' } : autoReply === 'eligible' ? { type: 'inbound_message', messageId } : null;
  if (event !== null) await enqueue(tx, botEventJob.of({ aspirantId, conversationId, event }, { dedupeKey: `bot.event:message:${messageId}` }));
}

async function automationVerdict(
  tx: Queryable,
  message: InboundMessage,
  ids: { readonly aspirantId: string; readonly conversationId: string },
  policy: InboundPolicy,
  now: Date,
): Promise<AutoReply> {
  if (now.getTime() - message.occurredAt.getTime() > policy.staleInboundSeconds * 1000) return 'stale';
  // The count starts from the person's conversations (one per channel) and counts each one's recent messages on
  // its (conversation_id, created_at) index. Joined the other way round, the planner may walk every inbound
  // message of the last minute, from everyone: work that grows with the whole inbound rate.
  const [seen] = await tx.query<{ newerStored: boolean; lastMinute: number }>(
    `SELECT EXISTS (SELECT 1 FROM messages
                     WHERE conversation_id = :conversationId::uuid AND direction = 'inbound' AND occurred_at > :occurredAt::timestamptz) AS newer_stored,
            (SELECT coalesce(sum(recent.count), 0) FROM conversations c
               CROSS JOIN LATERAL (SELECT count(*) FROM messages m
                                    WHERE m.conversation_id = c.id AND m.direction = 'inbound'
                                      AND m.created_at > :now::timestamptz - interval '1 minute') recent
              WHERE c.aspirant_id = :aspirantId::uuid) AS last_minute`,
    { ...ids, occurredAt: message.occurredAt, now },
  );
  if (seen!.newerStored) return 'stale';
  return seen!.lastMinute >= policy.automationLimitPerMinute ? 'throttled' : 'eligible';
}

/** WhatsApp media types by the declared content type; the media job corrects it from the bytes. */
function declaredKind(contentType: string | undefined): 'image' | 'audio' | 'video' | 'document' {
  const family = contentType?.split('/')[0]?.toLowerCase();
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'document';
}

async function recordAttachments(tx: Queryable, messageId: string, media: readonly InboundMediaRef[]): Promise<void> {
  for (const ref of media) {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO media (message_id, position, kind, status, content_type, file_name, provider_ref)
       VALUES (:messageId::uuid, :position::int, :kind, 'pending', :contentType, :fileName, :providerRef)
       RETURNING id`,
      { messageId, position: ref.position, kind: declaredKind(ref.contentType), contentType: ref.contentType ?? null, fileName: ref.fileName ?? null, providerRef: ref.providerRef },
    );
    await enqueue(tx, fetchMediaJob.of({ mediaId: row!.id }, { dedupeKey: `media.fetch:${row!.id}` }));
  }
}

/** True unless a keyword this person sent later is stored already (Meta delivers out of order). */
async function isLatestKeyword(tx: Queryable, aspirantId: string, messageId: string, occurredAt: Date): Promise<boolean> {
  const [later] = await tx.query(
    `SELECT 1 AS later FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.aspirant_id = :aspirantId::uuid AND m.auto_reply = 'keyword' AND m.id <> :messageId::uuid
        AND m.occurred_at > :occurredAt::timestamptz
      LIMIT 1`,
    { aspirantId, messageId, occurredAt },
  );
  return later === undefined;
}

/** Writes the aspirant's new WhatsApp name and opt-out time when they differ from `current`; true when it did. */
async function updateAspirant(
  tx: Queryable,
  aspirantId: string,
  current: { readonly whatsappName: string | null; readonly optedOutAt: string | null },
  next: { readonly whatsappName: string | null; readonly optedOutAt: string | null },
  now: Date,
): Promise<boolean> {
  if (next.whatsappName === current.whatsappName && next.optedOutAt === current.optedOutAt) return false;
  await tx.query(
    `UPDATE aspirants SET whatsapp_name = :whatsappName, opted_out_at = :optedOutAt::timestamptz, updated_at = :now::timestamptz
      WHERE id = :aspirantId::uuid`,
    { aspirantId, ...next, now },
  );
  return true;
}
